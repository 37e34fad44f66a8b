package dev.multimax.device.opencl;

import static dev.multimax.device.KernelHarness.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenCL kernels written so far, on slices with non-zero offsets inside larger arrays, against
 * the same calls on java:0: the slice is computed as on java:0 and nothing outside it changes.
 * Shapes are 1 and sizes that are not multiples of the work-group (256) or of the reduction chunk
 * (256 rows: 257 and 600 rows take two and three chunks).
 *
 * <p>Tolerances vs java:0: bitwise (0) for ops whose float operations and order are the same on
 * both devices (copies, adds, the chunked bias/positional sums, the mean pool); GELU 2e-7 absolute
 * + 1e-6 relative (the same A&S formula on both, but exp() and the division may differ by an ulp);
 * AdamW 1e-6 relative (sqrt/division rounding may differ by an ulp or two on OpenCL, bias corrections
 * are computed once per step in double or with expm1).
 */
class OpenClSlicesTest {
    /** Every test here needs an OpenCL device: without one the class fails under CI=true and is skipped elsewhere. */
    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }

    private static final JavaDevice JAVA = (JavaDevice) TestDevices.get(JavaDevice.ID);
    private static final int PAD = 5;

    static List<String> ids() {
        return TestDevices.openClIds();
    }

    @ParameterizedTest
    @MethodSource("ids")
    void elementwiseOpsOnOffsetSlices(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-slices"));
        for (int n : new int[] {1, 255, 257, 1000}) {
            check(id, Op.RESIDUAL_ADD, new int[] {n}, new float[0], 0, 0, rng, n, n, n);
            check(id, Op.GELU_FWD, new int[] {n}, new float[0], 2e-7, 1e-6, rng, n, n);
            check(id, Op.GELU_BWD, new int[] {n}, new float[0], 2e-7, 1e-6, rng, n, n, n);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void biasOpsOnOffsetSlicesAcrossReductionChunks(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-bias"));
        for (int[] s : new int[][] {{1, 1}, {256, 3}, {257, 1}, {600, 33}, {3, 300}}) {
            int m = s[0], n = s[1];
            check(id, Op.BIAS_ADD_FWD, new int[] {m, n}, new float[0], 0, 0, rng, m * n, n);
            check(id, Op.BIAS_ADD_BWD, new int[] {m, n}, new float[0], 0, 0, rng, n, m * n);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void patchPosAndPoolOnOffsetSlices(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-patch"));
        for (int[] s : new int[][] {{1, 1, 1}, {3, 7, 19}, {2, 49, 96}}) {
            int b = s[0], n = s[1], d = s[2];
            check(id, Op.POS_EMBED_FWD, s, new float[0], 0, 0, rng, b * n * d, n * d);
            check(id, Op.POS_EMBED_BWD, s, new float[0], 0, 0, rng, n * d, b * n * d);
            check(id, Op.MEAN_POOL_FWD, s, new float[0], 0, 0, rng, b * d, b * n * d);
            check(id, Op.MEAN_POOL_BWD, s, new float[0], 0, 0, rng, b * n * d, b * d);
        }
        for (int[] s : new int[][] {{1, 1, 1, 1, 1}, {2, 3, 15, 15, 5}, {3, 1, 28, 28, 4}}) {
            int b = s[0], c = s[1], h = s[2], w = s[3], p = s[4];
            check(id, Op.PATCHIFY, s, new float[0], 0, 0, rng, b * (h / p) * (w / p) * c * p * p, b * c * h * w);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void adamwOnOffsetSlices(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-adamw"));
        for (int[] s : new int[][] {{1, 0}, {1, 1}, {1000, 333}}) {
            int n = s[0];
            check(id, Op.ADAMW, s, new float[] {0.9f, 0.999f, 1e-8f, 0.05f}, 1e-7, 1e-6, rng, n, n, n, n, 2, 2);
        }
    }

    /**
     * Runs {@code op} on slices [PAD + k, +count) of arrays of count + 2·PAD + k elements (k = the
     * buffer's index, so offsets differ) on java:0 and on {@code id}; compares every array whole.
     * AdamW's schedule is [lr, t], its status flag 0; second moments are kept non-negative.
     */
    private static void check(String id, Op op, int[] ints, float[] floats, double atol, double rtol, Random rng,
                              int... counts) {
        List<FloatArray> base = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            FloatArray a = KernelHarness.random(op.bufferNames().get(k), counts[k] + 2 * PAD + k, rng, 2);
            if (op == Op.ADAMW && k == 3) for (int i = 0; i < a.length(); i++) a.host()[i] = Math.abs(a.host()[i]) * 1e-3f;
            if (op == Op.ADAMW && k == 4) {
                a.host()[PAD + k] = 1e-3f;
                a.host()[PAD + k + 1] = 3;
            }
            if (op == Op.ADAMW && k == 5) a.host()[PAD + k] = 0; // status: finite, update
            base.add(a);
        }
        float[][] onJava = run(JAVA, op, ints, floats, base, counts);
        float[][] onCl = run(TestDevices.get(id), op, ints, floats, base, counts);
        for (int k = 0; k < counts.length; k++) {
            double[] want = new double[onJava[k].length];
            for (int i = 0; i < want.length; i++) want[i] = onJava[k][i];
            String what = op.kernelName() + " " + java.util.Arrays.toString(ints) + " buffer " + op.bufferNames().get(k);
            assertClose(what, onCl[k], want, atol, rtol);
            for (int i = 0; i < PAD + k; i++) assertThat(onCl[k][i]).as(what + " before the slice").isEqualTo(base.get(k).host()[i]);
        }
    }

    private static float[][] run(Device dev, Op op, int[] ints, float[] floats, List<FloatArray> base, int[] counts) {
        List<Slice> slices = new ArrayList<>();
        Set<DeviceArray> arrays = new LinkedHashSet<>();
        List<FloatArray> copies = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            FloatArray a = new FloatArray(base.get(k).name(), base.get(k).host().clone());
            copies.add(a);
            arrays.add(a);
            slices.add(a.slice(PAD + k, counts[k]));
        }
        DeviceArray[] all = arrays.toArray(new DeviceArray[0]);
        TaskGraph g = new TaskGraph("slices").transferToDevice(DataTransferMode.EVERY_EXECUTION, all)
                .task(op.kernelName(), new KernelCall(op, slices, ints, floats))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, all);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev)) {
            plan.execute();
        }
        float[][] out = new float[counts.length][];
        for (int k = 0; k < counts.length; k++) out[k] = copies.get(k).host();
        return out;
    }
}
