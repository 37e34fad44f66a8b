package dev.multimax.device;

import static dev.multimax.device.KernelHarness.assertClose;
import static dev.multimax.device.KernelHarness.freshSeed;
import static dev.multimax.device.KernelHarness.poisoned;
import static dev.multimax.device.KernelHarness.random;
import static dev.multimax.device.KernelHarness.run;
import static dev.multimax.device.KernelHarness.toDouble;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bias, residual, GELU, patch, positional-embedding and pooling ops against float64 loops.
 * Tolerance: one or a few fp32 roundings (rtol 1e-6..1e-5); sums over S terms allow S·2⁻²⁴ relative.
 */
class ElementwiseOpsTest {

    private static final float[] NONE = new float[0];

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void biasAddForwardAndBackward(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("bias"));
        for (int[] s : new int[][] {{1, 1}, {7, 13}, {301, 97}}) {
            int m = s[0];
            int n = s[1];
            FloatArray y = random("y", m * n, rng, 2);
            double[] y0 = toDouble(y);
            FloatArray b = random("b", n, rng, 1);
            run(dev, Op.BIAS_ADD_FWD, new int[] {m, n}, NONE, y, b);
            double[] want = new double[m * n];
            for (int i = 0; i < m * n; i++) want[i] = y0[i] + b.host()[i % n];
            assertClose("bias_add_fwd " + m + "x" + n, y.host(), want, 1e-6, 1e-6);

            FloatArray db = poisoned("db", n);
            FloatArray dy = random("dy", m * n, rng, 1);
            run(dev, Op.BIAS_ADD_BWD, new int[] {m, n}, NONE, db, dy);
            double[] sum = new double[n];
            for (int i = 0; i < m * n; i++) sum[i % n] += dy.host()[i];
            assertClose("bias_add_bwd " + m + "x" + n, db.host(), sum, 1e-6 * m, 1e-5);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void residualAdd(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("residual"));
        for (int n : new int[] {1, 17, 40_001}) {
            FloatArray z = poisoned("z", n);
            FloatArray x = random("x", n, rng, 3);
            FloatArray y = random("y", n, rng, 3);
            run(dev, Op.RESIDUAL_ADD, new int[] {n}, NONE, z, x, y);
            double[] want = new double[n];
            for (int i = 0; i < n; i++) want[i] = (double) x.host()[i] + y.host()[i];
            assertClose("residual_add " + n, z.host(), want, 0, 1e-7);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void geluForwardAndBackward(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("gelu"));
        for (int n : new int[] {1, 33, 20_011}) {
            FloatArray x = random("x", n, rng, 5);
            FloatArray y = poisoned("y", n);
            run(dev, Op.GELU_FWD, new int[] {n}, NONE, y, x);
            double[] want = new double[n];
            for (int i = 0; i < n; i++) want[i] = Reference.gelu(x.host()[i]);
            // erf approximation error 1.5e-7 absolute, scaled by |x|/2 ≤ 2.5.
            assertClose("gelu_fwd " + n, y.host(), want, 5e-7, 1e-6);

            FloatArray dy = random("dy", n, rng, 1);
            FloatArray dx = poisoned("dx", n);
            run(dev, Op.GELU_BWD, new int[] {n}, NONE, dx, dy, x);
            for (int i = 0; i < n; i++) want[i] = dy.host()[i] * Reference.geluPrime(x.host()[i]);
            assertClose("gelu_bwd " + n, dx.host(), want, 5e-7, 1e-5);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void patchify(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("patchify"));
        for (int[] s : new int[][] {{1, 1, 4, 4, 2}, {3, 2, 12, 12, 4}, {2, 3, 15, 15, 5}}) {
            int b = s[0], c = s[1], h = s[2], w = s[3], p = s[4];
            int n = (h / p) * (w / p);
            FloatArray img = random("img", b * c * h * w, rng, 1);
            FloatArray out = poisoned("patches", b * n * c * p * p);
            run(dev, Op.PATCHIFY, new int[] {b, c, h, w, p}, NONE, out, img);
            double[] want = new double[out.length()];
            for (int bi = 0; bi < b; bi++) {
                for (int t = 0; t < n; t++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int ky = 0; ky < p; ky++) {
                            for (int kx = 0; kx < p; kx++) {
                                int yy = (t / (w / p)) * p + ky;
                                int xx = (t % (w / p)) * p + kx;
                                want[(bi * n + t) * c * p * p + (ch * p + ky) * p + kx] =
                                        img.host()[((bi * c + ch) * h + yy) * w + xx];
                            }
                        }
                    }
                }
            }
            assertClose("patchify", out.host(), want, 0, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void posEmbedAndMeanPool(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("pos-pool"));
        for (int[] s : new int[][] {{1, 1, 1}, {5, 9, 12}, {7, 49, 96}}) {
            int b = s[0], n = s[1], d = s[2];
            FloatArray x = random("x", b * n * d, rng, 1);
            double[] x0 = toDouble(x);
            FloatArray pos = random("pos", n * d, rng, 1);
            run(dev, Op.POS_EMBED_FWD, new int[] {b, n, d}, NONE, x, pos);
            double[] want = new double[b * n * d];
            for (int i = 0; i < want.length; i++) want[i] = x0[i] + pos.host()[i % (n * d)];
            assertClose("pos_embed_fwd", x.host(), want, 1e-7, 1e-6);

            FloatArray dpos = poisoned("dpos", n * d);
            run(dev, Op.POS_EMBED_BWD, new int[] {b, n, d}, NONE, dpos, x);
            double[] sum = new double[n * d];
            for (int i = 0; i < b * n * d; i++) sum[i % (n * d)] += x.host()[i];
            assertClose("pos_embed_bwd", dpos.host(), sum, 1e-6 * b, 1e-5);

            FloatArray y = poisoned("y", b * d);
            run(dev, Op.MEAN_POOL_FWD, new int[] {b, n, d}, NONE, y, x);
            double[] mean = new double[b * d];
            for (int bi = 0; bi < b; bi++) {
                for (int t = 0; t < n; t++) {
                    for (int k = 0; k < d; k++) mean[bi * d + k] += x.host()[(bi * n + t) * d + k] / (double) n;
                }
            }
            assertClose("mean_pool_fwd", y.host(), mean, 1e-6, 1e-5);

            FloatArray dx = poisoned("dx", b * n * d);
            run(dev, Op.MEAN_POOL_BWD, new int[] {b, n, d}, NONE, dx, y);
            double[] back = new double[b * n * d];
            for (int i = 0; i < back.length; i++) back[i] = y.host()[(i / (n * d)) * d + i % d] / (double) n;
            assertClose("mean_pool_bwd", dx.host(), back, 1e-7, 1e-6);
        }
    }
}
