package dev.multimax.device;

import static dev.multimax.device.FiniteDifference.dot;
import static dev.multimax.device.FiniteDifference.gradient;
import static dev.multimax.device.KernelHarness.assertClose;
import static dev.multimax.device.KernelHarness.freshSeed;
import static dev.multimax.device.KernelHarness.poisoned;
import static dev.multimax.device.KernelHarness.random;
import static dev.multimax.device.KernelHarness.run;
import static dev.multimax.device.KernelHarness.toDouble;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LayerNorm, softmax, MultiMax and the modulator σ: forwards against float64 loops, backwards
 * against central differences of the float64 forward. Inputs keep ≥ 1e-3 away from σ's kinks so
 * the differences (step 1e-6) never straddle one. Tolerances: rows are short (≤ 97) fp32 sums,
 * so rtol 1e-5 forward and 1e-4 for gradients (which subtract nearly equal terms), with an atol
 * at the scale of the values.
 */
class NormAndActivationOpsTest {
    private static final float[] NONE = new float[0];


    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void layerNorm(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("layernorm"));
        for (int[] s : new int[][] {{1, 2}, {5, 7}, {300, 96}}) {
            int m = s[0];
            int c = s[1];
            float eps = 1e-6f;
            FloatArray x = random("x", m * c, rng, 3);
            FloatArray w = random("w", c, rng, 1.5);
            FloatArray b = random("b", c, rng, 1);
            FloatArray y = poisoned("y", m * c);
            FloatArray mean = poisoned("mean", m);
            FloatArray rstd = poisoned("rstd", m);
            run(dev, Op.LAYERNORM_FWD, new int[] {m, c}, new float[] {eps}, y, mean, rstd, x, w, b);
            double[][] ref = Reference.layerNorm(toDouble(x), toDouble(w), toDouble(b), m, c, eps);
            assertClose("layernorm_fwd y", y.host(), ref[0], 1e-5, 1e-5);
            assertClose("layernorm_fwd mean", mean.host(), ref[1], 1e-6, 1e-5);
            assertClose("layernorm_fwd rstd", rstd.host(), ref[2], 1e-6, 1e-5);
            if (m > 50) continue; // finite differences on the small shapes; the large one checks chunked sums below
            FloatArray dy = random("dy", m * c, rng, 1);
            FloatArray dx = poisoned("dx", m * c);
            FloatArray dw = poisoned("dw", c);
            FloatArray db = poisoned("db", c);
            run(dev, Op.LAYERNORM_BWD, new int[] {m, c}, NONE, dx, dw, db, dy, x, mean, rstd, w);
            double[] g = toDouble(dy);
            double[] xd = toDouble(x);
            double[] wd = toDouble(w);
            double[] bd = toDouble(b);
            assertClose("layernorm_bwd dx", dx.host(),
                    gradient(xd, v -> dot(g, Reference.layerNorm(v, wd, bd, m, c, eps)[0])), 1e-4, 1e-4);
            assertClose("layernorm_bwd dw", dw.host(),
                    gradient(wd, v -> dot(g, Reference.layerNorm(xd, v, bd, m, c, eps)[0])), 1e-4, 1e-4);
            assertClose("layernorm_bwd db", db.host(),
                    gradient(bd, v -> dot(g, Reference.layerNorm(xd, wd, v, m, c, eps)[0])), 1e-4, 1e-4);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void layerNormBackwardOnManyRows(String id) {
        // Many rows: the dw/db sums go through several fixed chunks; compare with the exact formula.
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("layernorm-rows"));
        int m = 1031;
        int c = 13;
        FloatArray x = random("x", m * c, rng, 2);
        FloatArray w = random("w", c, rng, 1.5);
        FloatArray b = random("b", c, rng, 1);
        FloatArray y = poisoned("y", m * c);
        FloatArray mean = poisoned("mean", m);
        FloatArray rstd = poisoned("rstd", m);
        run(dev, Op.LAYERNORM_FWD, new int[] {m, c}, new float[] {1e-6f}, y, mean, rstd, x, w, b);
        FloatArray dy = random("dy", m * c, rng, 1);
        FloatArray dx = poisoned("dx", m * c);
        FloatArray dw = poisoned("dw", c);
        FloatArray db = poisoned("db", c);
        run(dev, Op.LAYERNORM_BWD, new int[] {m, c}, NONE, dx, dw, db, dy, x, mean, rstd, w);
        double[][] ref = Reference.layerNorm(toDouble(x), toDouble(w), toDouble(b), m, c, 1e-6);
        double[] wantW = new double[c];
        double[] wantB = new double[c];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < c; j++) {
                double xhat = (x.host()[r * c + j] - ref[1][r]) * ref[2][r];
                wantW[j] += dy.host()[r * c + j] * xhat;
                wantB[j] += dy.host()[r * c + j];
            }
        }
        assertClose("layernorm_bwd dw (1031 rows)", dw.host(), wantW, 1e-3, 1e-4);
        assertClose("layernorm_bwd db (1031 rows)", db.host(), wantB, 1e-3, 1e-4);
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void softmaxForwardAndBackward(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("softmax"));
        for (int[] s : new int[][] {{1, 1}, {3, 5}, {19, 49}}) {
            int rows = s[0];
            int cols = s[1];
            FloatArray x = random("s", rows * cols, rng, 6);
            FloatArray p = poisoned("p", rows * cols);
            run(dev, Op.SOFTMAX_FWD, new int[] {rows, cols}, NONE, p, x);
            assertClose("softmax_fwd", p.host(), Reference.softmaxRows(toDouble(x), rows, cols), 1e-7, 1e-5);
            FloatArray dp = random("dp", rows * cols, rng, 1);
            FloatArray ds = poisoned("ds", rows * cols);
            run(dev, Op.SOFTMAX_BWD, new int[] {rows, cols}, NONE, ds, dp, p);
            double[] g = toDouble(dp);
            assertClose("softmax_bwd", ds.host(),
                    gradient(toDouble(x), v -> dot(g, Reference.softmaxRows(v, rows, cols))), 1e-6, 1e-4);
        }
    }

    /** Random MultiMax parameters with every piece active on [-4, 4], and inputs away from the kinks. */
    static double[] randomParams(Random rng) {
        return new double[] {-1 + rng.nextDouble(), 0.5 + rng.nextDouble(), -2 + rng.nextDouble(), 1 + rng.nextDouble(),
            rng.nextGaussian() * 0.5, rng.nextGaussian() * 0.5, rng.nextGaussian() * 0.2, rng.nextGaussian() * 0.2};
    }

    static FloatArray awayFromKinks(String name, int n, double[] prm, Random rng) {
        FloatArray a = new FloatArray(name, n);
        for (int i = 0; i < n; i++) {
            float v;
            boolean near;
            do {
                v = (float) ((rng.nextDouble() * 2 - 1) * 4);
                near = false;
                for (int k = 0; k < 4; k++) near |= Math.abs(v - (float) prm[k]) < 1e-3;
            } while (near);
            a.host()[i] = v;
        }
        return a;
    }

    static FloatArray floats(String name, double[] v) {
        FloatArray a = new FloatArray(name, v.length);
        for (int i = 0; i < v.length; i++) a.host()[i] = (float) v[i];
        return a;
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void multimaxForwardAndBackward(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("multimax"));
        for (int[] s : new int[][] {{1, 1}, {4, 7}, {150, 49}}) {
            int rows = s[0];
            int cols = s[1];
            double[] prm = toDouble(floats("p", randomParams(rng)));
            FloatArray params = floats("params", prm);
            FloatArray x = awayFromKinks("s", rows * cols, prm, rng);
            FloatArray p = poisoned("p", rows * cols);
            run(dev, Op.MULTIMAX_FWD, new int[] {rows, cols}, NONE, p, x, params);
            assertClose("multimax_fwd", p.host(), Reference.multimaxRows(toDouble(x), prm, rows, cols), 1e-7, 2e-5);

            FloatArray dp = random("dp", rows * cols, rng, 1);
            FloatArray ds = poisoned("ds", rows * cols);
            FloatArray dprm = poisoned("dparams", 8);
            run(dev, Op.MULTIMAX_BWD, new int[] {rows, cols}, NONE, ds, dprm, dp, p, x, params);
            double[] g = toDouble(dp);
            double[] xd = toDouble(x);
            assertClose("multimax_bwd dS", ds.host(),
                    gradient(xd.clone(), v -> dot(g, Reference.multimaxRows(v, prm, rows, cols))), 1e-6, 2e-4);
            double scale = Math.sqrt(rows * cols);
            assertClose("multimax_bwd dparams", dprm.host(),
                    gradient(prm.clone(), q -> dot(g, Reference.multimaxRows(xd, q, rows, cols))), 1e-5 * scale, 2e-4);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void modulateForwardAndBackward(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("modulate"));
        for (int n : new int[] {1, 10, 5000}) {
            double[] prm = toDouble(floats("p", randomParams(rng)));
            FloatArray params = floats("params", prm);
            FloatArray x = awayFromKinks("x", n, prm, rng);
            FloatArray y = poisoned("y", n);
            run(dev, Op.MODULATE_FWD, new int[] {n}, NONE, y, x, params);
            double[] want = Arrays.stream(toDouble(x)).map(v -> Reference.sigma(v, prm)).toArray();
            assertClose("modulate_fwd", y.host(), want, 1e-6, 1e-6);

            FloatArray dy = random("dy", n, rng, 1);
            FloatArray dx = poisoned("dx", n);
            FloatArray dprm = poisoned("dparams", 8);
            run(dev, Op.MODULATE_BWD, new int[] {n}, NONE, dx, dprm, dy, x, params);
            double[] g = toDouble(dy);
            double[] xd = toDouble(x);
            assertClose("modulate_bwd dx", dx.host(), gradient(xd.clone(),
                    v -> dot(g, Arrays.stream(v).map(e -> Reference.sigma(e, prm)).toArray())), 1e-6, 1e-4);
            assertClose("modulate_bwd dparams", dprm.host(), gradient(prm.clone(),
                    q -> dot(g, Arrays.stream(xd).map(e -> Reference.sigma(e, q)).toArray())), 1e-4 * Math.sqrt(n), 1e-4);
        }
    }
}
