package dev.multimax.device.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelHarness;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.device.TestDevices;
import dev.multimax.device.ref.RefLinear;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.TaskGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both matmul variants (tasks/matmul.cl) on every OpenCL device: the CPU register-blocked one and
 * the GPU local-memory one, forced through a {@link Tuning} table (CI has no GPU, so the GPU kernel
 * runs on PoCL here, on small shapes). Odd shapes (1, 3, 17, 33, 65, 130: never a multiple of the
 * 8×32 / 64×64 tiles), N a multiple of 32 (B read in place), all four transposes, overwrite and
 * accumulate, every slice at a different non-zero offset inside a larger array.
 *
 * <p>Tolerance per element, against float64: |c − ref| ≤ (K+2)·2⁻²⁴·(Σ_p |a_ip·b_pj| + |c₀|). A sum of
 * K fp32 products in any order (with or without fused multiply-adds) has at most K roundings on any
 * product's path, each ≤ 2⁻²⁴ relative to the partial sums, which are bounded by Σ|a·b| (the
 * classic γ_K bound); accumulating into c₀ adds one more rounding. The output slice is poisoned with
 * NaN before the launch, so an element not written fails; every element outside it, and all of A
 * and B, must come back bit for bit unchanged.
 */
class OpenClMatmulTest {
    /** Every test here needs an OpenCL device: without one the class fails under CI=true and is skipped elsewhere. */
    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }

    private static final int[] SIZES = {1, 3, 17, 33, 65, 130};
    private static final Map<String, OpenClDevice> OPEN = new LinkedHashMap<>();

    static Stream<Arguments> variants() {
        return TestDevices.openClIds().stream().flatMap(id -> Stream.of(Arguments.of(id, "cpu"), Arguments.of(id, "gpu")));
    }

    private static synchronized OpenClDevice device(String id, String kind) {
        return OPEN.computeIfAbsent(id + " " + kind, key -> {
            TestDevices.get(id);  // fails loudly when the device was found but did not open
            return OpenClDevice.open(id, Tuning.named(kind));
        });
    }

    @AfterAll
    static void close() {
        OPEN.values().forEach(OpenClDevice::close);
        OPEN.clear();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void variantStringNamesTilesAndLocalSize(String id, String kind) {
        OpenClDevice dev = device(id, kind);
        FloatArray c = new FloatArray("c", 100 * 64), a = new FloatArray("a", 10 * 600), b = new FloatArray("b", 600 * 64);
        for (FloatArray x : List.of(c, a, b)) dev.allocate(x);
        for (int tb = 0; tb < 2; tb++) {
            CompiledKernel k = dev.compile("mm", new KernelCall(Op.MATMUL, List.of(c.all(), a.slice(0, 100 * 50), b.slice(0, 50 * 64)),
                    new int[] {100, 64, 50, 0, tb, 0}, new float[0]));
            try {
                if (kind.equals("cpu")) {
                    assertThat(k.variant()).matches("cpu/reg 8x32 wg\\(\\d+,\\d+\\)" + (tb == 1 ? " packB" : ""));
                    CompiledKernel split = dev.compile("mm", new KernelCall(Op.MATMUL, List.of(c.slice(0, 10 * 64), a.all(), b.all()),
                            new int[] {10, 64, 600, 0, tb, 0}, new float[0]));
                    assertThat(split.variant()).matches("cpu/reg 8x32 wg\\(\\d+,\\d+\\) splitK2" + (tb == 1 ? " packB" : ""));
                    split.release();
                } else {
                    assertThat(k.variant()).isEqualTo("gpu/local 64x64x16 micro 4x4 wg(16,16)");
                }
            } finally {
                k.release();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void oddShapesAllTransposesAccumulateOffsetSlices(String id, String kind) {
        OpenClDevice dev = device(id, kind);
        Random rng = new Random(KernelHarness.freshSeed("ocl-matmul-" + kind));
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            for (int j = 0; j < SIZES.length; j++) shapes.add(new int[] {SIZES[i], SIZES[j], SIZES[(i + 2 * j) % SIZES.length]});
        }
        // N a multiple of 32 (B read in place when not transposed), K = 1, K spanning several tiles, K long
        // enough for the CPU variant to split it into chunks (with and without packing B)
        shapes.addAll(List.of(new int[] {257, 96, 40}, new int[] {16, 64, 1}, new int[] {9, 32, 300}, new int[] {1, 32, 7},
                new int[] {17, 33, 1100}, new int[] {9, 64, 700}));
        int launches = 0;
        for (int[] s : shapes) {
            for (int ta = 0; ta < 2; ta++) {
                for (int tb = 0; tb < 2; tb++) {
                    for (int acc = 0; acc < 2; acc++) {
                        check(dev, rng, s[0], s[1], s[2], ta == 1, tb == 1, acc == 1);
                        launches++;
                    }
                }
            }
        }
        assertThat(launches).isEqualTo(shapes.size() * 8);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void emptyInnerDimensionWritesZerosOrKeepsC(String id, String kind) {
        OpenClDevice dev = device(id, kind);
        Random rng = new Random(KernelHarness.freshSeed("ocl-matmul-k0-" + kind));
        check(dev, rng, 5, 33, 0, false, false, false);
        check(dev, rng, 5, 33, 0, true, true, true);
    }

    /**
     * Runs C[offC, +m·n) (+)= op(A[offA, +m·k))·op(B[offB, +k·n)) with 3..11 extra elements around each
     * slice; checks the slice against ref:0 and everything else for being untouched.
     */
    private static void check(OpenClDevice dev, Random rng, int m, int n, int k, boolean ta, boolean tb, boolean acc) {
        int offC = 3 + rng.nextInt(5), offA = 1 + rng.nextInt(7), offB = 2 + rng.nextInt(9);
        FloatArray c = KernelHarness.random("C", m * n + offC + 4, rng, 1);
        FloatArray a = KernelHarness.random("A", m * k + offA + 5, rng, 1);
        FloatArray b = KernelHarness.random("B", k * n + offB + 6, rng, 1);
        float[] c0 = c.host().clone();
        if (!acc) Arrays.fill(c.host(), offC, offC + m * n, Float.NaN);
        float[] cBefore = c.host().clone(), aBefore = a.host().clone(), bBefore = b.host().clone();

        Slice[] slices = {c.slice(offC, m * n), a.slice(offA, m * k), b.slice(offB, k * n)};
        TaskGraph g = new TaskGraph("mm").transferToDevice(DataTransferMode.EVERY_EXECUTION, c, a, b)
                .task("matmul", new KernelCall(Op.MATMUL, List.of(slices), new int[] {m, n, k, ta ? 1 : 0, tb ? 1 : 0, acc ? 1 : 0},
                        new float[0]))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c, a, b);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev)) {
            plan.execute();
        }

        String what = String.format("%s matmul %dx%dx%d transA=%b transB=%b accumulate=%b (offsets C %d A %d B %d)",
                dev.id() + " " + dev.tuning().kind(), m, n, k, ta, tb, acc, offC, offA, offB);
        assertThat(a.host()).as(what + ": A").isEqualTo(aBefore);
        assertThat(b.host()).as(what + ": B").isEqualTo(bBefore);
        for (int x = 0; x < c.length(); x++) {
            if (x >= offC && x < offC + m * n) continue;
            if (Float.floatToRawIntBits(c.host()[x]) != Float.floatToRawIntBits(cBefore[x])) {
                fail(what + ": C[" + x + "] outside the slice changed from " + cBefore[x] + " to " + c.host()[x]);
            }
        }
        // ref:0's product, and the same product of absolute values: the error bound (k + 2)·2⁻²⁴·Σ|a·b|
        double[] want = slice(c0, offC, m * n, false);
        if (!acc) Arrays.fill(want, 0);
        double[] abs = slice(c0, offC, m * n, true);
        if (!acc) Arrays.fill(abs, 0);
        RefLinear.matmul(want, slice(a.host(), offA, m * k, false), slice(b.host(), offB, k * n, false), m, n, k, ta, tb, acc);
        RefLinear.matmul(abs, slice(a.host(), offA, m * k, true), slice(b.host(), offB, k * n, true), m, n, k, ta, tb, acc);
        double u = Math.ulp(1.0f) / 2;  // 2^-24
        for (int i = 0; i < m * n; i++) {
            double allowed = (k + 2) * u * abs[i];
            float got = c.host()[offC + i];
            if (!(Math.abs(got - want[i]) <= allowed)) {
                fail(String.format("%s: C(%d,%d) = %s, ref:0 %s, |error| %.3e > allowed %.3e", what, i / n, i % n, got,
                        want[i], Math.abs(got - want[i]), allowed));
            }
        }
    }

    /** x[off, off + n) as float64, or their absolute values. */
    private static double[] slice(float[] x, int off, int n, boolean absolute) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = absolute ? Math.abs(x[off + i]) : x[off + i];
        return d;
    }
}
