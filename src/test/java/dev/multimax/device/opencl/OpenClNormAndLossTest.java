package dev.multimax.device.opencl;

import static dev.multimax.device.KernelHarness.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelHarness;
import dev.multimax.device.Op;
import dev.multimax.device.Reference;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LayerNorm and cross-entropy on OpenCL at odd shapes (sizes 1, 3, 97, 385: not multiples of any
 * work-group or of the 256-row reduction chunk; 600 rows take three chunks), on slices at non-zero
 * offsets whose outputs are poisoned with NaN (so every element must be written) and whose
 * surroundings must not change; against java:0 and against float64 formulas.
 *
 * <p>Each OpenCL device runs three ways: its own tuning ({@code native}: on PoCL, one item per
 * row with fp64 accumulation), {@code gpu} (the GPU variant: a work-group of 128, or 4, items per
 * row reducing in local memory; forced through {@link OpenClDevice#open(String, Tuning)} since CI has no
 * GPU) and {@code fp32} (no fp64: compensated float sums).
 *
 * <p>Tolerances (rows of up to 385 elements, values up to ~10):
 * <ul>
 * <li>layernorm_fwd vs java:0: mean, rstd 2e-6 relative, y 1e-5 abs + 1e-5 rel — with fp64 the
 *     statistics agree to an ulp or so (double sums rounded once); compensated float adds ~1 ulp.</li>
 * <li>layernorm_fwd vs float64: mean 1e-6 abs + 1e-6 rel (mean of values ~4±3), rstd 1e-5 rel;
 *     y 2e-5 abs + 1e-5 rel against float64 from the stored mean and rstd (a few float roundings;
 *     from float64 statistics instead, a short row of nearly equal values has a large rstd that
 *     amplifies the stored mean's rounding, on java:0 alike).</li>
 * <li>layernorm_bwd dX vs java:0 and float64: 2e-5 abs + 1e-4 rel — java:0 sums ĝ and ĝx̂ in float
 *     (≤ 385 terms), and dX subtracts nearly equal terms; dw, db: 1e-4 abs + 1e-5 rel vs java:0 (db
 *     is bitwise, same order; dw differs only where java:0's scalar tail does not fuse), vs float64
 *     2e-4 abs + 1e-5 rel (sums of up to 600 products in float).</li>
 * <li>cross_entropy dLogits vs java:0: 1e-7 abs + 1e-6 rel (exp/log in double may differ by ulps),
 *     vs float64 1e-7 abs + 1e-5 rel; without fp64 5e-7 abs + 1e-5 rel (float exp/log are ≤ 3 ulp, and
 *     softmax − 1 cancels near 1, leaving a few ulps of 1); Σ loss 1e-6 relative to java:0 (1e-5
 *     without fp64: float exp/log1p per row, a compensated float sum), 1e-5·valid abs vs float64;
 *     the argmax count exact.</li>
 * </ul>
 */
class OpenClNormAndLossTest {
    /** Every test here needs an OpenCL device: without one the class fails under CI=true and is skipped elsewhere. */
    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }

    private static final JavaDevice JAVA = (JavaDevice) TestDevices.get(JavaDevice.ID);
    private static final int PAD = 3;
    private static final Map<String, Device> OVERRIDDEN = new LinkedHashMap<>();
    private static final int[] SIZES = {1, 3, 97, 385};

    static Stream<Arguments> devices() {
        List<Arguments> all = new ArrayList<>();
        for (String id : TestDevices.openClIds()) {
            for (String v : new String[] {"native", "gpu", "gpu4", "fp32"}) all.add(Arguments.of(id, v));
        }
        return all.stream();
    }

    private static synchronized Device device(String id, String variant) {
        if (variant.equals("native")) return TestDevices.get(id);
        return OVERRIDDEN.computeIfAbsent(id + " " + variant, k -> {
            Tuning base = ((OpenClDevice) TestDevices.get(id)).tuning();
            return switch (variant) {
                case "gpu" -> OpenClDevice.open(id, base.with("gpu", 128, true));
                case "gpu4" -> OpenClDevice.open(id, base.with("gpu", 4, false));
                case "fp32" -> OpenClDevice.open(id, base.with(base.kind(), 0, false));
                default -> throw new IllegalArgumentException(variant);
            };
        });
    }

    @AfterAll
    static synchronized void closeOverridden() {
        for (Device d : OVERRIDDEN.values()) d.close();
        OVERRIDDEN.clear();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void layerNormAtOddShapes(String id, String variant) {
        Device dev = device(id, variant);
        Random rng = new Random(KernelHarness.freshSeed("ocl-layernorm " + variant));
        List<int[]> shapes = new ArrayList<>();
        for (int m : SIZES) for (int c : SIZES) shapes.add(new int[] {m, c});
        shapes.add(new int[] {600, 3});
        shapes.add(new int[] {257, 1});
        for (int[] s : shapes) {
            int m = s[0], c = s[1];
            String at = variant + " M=" + m + " C=" + c;
            float eps = 1e-5f;
            FloatArray x = shifted(KernelHarness.random("x", m * c + 2 * PAD + 3, rng, 3), 4);
            List<DeviceArray> fwd = List.of(poisonedAt("y", m * c, 0, rng), poisonedAt("mean", m, 1, rng),
                    poisonedAt("rstd", m, 2, rng), x, KernelHarness.random("w", c + 2 * PAD + 4, rng, 1.5),
                    KernelHarness.random("b", c + 2 * PAD + 5, rng, 1));
            int[] fc = {m * c, m, m, m * c, c, c};
            int[] ints = {m, c};
            List<DeviceArray> onJava = run(JAVA, Op.LAYERNORM_FWD, ints, new float[] {eps}, fwd, fc);
            List<DeviceArray> onCl = run(dev, Op.LAYERNORM_FWD, ints, new float[] {eps}, fwd, fc);
            unchangedAround(at, fwd, onCl, fc, 3);
            double[] xd = part(x, 3, m * c);
            double[] wd = part(fwd.get(4), 4, c);
            double[] bd = part(fwd.get(5), 5, c);
            double[][] ref = Reference.layerNorm(xd, wd, bd, m, c, eps);
            // y against float64 from the statistics the kernel stored: a row of nearly equal values
            // has a large rstd that amplifies the float rounding of the stored mean (same on java:0)
            double[] meanCl = part(onCl.get(1), 1, m), rstdCl = part(onCl.get(2), 2, m);
            for (int i = 0; i < m * c; i++) ref[0][i] = (xd[i] - meanCl[i / c]) * rstdCl[i / c] * wd[i % c] + bd[i % c];
            String[] names = {"y", "mean", "rstd"};
            double[][] vsJava = {{1e-5, 1e-5}, {0, 2e-6}, {0, 2e-6}};
            double[][] vsRef = {{2e-5, 1e-5}, {1e-6, 1e-6}, {0, 1e-5}};
            // y across devices: each sums the row's mean in its own order, and rstd·|w| amplifies that
            // float rounding (C·ulp of the row's largest |x|) in every y of a row of nearly equal values
            double[] meanRounding = new double[m * c];
            for (int i = 0; i < m * c; i++) {
                int row = i / c;
                double maxAbs = 0;
                for (int j = 0; j < c; j++) maxAbs = Math.max(maxAbs, Math.abs(xd[row * c + j]));
                meanRounding[i] = 2.0 * c * Math.ulp((float) maxAbs) * rstdCl[row] * Math.abs(wd[i % c]);
            }
            for (int k = 0; k < 3; k++) {
                float[] got = floats(onCl.get(k), k, fc[k]);
                double atol = vsJava[k][0];
                java.util.function.IntToDoubleFunction atolAt = k == 0 ? i -> atol + meanRounding[i] : i -> atol;
                assertClose("layernorm_fwd " + names[k] + " vs java:0 " + at, got, part(onJava.get(k), k, fc[k]),
                        atolAt, vsJava[k][1]);
                assertClose("layernorm_fwd " + names[k] + " vs float64 " + at, got, ref[k], vsRef[k][0], vsRef[k][1]);
            }

            // backward from java:0's saved statistics (the same inputs on both devices)
            FloatArray dy = KernelHarness.random("dy", m * c + 2 * PAD + 3, rng, 1);
            List<DeviceArray> bwd = List.of(poisonedAt("dx", m * c, 0, rng), poisonedAt("dw", c, 1, rng),
                    poisonedAt("db", c, 2, rng), dy, placed(x, 3, m * c, 4, rng), placed(onJava.get(1), 1, m, 5, rng),
                    placed(onJava.get(2), 2, m, 6, rng), placed(fwd.get(4), 4, c, 7, rng));
            int[] bc = {m * c, c, c, m * c, m * c, m, m, c};
            List<DeviceArray> bJava = run(JAVA, Op.LAYERNORM_BWD, ints, new float[0], bwd, bc);
            List<DeviceArray> bCl = run(dev, Op.LAYERNORM_BWD, ints, new float[0], bwd, bc);
            unchangedAround(at, bwd, bCl, bc, 3);
            double[][] want = layerNormBackward(part(dy, 3, m * c), xd, part(bwd.get(5), 5, m), part(bwd.get(6), 6, m),
                    part(bwd.get(7), 7, c), m, c);
            String[] bnames = {"dx", "dw", "db"};
            double[][] bJavaTol = {{2e-5, 1e-4}, {1e-4, 1e-5}, {1e-4, 1e-5}};
            double[][] bRefTol = {{2e-5, 1e-4}, {2e-4, 1e-5}, {2e-4, 1e-5}};
            for (int k = 0; k < 3; k++) {
                float[] got = floats(bCl.get(k), k, bc[k]);
                assertClose("layernorm_bwd " + bnames[k] + " vs java:0 " + at, got, part(bJava.get(k), k, bc[k]),
                        bJavaTol[k][0], bJavaTol[k][1]);
                assertClose("layernorm_bwd " + bnames[k] + " vs float64 " + at, got, want[k], bRefTol[k][0], bRefTol[k][1]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void crossEntropyAtOddShapesAndValidRows(String id, String variant) {
        Device dev = device(id, variant);
        Random rng = new Random(KernelHarness.freshSeed("ocl-cross-entropy " + variant));
        boolean fp32 = variant.equals("fp32") || variant.equals("gpu4") || !dev.info().fp64();
        double gradAtol = fp32 ? 5e-7 : 1e-7;
        double gradRtol = fp32 ? 1e-5 : 1e-6;
        for (int b : SIZES) {
            for (int k : new int[] {1, 3, 10, 97}) {
                for (int valid : new int[] {b, Math.max(0, b - 2), 0, 1}) {
                    String at = variant + " B=" + b + " K=" + k + " valid=" + valid;
                    IntArray labels = new IntArray("labels", b + 2 * PAD + 3);
                    for (int i = 0; i < labels.length(); i++) labels.host()[i] = rng.nextInt(k);
                    FloatArray v = KernelHarness.random("valid", 1 + 2 * PAD + 4, rng, 9);
                    v.host()[PAD + 4] = valid;
                    List<DeviceArray> bufs = List.of(poisonedAt("dLogits", b * k, 0, rng), poisonedAt("metrics", 2, 1, rng),
                            KernelHarness.random("logits", b * k + 2 * PAD + 2, rng, 4), labels, v);
                    int[] counts = {b * k, 2, b * k, b, 1};
                    int[] ints = {b, k};
                    List<DeviceArray> onJava = run(JAVA, Op.CROSS_ENTROPY, ints, new float[0], bufs, counts);
                    List<DeviceArray> onCl = run(dev, Op.CROSS_ENTROPY, ints, new float[0], bufs, counts);
                    unchangedAround(at, bufs, onCl, counts, 2);
                    float[] metrics = floats(onCl.get(1), 1, 2);
                    float[] javaMetrics = floats(onJava.get(1), 1, 2);
                    double[] logits = part(bufs.get(2), 2, b * k);
                    int[] lab = Arrays.copyOfRange(labels.host(), PAD + 3, PAD + 3 + b);
                    double[] grad = new double[b * k];
                    double loss = 0;
                    int correct = 0;
                    for (int r = 0; r < valid; r++) {
                        double max = Double.NEGATIVE_INFINITY;
                        int arg = 0;
                        for (int j = 0; j < k; j++) {
                            if (logits[r * k + j] > max) {
                                max = logits[r * k + j];
                                arg = j;
                            }
                        }
                        double sum = 0;
                        for (int j = 0; j < k; j++) sum += Math.exp(logits[r * k + j] - max);
                        loss += max + Math.log(sum) - logits[r * k + lab[r]];
                        if (arg == lab[r]) correct++;
                        for (int j = 0; j < k; j++) {
                            grad[r * k + j] = (Math.exp(logits[r * k + j] - max) / sum - (j == lab[r] ? 1 : 0)) / valid;
                        }
                    }
                    float[] got = floats(onCl.get(0), 0, b * k);
                    assertClose("cross_entropy dLogits vs java:0 " + at, got, part(onJava.get(0), 0, b * k), gradAtol, gradRtol);
                    assertClose("cross_entropy dLogits vs float64 " + at, got, grad, gradAtol, 1e-5);
                    assertClose("cross_entropy Σ loss vs java:0 " + at, new float[] {metrics[0]},
                            new double[] {javaMetrics[0]}, 0, fp32 ? 1e-5 : 1e-6);
                    assertClose("cross_entropy Σ loss vs float64 " + at, new float[] {metrics[0]}, new double[] {loss},
                            1e-5 * Math.max(1, valid), 0);
                    assertThat(metrics[1]).as("cross_entropy #correct " + at).isEqualTo((float) correct)
                            .isEqualTo(javaMetrics[1]);
                }
            }
        }
    }

    /** java:0 throws on these; a kernel cannot, so the metrics become NaN (the trainer's non-finite check). */
    @ParameterizedTest
    @MethodSource("devices")
    void crossEntropyMarksInvalidBatchesWithNaN(String id, String variant) {
        Device dev = device(id, variant);
        int b = 4, k = 3;
        for (int[] bad : new int[][] {{b + 1, 0}, {-1, 0}, {b, k}, {2, -1}}) {
            IntArray labels = new IntArray("labels", b);
            labels.host()[1] = bad[1];
            FloatArray logits = new FloatArray("logits", b * k);
            FloatArray metrics = KernelHarness.poisoned("metrics", 2);
            FloatArray dl = KernelHarness.poisoned("dLogits", b * k);
            KernelHarness.run(dev, Op.CROSS_ENTROPY, new int[] {b, k}, new float[0], dl, metrics, logits, labels,
                    new FloatArray("valid", new float[] {bad[0]}));
            assertThat(metrics.host()[0]).as("Σ loss with valid " + bad[0] + ", label " + bad[1]).isNaN();
            assertThat(metrics.host()[1]).as("#correct is still written").isNotNaN();
        }
    }

    // ---- float64 reference ----

    /** dX, dw, db of LayerNorm from the saved statistics (as the kernels use them). */
    private static double[][] layerNormBackward(double[] dy, double[] x, double[] mean, double[] rstd, double[] w, int m, int c) {
        double[] dx = new double[m * c];
        double[] dw = new double[c];
        double[] db = new double[c];
        for (int r = 0; r < m; r++) {
            double sg = 0, sgx = 0;
            for (int j = 0; j < c; j++) {
                double xh = (x[r * c + j] - mean[r]) * rstd[r];
                double gh = dy[r * c + j] * w[j];
                sg += gh;
                sgx += gh * xh;
                dw[j] += dy[r * c + j] * xh;
                db[j] += dy[r * c + j];
            }
            for (int j = 0; j < c; j++) {
                double xh = (x[r * c + j] - mean[r]) * rstd[r];
                dx[r * c + j] = rstd[r] * (dy[r * c + j] * w[j] - sg / c - xh * sgx / c);
            }
        }
        return new double[][] {dx, dw, db};
    }

    // ---- slices: buffer k sits at offset PAD + k of an array with PAD + k elements before and PAD after ----

    /** count NaNs at offset PAD + k, random values around them. */
    private static FloatArray poisonedAt(String name, int count, int k, Random rng) {
        FloatArray a = KernelHarness.random(name, count + 2 * PAD + k, rng, 1);
        Arrays.fill(a.host(), PAD + k, PAD + k + count, Float.NaN);
        return a;
    }

    private static FloatArray shifted(FloatArray a, float by) {
        for (int i = 0; i < a.length(); i++) a.host()[i] += by;
        return a;
    }

    /** The slice of {@code src} (buffer index {@code from}) copied to offset PAD + {@code to} of a new array. */
    private static FloatArray placed(DeviceArray src, int from, int count, int to, Random rng) {
        FloatArray a = KernelHarness.random(src.name(), count + 2 * PAD + to, rng, 1);
        System.arraycopy(((FloatArray) src).host(), PAD + from, a.host(), PAD + to, count);
        return a;
    }

    private static double[] part(DeviceArray a, int k, int count) {
        float[] f = floats(a, k, count);
        double[] d = new double[count];
        for (int i = 0; i < count; i++) d[i] = f[i];
        return d;
    }

    private static float[] floats(DeviceArray a, int k, int count) {
        return Arrays.copyOfRange(((FloatArray) a).host(), PAD + k, PAD + k + count);
    }

    /** Outputs (the first {@code outputs} buffers) keep every element outside their slice; inputs keep everything. */
    private static void unchangedAround(String at, List<DeviceArray> before, List<DeviceArray> after, int[] counts, int outputs) {
        for (int k = 0; k < before.size(); k++) {
            if (!(before.get(k) instanceof FloatArray b)) continue;
            float[] a = ((FloatArray) after.get(k)).host();
            for (int i = 0; i < a.length; i++) {
                boolean inSlice = i >= PAD + k && i < PAD + k + counts[k];
                if (k < outputs && inSlice) continue;
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b.host()[i])) {
                    throw new AssertionError(at + ": buffer " + b.name() + " changed at " + i + (inSlice ? " (an input)" : " (outside the slice)"));
                }
            }
        }
    }

    private static List<DeviceArray> run(Device dev, Op op, int[] ints, float[] floats, List<DeviceArray> base, int[] counts) {
        List<Slice> slices = new ArrayList<>();
        List<DeviceArray> copies = new ArrayList<>();
        for (int k = 0; k < base.size(); k++) {
            DeviceArray b = base.get(k);
            DeviceArray a = b instanceof FloatArray f ? new FloatArray(f.name(), f.host().clone())
                    : copyInts((IntArray) b);
            copies.add(a);
            slices.add(a.slice(PAD + k, counts[k]));
        }
        DeviceArray[] all = copies.toArray(new DeviceArray[0]);
        TaskGraph g = new TaskGraph("odd").transferToDevice(DataTransferMode.EVERY_EXECUTION, all)
                .task(op.kernelName(), new KernelCall(op, slices, ints, floats))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, all);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev)) {
            plan.execute();
        }
        return copies;
    }

    private static IntArray copyInts(IntArray b) {
        IntArray a = new IntArray(b.name(), b.length());
        System.arraycopy(b.host(), 0, a.host(), 0, b.length());
        return a;
    }
}
