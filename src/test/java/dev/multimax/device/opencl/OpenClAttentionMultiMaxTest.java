package dev.multimax.device.opencl;

import static dev.multimax.device.KernelHarness.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.Device;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelHarness;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.device.TestDevices;
import dev.multimax.device.java.JavaDevice;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.TaskGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * attention.cl, softmax.cl and multimax.cl on odd shapes (sizes 1, rows not a multiple of any
 * work-group, columns above the group size of the row variant), on slices at non-zero offsets
 * inside larger arrays, against java:0; outputs are NaN-poisoned inside their slice (so every
 * element must be written) and everything outside a slice must be left as it was.
 *
 * <p>Every OpenCL device runs twice: with its own tuning, and with {@code Tuning.withGpuKernels(16)}
 * (the GPU variants: one work-group of 16 per row with reductions in local memory, scalar attention
 * kernels), so PoCL covers the GPU kernels too. 16 is below the 49 and 200 columns used, so items
 * loop over several columns.
 *
 * <p>Tolerances vs java:0 (neither side is exact; both are fp32 with different summation orders):
 * <ul>
 * <li>attention products: atol 2e-5, rtol 1e-5: ≤ 49 fp32 products of O(1) values, summed in a
 *     different order (java:0's SmallGemm uses fused multiply-adds on vectors);
 * <li>softmax / MultiMax forward: atol 1e-7, rtol 1e-5: OpenCL's exp (≤ 3 ulp) vs java:0's
 *     vectorised exp, and the row sum of ≤ 200 terms in another order;
 * <li>their backwards, dS: atol 1e-6, rtol 1e-4: P·(dP − ⟨P, dP⟩) loses relative accuracy where
 *     dP ≈ ⟨P, dP⟩;
 * <li>modulator: forward 1e-6/1e-6 (same operations, contraction may differ); dX 1e-6/1e-5;
 * <li>dparams: atol 1e-5·√(elements), rtol 1e-4: fp32 sums of ≤ 10⁴ terms here vs java:0's fp64
 *     partials; the million-element sums are checked against float64 separately.
 * </ul>
 */
class OpenClAttentionMultiMaxTest {
    /** Every test here needs an OpenCL device: without one the class fails under CI=true and is skipped elsewhere. */
    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }

    private static final JavaDevice JAVA = (JavaDevice) TestDevices.get(JavaDevice.ID);
    private static final int PAD = 3;
    private static final String GROUP_VARIANT = " gpu-kernels";
    private static final Map<String, OpenClDevice> GROUP_DEVICES = new LinkedHashMap<>();

    /** Every OpenCL device, and each again with the group-per-row (GPU) variant of the row kernels. */
    static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (String id : TestDevices.openClIds()) {
            ids.add(id);
            ids.add(id + GROUP_VARIANT);
        }
        return ids;
    }

    private static synchronized Device device(String id) {
        if (!id.endsWith(GROUP_VARIANT)) return TestDevices.get(id);
        return GROUP_DEVICES.computeIfAbsent(id, k -> {
            OpenClPlatforms.Found f = OpenClPlatforms.find(k.substring(0, k.length() - GROUP_VARIANT.length()));
            return new OpenClDevice(f, Tuning.of(f.info()).withGpuKernels(16));
        });
    }

    /** One task: the op, the indices of its buffers in the case's array list, its ints and floats. */
    private record Call(Op op, int[] buffers, int[] ints, float[] floats) {
    }

    /** Arrays of one case: slice k is [offset(k), +count) inside count + 2·PAD + k elements. */
    private static final class Case {
        final List<FloatArray> arrays = new ArrayList<>();
        final List<Integer> counts = new ArrayList<>();
        final List<double[]> tolerances = new ArrayList<>();
        final List<Call> calls = new ArrayList<>();
        final Random rng;

        Case(Random rng) {
            this.rng = rng;
        }

        static int offset(int k) {
            return PAD + k;
        }

        /** An input slice, uniform in [-scale, scale). */
        int input(String name, int count, double scale) {
            FloatArray a = KernelHarness.random(name, count + 2 * PAD + arrays.size(), rng, scale);
            return add(a, count, null);
        }

        /** An output slice, NaN inside, random outside; compared with atol, rtol. */
        int output(String name, int count, double atol, double rtol) {
            FloatArray a = KernelHarness.random(name, count + 2 * PAD + arrays.size(), rng, 1);
            Arrays.fill(a.host(), offset(arrays.size()), offset(arrays.size()) + count, Float.NaN);
            return add(a, count, new double[] {atol, rtol});
        }

        /** An input/output slice that keeps random values (ops that write only part of it). */
        int partial(String name, int count, double atol, double rtol) {
            FloatArray a = KernelHarness.random(name, count + 2 * PAD + arrays.size(), rng, 1);
            return add(a, count, new double[] {atol, rtol});
        }

        private int add(FloatArray a, int count, double[] tol) {
            arrays.add(a);
            counts.add(count);
            tolerances.add(tol);
            return arrays.size() - 1;
        }

        Case call(Op op, int[] ints, float[] floats, int... buffers) {
            calls.add(new Call(op, buffers, ints, floats));
            return this;
        }

        float[][] run(Device dev) {
            List<FloatArray> copies = new ArrayList<>();
            for (FloatArray a : arrays) copies.add(new FloatArray(a.name(), a.host().clone()));
            FloatArray[] all = copies.toArray(new FloatArray[0]);
            TaskGraph g = new TaskGraph("ocl").transferToDevice(DataTransferMode.EVERY_EXECUTION, all);
            int t = 0;
            for (Call c : calls) {
                List<Slice> slices = new ArrayList<>();
                for (int b : c.buffers()) slices.add(copies.get(b).slice(offset(b), counts.get(b)));
                g.task(c.op().kernelName() + "_" + t++, new KernelCall(c.op(), slices, c.ints(), c.floats()));
            }
            g.transferToHost(DataTransferMode.EVERY_EXECUTION, all);
            try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev)) {
                plan.execute();
            }
            float[][] out = new float[all.length][];
            for (int k = 0; k < all.length; k++) out[k] = all[k].host();
            return out;
        }

        /** Runs on java:0 and on the device; every output whole (slice within tolerance, the rest unchanged). */
        void check(String id, String what) {
            float[][] want = run(JAVA);
            float[][] got = run(device(id));
            for (int k = 0; k < arrays.size(); k++) {
                String name = what + " " + arrays.get(k).name() + " on " + id;
                float[] base = arrays.get(k).host();
                int from = offset(k), to = from + counts.get(k);
                for (int i = 0; i < base.length; i++) {
                    if (i >= from && i < to) continue;
                    assertThat(got[k][i]).as(name + " outside the slice [" + i + "]").isEqualTo(base[i]);
                }
                double[] tol = tolerances.get(k);
                if (tol == null) continue;
                assertClose(name, Arrays.copyOfRange(got[k], from, to), toDouble(Arrays.copyOfRange(want[k], from, to)),
                        tol[0], tol[1]);
            }
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    @ParameterizedTest
    @MethodSource("ids")
    void attentionProductsOnOddShapesAndOffsets(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-attention"));
        // the last two have more heads (72, 69) than the tiled CPU variant's 64 items: items take two heads
        for (int[] s : new int[][] {{1, 1, 1, 1}, {2, 5, 3, 3}, {1, 17, 2, 20}, {2, 7, 1, 5}, {3, 49, 3, 32},
                {24, 9, 3, 8}, {3, 33, 23, 16}}) {
            int b = s[0], n = s[1], h = s[2], dh = s[3];
            int qkvLen = b * n * 3 * h * dh, scores = b * h * n * n, heads = b * n * h * dh;
            float[] scale = {(float) (1 / Math.sqrt(dh))};
            String shape = Arrays.toString(s);

            Case fwd = new Case(rng);
            int qkv = fwd.input("qkv", qkvLen, 1);
            int p = fwd.input("P", scores, 1);
            int sc = fwd.output("S", scores, 2e-5, 1e-5);
            int o = fwd.output("O", heads, 2e-5, 1e-5);
            fwd.call(Op.ATTN_SCORES_FWD, s, scale, sc, qkv).call(Op.ATTN_CONTEXT_FWD, s, new float[0], o, p, qkv);
            fwd.check(id, "attention forward " + shape);

            // Both backwards into one dqkv: every element of it written exactly once between them.
            Case bwd = new Case(rng);
            qkv = bwd.input("qkv", qkvLen, 1);
            p = bwd.input("P", scores, 1);
            int dO = bwd.input("dO", heads, 1);
            int dS = bwd.input("dS", scores, 1);
            int dP = bwd.output("dP", scores, 2e-5, 1e-5);
            int dqkv = bwd.output("dqkv", qkvLen, 2e-5, 1e-5);
            bwd.call(Op.ATTN_CONTEXT_BWD, s, new float[0], dP, dqkv, dO, p, qkv)
                    .call(Op.ATTN_SCORES_BWD, s, scale, dqkv, dS, qkv);
            bwd.check(id, "attention backward " + shape);

            // Alone, attn_scores_bwd leaves the v part of dqkv as it was (compared whole with java:0).
            Case alone = new Case(rng);
            qkv = alone.input("qkv", qkvLen, 1);
            dS = alone.input("dS", scores, 1);
            dqkv = alone.partial("dqkv", qkvLen, 2e-5, 1e-5);
            alone.call(Op.ATTN_SCORES_BWD, s, scale, dqkv, dS, qkv).check(id, "attn_scores_bwd alone " + shape);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void softmaxAndMultiMaxRowsOnOddShapesAndOffsets(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-rows"));
        for (int[] s : new int[][] {{1, 1}, {1, 49}, {3, 5}, {64, 49}, {65, 49}, {129, 1}, {7, 200}, {300, 49}}) {
            int rows = s[0], cols = s[1], n = rows * cols;
            String shape = Arrays.toString(s);
            Case sm = new Case(rng);
            int x = sm.input("S", n, 6);
            int dp = sm.input("dP", n, 1);
            int p = sm.output("P", n, 1e-7, 1e-5);
            int ds = sm.output("dS", n, 1e-6, 1e-4);
            sm.call(Op.SOFTMAX_FWD, s, new float[0], p, x).call(Op.SOFTMAX_BWD, s, new float[0], ds, dp, p);
            sm.check(id, "softmax " + shape);

            Case mm = new Case(rng);
            int prm = mm.add(params(rng), 8, null);
            x = mm.input("S", n, 4);
            dp = mm.input("dP", n, 1);
            p = mm.output("P", n, 1e-7, 1e-5);
            ds = mm.output("dS", n, 1e-6, 1e-4);
            int dprm = mm.output("dparams", 8, 1e-5 * Math.sqrt(n), 1e-4);
            mm.call(Op.MULTIMAX_FWD, s, new float[0], p, x, prm).call(Op.MULTIMAX_BWD, s, new float[0], ds, dprm, dp, p, x, prm);
            mm.check(id, "multimax " + shape);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void modulatorOnOddSizesAndOffsets(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-modulate"));
        for (int n : new int[] {1, 63, 64, 65, 1280, 4097, 5000}) {
            int[] ints = {n};
            Case c = new Case(rng);
            int prm = c.add(params(rng), 8, null);
            int x = c.input("X", n, 4);
            int dy = c.input("dY", n, 1);
            int y = c.output("Y", n, 1e-6, 1e-6);
            int dx = c.output("dX", n, 1e-6, 1e-5);
            int dprm = c.output("dparams", 8, 1e-5 * Math.sqrt(n), 1e-4);
            c.call(Op.MODULATE_FWD, ints, new float[0], y, x, prm).call(Op.MODULATE_BWD, ints, new float[0], dx, dprm, dy, x, prm);
            c.check(id, "modulate " + n);
        }
    }

    /**
     * The 8 parameter sums over the real model's size (B 128 · H 3 · N 49 rows of 49: 922k
     * elements; and 100k modulator elements) against float64. Tolerance relative to Σ|term| per
     * sum (the sums cancel: Σ_j u_j = 0 in every row, so the sum itself can be far smaller than its
     * terms): 1e-6, for fp32 sums over a fixed tree of ≤ 49 + 64 + 294 terms per path (a chain of
     * ~400 fp32 additions; seen: ≤ 3e-9).
     */
    @ParameterizedTest
    @MethodSource("ids")
    void parameterSumsOverAMillionElementsAgainstFloat64(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-param-sums"));
        int rows = 128 * 3 * 49, cols = 49, n = rows * cols;
        FloatArray prm = new FloatArray("params", Arrays.copyOfRange(params(rng).host(), PAD, PAD + 8));
        double[] pd = toDouble(prm.host());
        FloatArray x = KernelHarness.random("S", n, rng, 4);
        FloatArray dp = KernelHarness.random("dP", n, rng, 1);
        FloatArray p = new FloatArray("P", n);
        for (int i = 0; i < n; i++) p.host()[i] = (float) (rng.nextDouble() * 2.0 / cols);
        FloatArray ds = KernelHarness.poisoned("dS", n);
        FloatArray dprm = KernelHarness.poisoned("dparams", 8);
        KernelHarness.run(device(id), Op.MULTIMAX_BWD, new int[] {rows, cols}, new float[0], ds, dprm, dp, p, x, prm);
        double[] u = dev.multimax.device.Reference.softmaxBackRows(toDouble(p.host()), toDouble(dp.host()), rows, cols);
        checkSums("multimax_bwd dparams (922k elements) on " + id, dprm.host(), u, toDouble(x.host()), pd);

        int m = 100_003;
        FloatArray xm = KernelHarness.random("X", m, rng, 4);
        FloatArray dy = KernelHarness.random("dY", m, rng, 1);
        FloatArray dx = KernelHarness.poisoned("dX", m);
        FloatArray dpm = KernelHarness.poisoned("dparams", 8);
        KernelHarness.run(device(id), Op.MODULATE_BWD, new int[] {m}, new float[0], dx, dpm, dy, xm, prm);
        checkSums("modulate_bwd dparams (100k elements) on " + id, dpm.host(), toDouble(dy.host()), toDouble(xm.host()), pd);
    }

    private static void checkSums(String what, float[] got, double[] u, double[] x, double[] p) {
        double[] want = dev.multimax.device.Reference.modulateBack(u, x, p);
        double[] mag = new double[8];
        for (int i = 0; i < x.length; i++) {
            double a0 = Math.max(p[0] - x[i], 0), a1 = Math.max(x[i] - p[1], 0);
            double a2 = Math.max(p[2] - x[i], 0), a3 = Math.max(x[i] - p[3], 0);
            double au = Math.abs(u[i]);
            mag[0] += Math.abs(p[4]) * au * (a0 > 0 ? 1 : 0);
            mag[1] += Math.abs(p[5]) * au * (a1 > 0 ? 1 : 0);
            mag[2] += 2 * Math.abs(p[6]) * au * a2;
            mag[3] += 2 * Math.abs(p[7]) * au * a3;
            mag[4] += au * a0;
            mag[5] += au * a1;
            mag[6] += au * a2 * a2;
            mag[7] += au * a3 * a3;
        }
        StringBuilder report = new StringBuilder(what);
        for (int k = 0; k < 8; k++) {
            double w = want[x.length + k];
            double err = Math.abs(got[k] - w);
            report.append(String.format("%n  [%d] got %s want %.9g  |err|/Σ|term| %.2e", k, got[k], w, err / mag[k]));
            assertThat(err).as(report.toString()).isLessThanOrEqualTo(1e-6 * mag[k] + 1e-30);
        }
        System.out.println(report);
    }

    /** The profiles name the variant: the row kernels' group-per-row form runs where asked for. */
    @ParameterizedTest
    @MethodSource("ids")
    void variantsShowInProfiles(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-variant"));
        FloatArray prm = new FloatArray("params", Arrays.copyOfRange(params(rng).host(), PAD, PAD + 8));
        FloatArray x = KernelHarness.random("S", 100 * 49, rng, 2);
        FloatArray dp = KernelHarness.random("dP", 100 * 49, rng, 1);
        FloatArray p = KernelHarness.poisoned("P", 100 * 49);
        FloatArray ds = KernelHarness.poisoned("dS", 100 * 49);
        FloatArray dprm = KernelHarness.poisoned("dparams", 8);
        int[] shape = {100, 49};
        TaskGraph g = new TaskGraph("v").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, dp, prm)
                .task("fwd", new KernelCall(Op.MULTIMAX_FWD, List.of(p.all(), x.all(), prm.all()), shape, new float[0]))
                .task("bwd", new KernelCall(Op.MULTIMAX_BWD, List.of(ds.all(), dprm.all(), dp.all(), p.all(), x.all(), prm.all()),
                        shape, new float[0]))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, dprm);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device(id))
                .withProfiler(dev.multimax.graph.ProfilerMode.SILENT)) {
            var tasks = plan.execute().profile().orElseThrow().tasks();
            String form = id.endsWith(GROUP_VARIANT) ? "group-per-row wg16" : "item-per-row wg64";
            assertThat(tasks.get(0).variant()).endsWith(form);
            assertThat(tasks.get(1).variant()).contains(form).endsWith("3pass group64");  // 100 rows > 64: three passes
        }
    }

    /** MultiMax parameters with every piece active on [-4, 4] (as NormAndActivationOpsTest). */
    private static FloatArray params(Random rng) {
        float[] v = {(float) (-1 + rng.nextDouble()), (float) (0.5 + rng.nextDouble()), (float) (-2 + rng.nextDouble()),
            (float) (1 + rng.nextDouble()), (float) (rng.nextGaussian() * 0.5), (float) (rng.nextGaussian() * 0.5),
            (float) (rng.nextGaussian() * 0.2), (float) (rng.nextGaussian() * 0.2)};
        FloatArray a = new FloatArray("params", 8 + 2 * PAD);
        System.arraycopy(v, 0, a.host(), PAD, 8);
        return a;
    }
}
