package dev.multimax.device.opencl;

import static dev.multimax.device.KernelHarness.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.Device;
import dev.multimax.device.FiniteDifference;
import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelHarness;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.device.TestDevices;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.TaskGraph;
import dev.multimax.nn.Activation;
import dev.multimax.science.RowActivation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attention/head activations besides MultiMax (SOFTMAX_T, SPARSEMAX, ENTMAX15, EVSOFTMAX forwards
 * and backwards, NLL_PROBS) on every test device (and each OpenCL device again with the GPU row
 * variants), against the float64 references of {@code science.RowActivation}, on fresh seeds,
 * columns 1, 2, 3, 49, 97, 256, slices at non-zero offsets inside larger arrays (outputs NaN inside
 * the slice, every element outside must stay as it was).
 *
 * <p>Inputs are drawn so that no entry lies within 1e-3 of a kink (the support threshold τ of
 * sparsemax/entmax, the row mean of evsoftmax): there the float and float64 supports could differ
 * legitimately, and central differences would average across the kink.
 *
 * <p>Tolerances (fp32 kernels vs float64):
 * <ul>
 * <li>softmax(T) forward 1e-7 + 1e-5·|y| (exp ≤ 3 ulp, sums of ≤ 256 terms); backward 1e-6 + 1e-4·|g|
 *     (y ⊙ (g − ⟨y, g⟩) cancels where g ≈ ⟨y, g⟩), as the plain softmax tests;
 * <li>sparsemax / entmax forward 2e-6 + 1e-5·|y|: y = z − m − τ with fp32 row sums of ≤ 256 terms in τ
 *     (OpenCL) or one rounding of the float64 result (java:0); exact zeros checked exactly;
 * <li>their backwards 1e-6 + 1e-4·|g|: means over the support in fp32 (OpenCL), √y in float;
 * <li>evsoftmax forward 1e-7 + 1e-5·|y| (as softmax; masked entries ~1e-6 are within the rtol);
 * <li>sums of every output row: |Σ − 1| ≤ 1e-5, every entry ≥ 0.
 * </ul>
 */
class RowActivationOpsTest {
    private static final int PAD = 3;
    private static final String GROUP_VARIANT = " gpu-kernels";
    private static final Map<String, OpenClDevice> GROUP_DEVICES = new LinkedHashMap<>();
    private static final int[] COLS = {1, 2, 3, 49, 97, 256};
    private static final float[] NONE = {};

    static List<String> ids() {
        List<String> ids = new ArrayList<>(TestDevices.ids());
        for (String id : TestDevices.openClIds()) ids.add(id + GROUP_VARIANT);
        return ids;
    }

    private static synchronized Device device(String id) {
        if (!id.endsWith(GROUP_VARIANT)) return TestDevices.get(id);
        return GROUP_DEVICES.computeIfAbsent(id, k -> {
            OpenClPlatforms.Found f = OpenClPlatforms.find(k.substring(0, k.length() - GROUP_VARIANT.length()));
            return new OpenClDevice(f, Tuning.of(f.info()).withGpuKernels(16));
        });
    }

    private static int rowsFor(int cols) {
        return cols >= 97 ? 3 : 7;
    }

    // ---- sliced runs ------------------------------------------------------------------------

    /** One buffer: its slice values (in) and, for an output, null (poisoned). */
    private static float[][] runSliced(Device dev, Op op, int[] ints, float[] floats, Random rng, float[]... slices) {
        List<FloatArray> arrays = new ArrayList<>();
        List<float[]> before = new ArrayList<>();
        List<Slice> ss = new ArrayList<>();
        for (int k = 0; k < slices.length; k++) {
            int count = slices[k].length;
            FloatArray a = KernelHarness.random("b" + k, count + 2 * PAD + k, rng, 1);
            int off = PAD + k;
            boolean output = k < outputs(op);
            if (output) {
                Arrays.fill(a.host(), off, off + count, Float.NaN);
            } else {
                System.arraycopy(slices[k], 0, a.host(), off, count);
            }
            before.add(a.host().clone());
            arrays.add(a);
            ss.add(a.slice(off, count));
        }
        FloatArray[] all = arrays.toArray(new FloatArray[0]);
        TaskGraph g = new TaskGraph("rows").transferToDevice(DataTransferMode.EVERY_EXECUTION, all)
                .task(op.kernelName(), new KernelCall(op, ss, ints, floats))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, all);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev)) {
            plan.execute();
        }
        float[][] out = new float[slices.length][];
        for (int k = 0; k < slices.length; k++) {
            int off = PAD + k;
            float[] h = all[k].host();
            for (int i = 0; i < h.length; i++) {
                if (k < outputs(op) && i >= off && i < off + slices[k].length) continue;
                assertThat(h[i]).as(op + " buffer " + k + " [" + i + "] outside the output slice").isEqualTo(before.get(k)[i]);
            }
            out[k] = Arrays.copyOfRange(h, off, off + slices[k].length);
        }
        return out;
    }

    private static int outputs(Op op) {
        return 1;
    }

    // ---- inputs away from kinks ------------------------------------------------------------------

    /** A row uniform in [−scale, scale) whose entries keep ≥ margin from the activation's kinks. */
    private static double[] row(Random rng, int cols, double scale, String act) {
        for (int attempt = 0; ; attempt++) {
            double[] z = new double[cols];
            for (int i = 0; i < cols; i++) z[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
            if (attempt > 1000 || awayFromKinks(z, act)) return z;
        }
    }

    private static boolean awayFromKinks(double[] z, String act) {
        double m = Arrays.stream(z).max().orElseThrow();
        double margin = 1e-3;
        switch (act) {
            case "sparsemax", "entmax15" -> {
                boolean sparse = act.equals("sparsemax");
                double[] y = sparse ? new RowActivation.Sparsemax().forward(z) : new RowActivation.Entmax15().forward(z);
                double tau = Double.NaN;
                for (int i = 0; i < z.length; i++) {
                    if (y[i] > 0) tau = sparse ? z[i] - m - y[i] : (z[i] - m) / 2 - Math.sqrt(y[i]);
                }
                for (double v : z) {
                    double d = sparse ? v - m - tau : (v - m) / 2 - tau;
                    if (Math.abs(d) < margin) return false;
                }
                return true;
            }
            case "evsoftmax" -> {
                double mean = Arrays.stream(z).average().orElseThrow();
                for (double v : z) {
                    if (v != mean && Math.abs(v - mean) < margin) return false;  // cols 1: z = mean, unmasked
                }
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    private static float[] flat(double[][] rows) {
        int cols = rows[0].length;
        float[] f = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < cols; j++) f[r * cols + j] = (float) rows[r][j];
        }
        return f;
    }

    private static double[] rowOf(float[] f, int r, int cols) {
        double[] d = new double[cols];
        for (int j = 0; j < cols; j++) d[j] = f[r * cols + j];
        return d;
    }

    private static void assertSimplex(String what, float[] p, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                assertThat(p[r * cols + j]).as(what + " row " + r + " entry " + j).isGreaterThanOrEqualTo(0f);
                sum += p[r * cols + j];
            }
            assertThat(Math.abs(sum - 1)).as(what + " row " + r + " sum " + sum).isLessThanOrEqualTo(1e-5);
        }
    }

    /**
     * Forward vs the reference, the simplex, exact zeros; backward vs the reference VJP and (cols ≤ 49)
     * central differences of the float64 forward.
     */
    private void check(String id, String act, RowActivation ref, Op fwd, float[] fwdFloats, Op bwd, float[] bwdFloats,
                       double fAtol, double fRtol, double bAtol, double bRtol, double scale) {
        Device dev = device(id);
        Random rng = new Random(KernelHarness.freshSeed(act + "-" + id));
        for (int cols : COLS) {
            int rows = rowsFor(cols);
            double[][] z = new double[rows][];
            for (int r = 0; r < rows; r++) z[r] = row(rng, cols, scale, act);
            float[] s = flat(z);
            String what = act + " rows " + rows + " cols " + cols + " on " + id;
            float[] p = runSliced(dev, fwd, new int[] {rows, cols}, fwdFloats, rng, new float[rows * cols], s)[0];
            double[] want = new double[rows * cols];
            for (int r = 0; r < rows; r++) System.arraycopy(ref.forward(z[r]), 0, want, r * cols, cols);
            assertClose(what + " forward", p, want, fAtol, fRtol);
            assertSimplex(what, p, rows, cols);
            if (!act.startsWith("softmax") && !act.equals("evsoftmax")) {
                for (int i = 0; i < want.length; i++) {
                    if (want[i] == 0) assertThat(p[i]).as(what + " exact zero [" + i + "]").isEqualTo(0f);
                    else assertThat(p[i]).as(what + " support [" + i + "]").isGreaterThan(0f);
                }
            }
            float[] dp = new float[rows * cols];
            for (int i = 0; i < dp.length; i++) dp[i] = (float) (rng.nextDouble() * 2 - 1);
            float[] ds = runSliced(dev, bwd, new int[] {rows, cols}, bwdFloats, rng, new float[rows * cols], dp, p)[0];
            double[] wantG = new double[rows * cols];
            for (int r = 0; r < rows; r++) {
                double[] g = rowOf(dp, r, cols);
                double[] y = ref.forward(z[r]);
                double[] vjp = ref.backward(z[r], y, g);
                if (cols <= 49) {
                    double[] fd = FiniteDifference.gradient(z[r].clone(), v -> FiniteDifference.dot(g, ref.forward(v)));
                    assertClose(what + " reference VJP vs central differences, row " + r, toFloat(vjp), fd, 1e-6, 1e-4);
                }
                System.arraycopy(vjp, 0, wantG, r * cols, cols);
            }
            assertClose(what + " backward", ds, wantG, bAtol, bRtol);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @ParameterizedTest
    @MethodSource("ids")
    void softmaxAtTemperature(String id) {
        for (double t : new double[] {0.5, 2.0, 0.7}) {
            float invT = (float) (1 / t);
            RowActivation ref = new RowActivation.Softmax(1.0 / invT);  // the temperature the float carries
            check(id, "softmax T=" + t, ref, Op.SOFTMAX_T_FWD, new float[] {invT}, Op.SOFTMAX_T_BWD, new float[] {invT},
                    1e-7, 1e-5, 1e-6, 1e-4, 4);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void sparsemax(String id) {
        check(id, "sparsemax", new RowActivation.Sparsemax(), Op.SPARSEMAX_FWD, NONE, Op.SPARSEMAX_BWD, NONE,
                2e-6, 1e-5, 1e-6, 1e-4, 3);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void entmax15(String id) {
        check(id, "entmax15", new RowActivation.Entmax15(), Op.ENTMAX15_FWD, NONE, Op.ENTMAX15_BWD, NONE,
                2e-6, 1e-5, 1e-6, 1e-4, 3);
    }

    /** Training form (masked weight 1e-6) and evaluation form (0); the backward is SOFTMAX_BWD. */
    @ParameterizedTest
    @MethodSource("ids")
    void evsoftmax(String id) {
        check(id, "evsoftmax", new RowActivation.EvSoftmax(true), Op.EVSOFTMAX_FWD,
                new float[] {Activation.EVSOFTMAX_MASKED_WEIGHT}, Op.SOFTMAX_BWD, NONE, 1e-7, 1e-5, 1e-6, 1e-4, 4);
        check(id, "evsoftmax", new RowActivation.EvSoftmax(false), Op.EVSOFTMAX_FWD, new float[] {0f},
                Op.SOFTMAX_BWD, NONE, 1e-7, 1e-5, 1e-6, 1e-4, 4);
    }

    /** Rows and columns at sizes sparse kernels treat specially: all-equal rows, a single dominant entry. */
    @ParameterizedTest
    @MethodSource("ids")
    void sparseEdgeRows(String id) {
        Device dev = device(id);
        int cols = 5;
        float[] s = {0, 0, 0, 0, 0, 10, 0, -3, 1, 2, -40, -40, -40, -40, -39.5f};
        for (Op op : new Op[] {Op.SPARSEMAX_FWD, Op.ENTMAX15_FWD}) {
            RowActivation ref = op == Op.SPARSEMAX_FWD ? new RowActivation.Sparsemax() : new RowActivation.Entmax15();
            float[] p = runSliced(dev, op, new int[] {3, cols}, NONE, new Random(1), new float[15], s)[0];
            double[] want = new double[15];
            for (int r = 0; r < 3; r++) System.arraycopy(ref.forward(rowOf(s, r, cols)), 0, want, r * cols, cols);
            assertClose(op + " edge rows on " + id, p, want, 2e-6, 1e-5);
            assertSimplex(op + " edge rows on " + id, p, 3, cols);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void nllOnProbabilities(String id) {
        Device dev = device(id);
        Random rng = new Random(KernelHarness.freshSeed("nll-" + id));
        int b = 6, k = 10, valid = 5;
        float[] p = new float[b * k];
        for (int r = 0; r < b; r++) {
            double[] z = new double[k];
            for (int j = 0; j < k; j++) z[j] = rng.nextGaussian() * 2;
            double[] y = new RowActivation.Sparsemax().forward(z);
            for (int j = 0; j < k; j++) p[r * k + j] = (float) y[j];
        }
        int[] labels = new int[b];
        for (int r = 0; r < b; r++) labels[r] = rng.nextInt(k);
        // Row 0: the label has probability 0 (clamped loss, no gradient); row 1: the label is the argmax.
        p[0] = 0;
        labels[0] = 0;
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (p[k + j] > p[k + best]) best = j;
        }
        labels[1] = best;

        FloatArray dP = KernelHarness.poisoned("dP", b * k);
        FloatArray metrics = KernelHarness.poisoned("metrics", 2);
        FloatArray probs = new FloatArray("P", p.clone());
        IntArray lab = new IntArray("labels", b);
        System.arraycopy(labels, 0, lab.host(), 0, b);
        FloatArray v = new FloatArray("valid", new float[] {valid});
        KernelHarness.run(dev, Op.NLL_PROBS, new int[] {b, k}, NONE, dP, metrics, probs, lab, v);

        double loss = 0;
        int hits = 0;
        double[] wantD = new double[b * k];
        for (int r = 0; r < valid; r++) {
            float pl = p[r * k + labels[r]];
            loss += -Math.log(Math.max(pl, 1e-12));
            int am = 0;
            for (int j = 1; j < k; j++) {
                if (p[r * k + j] > p[r * k + am]) am = j;
            }
            if (am == labels[r]) hits++;
            if (pl > 1e-12f) wantD[r * k + labels[r]] = -1.0 / (valid * (double) pl);
        }
        assertClose("nll_probs dP on " + id, dP.host(), wantD, 1e-6, 1e-6);
        assertClose("nll_probs loss on " + id, new float[] {metrics.host()[0]}, new double[] {loss}, 1e-5, 1e-6);
        assertThat(metrics.host()[1]).as("nll_probs hits on " + id).isEqualTo((float) hits);
        assertThat(wantD[labels[0]]).isEqualTo(0.0);  // the clamped row has no gradient
    }
}
