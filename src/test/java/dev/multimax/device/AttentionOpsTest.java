package dev.multimax.device;

import static dev.multimax.device.KernelHarness.assertClose;
import static dev.multimax.device.KernelHarness.freshSeed;
import static dev.multimax.device.KernelHarness.poisoned;
import static dev.multimax.device.KernelHarness.random;
import static dev.multimax.device.KernelHarness.run;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four attention products against float64 loops over the qkv layout (B, N, 3, H, Dh), on
 * shapes that are not multiples of any vector length (N 1, 5, 49; Dh 1, 3, 32, 20). Sums run over
 * N or Dh ≤ 49 terms of O(1) values: atol 1e-5, rtol 1e-5.
 */
class AttentionOpsTest {

    private static final int[][] SHAPES = {{1, 1, 1, 1}, {2, 5, 3, 3}, {3, 49, 3, 32}, {1, 17, 2, 20}};

    private static int q(int b, int n, int i, int h, int hh, int dh, int part, int k) {
        return (((b * n + i) * 3 + part) * h + hh) * dh + k;
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void forwardAndBackwardProducts(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("attention"));
        for (int[] s : SHAPES) {
            int b = s[0], n = s[1], h = s[2], dh = s[3];
            int d = h * dh;
            float scale = (float) (1 / Math.sqrt(dh));
            int[] shape = {b, n, h, dh};
            FloatArray qkv = random("qkv", b * n * 3 * d, rng, 1);
            float[] x = qkv.host();

            FloatArray sc = poisoned("S", b * h * n * n);
            run(dev, Op.ATTN_SCORES_FWD, shape, new float[] {scale}, sc, qkv);
            double[] want = new double[sc.length()];
            for (int bb = 0; bb < b; bb++) for (int hh = 0; hh < h; hh++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int k = 0; k < dh; k++) acc += (double) x[q(bb, n, i, h, hh, dh, 0, k)] * x[q(bb, n, j, h, hh, dh, 1, k)];
                want[((bb * h + hh) * n + i) * n + j] = scale * acc;
            }
            assertClose("attn_scores_fwd " + java.util.Arrays.toString(s), sc.host(), want, 1e-5, 1e-5);

            FloatArray p = random("P", b * h * n * n, rng, 1);
            FloatArray o = poisoned("O", b * n * d);
            run(dev, Op.ATTN_CONTEXT_FWD, shape, new float[0], o, p, qkv);
            double[] wantO = new double[o.length()];
            for (int bb = 0; bb < b; bb++) for (int hh = 0; hh < h; hh++) for (int i = 0; i < n; i++) for (int k = 0; k < dh; k++) {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += (double) p.host()[((bb * h + hh) * n + i) * n + j] * x[q(bb, n, j, h, hh, dh, 2, k)];
                wantO[(bb * n + i) * d + hh * dh + k] = acc;
            }
            assertClose("attn_context_fwd", o.host(), wantO, 1e-5, 1e-5);

            FloatArray dO = random("dO", b * n * d, rng, 1);
            FloatArray dP = poisoned("dP", b * h * n * n);
            FloatArray dqkv = poisoned("dqkv", b * n * 3 * d);
            run(dev, Op.ATTN_CONTEXT_BWD, shape, new float[0], dP, dqkv, dO, p, qkv);
            FloatArray dS = random("dS", b * h * n * n, rng, 1);
            run(dev, Op.ATTN_SCORES_BWD, shape, new float[] {scale}, dqkv, dS, qkv);
            double[] wantDP = new double[dP.length()];
            double[] wantDqkv = new double[dqkv.length()];
            for (int bb = 0; bb < b; bb++) for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
                    int pij = ((bb * h + hh) * n + i) * n + j;
                    for (int k = 0; k < dh; k++) {
                        double g = dO.host()[(bb * n + i) * d + hh * dh + k];
                        wantDP[pij] += g * x[q(bb, n, j, h, hh, dh, 2, k)];
                        wantDqkv[q(bb, n, j, h, hh, dh, 2, k)] += (double) p.host()[pij] * g;
                        wantDqkv[q(bb, n, i, h, hh, dh, 0, k)] += scale * (double) dS.host()[pij] * x[q(bb, n, j, h, hh, dh, 1, k)];
                        wantDqkv[q(bb, n, j, h, hh, dh, 1, k)] += scale * (double) dS.host()[pij] * x[q(bb, n, i, h, hh, dh, 0, k)];
                    }
                }
            }
            assertClose("attn_context_bwd dP", dP.host(), wantDP, 1e-5, 1e-5);
            assertClose("attn_context_bwd + attn_scores_bwd dqkv", dqkv.host(), wantDqkv, 1e-5, 1e-5);
        }
    }
}
