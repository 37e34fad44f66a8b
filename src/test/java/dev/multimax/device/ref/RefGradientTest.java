package dev.multimax.device.ref;

import static dev.multimax.device.FiniteDifference.dot;
import static dev.multimax.device.FiniteDifference.gradient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.KernelHarness;
import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Every backward of {@code ref:0} against central differences of its forward, in float64: with a
 * random upstream gradient G and L = ⟨G, forward(x)⟩, each backward must give ∂L/∂x for every
 * input. Shapes are odd, seeds fresh; inputs are kept 1e-2 away from kinks (σ's ranges, the
 * supports of sparsemax and entmax, evsoftmax's mean), where the difference quotient would
 * average two slopes. Since every device is checked against ref:0, this is what makes a wrong
 * gradient impossible to pass anywhere.
 */
class RefGradientTest {
    private static final double KINK = 1e-2;

    private final Random rng = new Random(KernelHarness.freshSeed("ref gradients"));

    private double[] uniform(int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = (rng.nextDouble() * 2 - 1) * scale;
        return a;
    }

    /** |got − want| ≤ 1e-6·max|want| + 1e-6·|want| element-wise. */
    private static void assertGradient(String what, double[] got, double[] want) {
        double peak = Arrays.stream(want).map(Math::abs).max().orElse(0);
        assertThat(peak).as(what + ": a gradient that is all zeros proves nothing").isGreaterThan(0);
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(got[i] - want[i])).as("%s[%d]: got %s want %s", what, i, got[i], want[i])
                    .isLessThanOrEqualTo(1e-6 * peak + 1e-6 * Math.abs(want[i]));
        }
    }

    /** L(x) = ⟨G, f(x)⟩ for an f writing n outputs. */
    private static ToDoubleFunction<double[]> loss(double[] g, int n, java.util.function.BiConsumer<double[], double[]> f) {
        return x -> {
            double[] y = new double[n];
            f.accept(y, x);
            return dot(g, y);
        };
    }

    @Test
    void biasPositionAndPool() {
        int m = 7, n = 5, b = 3, t = 4, d = 5;
        double[] g = uniform(m * n, 1);
        double[] y0 = uniform(m * n, 1);
        double[] db = new double[n];
        RefLinear.biasAddBwd(db, g, m, n);
        assertGradient("bias db", db, gradient(uniform(n, 1), loss(g, m * n, (y, bias) -> {
            System.arraycopy(y0, 0, y, 0, y.length);
            RefLinear.biasAddFwd(y, bias, m, n);
        })));
        double[] gx = uniform(b * t * d, 1);
        double[] dpos = new double[t * d];
        RefPatch.posEmbedBwd(dpos, gx, b, t, d);
        assertGradient("dpos", dpos, gradient(uniform(t * d, 1), loss(gx, b * t * d, (x, pos) -> RefPatch.posEmbedFwd(x, pos, b, t, d))));
        double[] gy = uniform(b * d, 1);
        double[] dx = new double[b * t * d];
        RefPatch.meanPoolBwd(dx, gy, b, t, d);
        assertGradient("mean pool dX", dx, gradient(uniform(b * t * d, 1), loss(gy, b * d, (y, x) -> RefPatch.meanPoolFwd(y, x, b, t, d))));
    }

    @Test
    void layerNorm() {
        int m = 5, c = 7;
        double[] x = uniform(m * c, 2);
        double[] w = uniform(c, 1);
        double[] bias = uniform(c, 1);
        double[] g = uniform(m * c, 1);
        double[] y = new double[m * c];
        double[] mean = new double[m];
        double[] rstd = new double[m];
        RefNorm.layernormFwd(y, mean, rstd, x, w, bias, m, c, 1e-5);
        double[] dx = new double[m * c];
        double[] dw = new double[c];
        double[] db = new double[c];
        RefNorm.layernormBwd(dx, dw, db, g, x, mean, rstd, w, m, c);
        double[] mm = new double[m];
        double[] rr = new double[m];
        assertGradient("layernorm dX", dx, gradient(x.clone(), loss(g, m * c, (out, xx) -> RefNorm.layernormFwd(out, mm, rr, xx, w, bias, m, c, 1e-5))));
        assertGradient("layernorm dw", dw, gradient(w.clone(), loss(g, m * c, (out, ww) -> RefNorm.layernormFwd(out, mm, rr, x, ww, bias, m, c, 1e-5))));
        assertGradient("layernorm db", db, gradient(bias.clone(), loss(g, m * c, (out, bb) -> RefNorm.layernormFwd(out, mm, rr, x, w, bb, m, c, 1e-5))));
    }

    @Test
    void gelu() {
        int n = 41;
        double[] x = uniform(n, 4);
        double[] g = uniform(n, 1);
        double[] dx = new double[n];
        RefNorm.geluBwd(dx, g, x, n);
        assertGradient("gelu dX", dx, gradient(x.clone(), loss(g, n, (y, xx) -> RefNorm.geluFwd(y, xx, n))));
        assertThat(RefNorm.erf(0.5)).isCloseTo(0.5204998778130465, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void softmaxAtTemperatures() {
        int rows = 3, cols = 9;
        for (double invT : new double[] {1, 1.7, 0.4}) {
            double[] s = uniform(rows * cols, 3);
            double[] g = uniform(rows * cols, 1);
            double[] p = new double[rows * cols];
            RefRows.softmaxTFwd(p, s, rows, cols, invT);
            double[] ds = new double[rows * cols];
            RefRows.softmaxTBwd(ds, g, p, rows, cols, invT);
            assertGradient("softmax_t dS at 1/T = " + invT, ds,
                    gradient(s.clone(), loss(g, rows * cols, (y, x) -> RefRows.softmaxTFwd(y, x, rows, cols, invT))));
        }
    }

    private double[] multimaxParams() {
        double[] p = {-1.3, 0.9, -0.6, 1.4, 0, 0, 0, 0};
        for (int i = 0; i < 4; i++) p[i] += 0.2 * (rng.nextDouble() - 0.5);
        for (int i = 4; i < 8; i++) p[i] = -0.6 + 1.5 * rng.nextDouble();
        return p;
    }

    private double[] awayFromRanges(int n, double[] params) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            do {
                x[i] = (rng.nextDouble() * 2 - 1) * 3;
            } while (near(x[i], params[0], params[1], params[2], params[3]));
        }
        return x;
    }

    private static boolean near(double x, double... kinks) {
        for (double k : kinks) {
            if (Math.abs(x - k) < KINK) return true;
        }
        return false;
    }

    @Test
    void multimaxAndTheModulator() {
        int rows = 4, cols = 13;
        double[] prm = multimaxParams();
        double[] s = awayFromRanges(rows * cols, prm);
        double[] g = uniform(rows * cols, 1);
        double[] p = new double[rows * cols];
        RefMultiMax.multimaxFwd(p, s, prm, rows, cols);
        double[] ds = new double[rows * cols];
        double[] dprm = new double[8];
        RefMultiMax.multimaxBwd(ds, dprm, g, p, s, prm, rows, cols);
        assertGradient("multimax dS", ds, gradient(s.clone(), loss(g, rows * cols, (y, x) -> RefMultiMax.multimaxFwd(y, x, prm, rows, cols))));
        assertGradient("multimax dparams", dprm, gradient(prm.clone(), loss(g, rows * cols, (y, q) -> RefMultiMax.multimaxFwd(y, s, q, rows, cols))));

        int n = 57;
        double[] x = awayFromRanges(n, prm);
        double[] gy = uniform(n, 1);
        double[] dx = new double[n];
        double[] dprm2 = new double[8];
        RefMultiMax.modulateBwd(dx, dprm2, gy, x, prm, n);
        assertGradient("modulate dX", dx, gradient(x.clone(), loss(gy, n, (y, xx) -> RefMultiMax.modulateFwd(y, xx, prm, n))));
        assertGradient("modulate dparams", dprm2, gradient(prm.clone(), loss(gy, n, (y, q) -> RefMultiMax.modulateFwd(y, x, q, n))));
    }

    @Test
    void attentionProducts() {
        int b = 2, n = 5, h = 2, dh = 3;
        int qkvN = b * n * 3 * h * dh;
        double scale = 1 / Math.sqrt(dh);
        double[] qkv = uniform(qkvN, 1);
        double[] gs = uniform(b * h * n * n, 1);
        double[] dqkv = new double[qkvN]; // the v part stays 0: scores do not depend on v
        RefAttention.attnScoresBwd(dqkv, gs, qkv, b, n, h, dh, scale);
        assertGradient("scores dqkv", dqkv, gradient(qkv.clone(), loss(gs, b * h * n * n, (s, x) -> RefAttention.attnScoresFwd(s, x, b, n, h, dh, scale))));

        double[] p = uniform(b * h * n * n, 1);
        double[] go = uniform(b * n * h * dh, 1);
        double[] dp = new double[b * h * n * n];
        double[] dv = new double[qkvN]; // the q and k parts stay 0
        RefAttention.attnContextBwd(dp, dv, go, p, qkv, b, n, h, dh);
        assertGradient("context dP", dp, gradient(p.clone(), loss(go, b * n * h * dh, (o, pp) -> RefAttention.attnContextFwd(o, pp, qkv, b, n, h, dh))));
        assertGradient("context dqkv (v)", dv, gradient(qkv.clone(), loss(go, b * n * h * dh, (o, x) -> RefAttention.attnContextFwd(o, p, x, b, n, h, dh))));
    }

    @Test
    void losses() {
        int b = 5, k = 7, valid = 4;
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = rng.nextInt(k);
        double[] logits = uniform(b * k, 3);
        double[] dl = new double[b * k];
        double[] metrics = new double[2];
        RefLoss.crossEntropy(dl, metrics, logits, labels, new double[] {valid}, b, k);
        assertGradient("cross-entropy dLogits", dl, gradient(logits.clone(), x -> {
            double[] m = new double[2];
            RefLoss.crossEntropy(new double[b * k], m, x, labels, new double[] {valid}, b, k);
            return m[0] / valid;
        }));
        double[] probs = new double[b * k];
        RefRows.softmaxFwd(probs, uniform(b * k, 2), b, k);
        double[] dp = new double[b * k];
        RefLoss.nllProbs(dp, metrics, probs, labels, new double[] {valid}, b, k);
        assertGradient("nll dP", dp, gradient(probs.clone(), x -> {
            double[] m = new double[2];
            RefLoss.nllProbs(new double[b * k], m, x, labels, new double[] {valid}, b, k);
            return m[0] / valid;
        }));
    }

    /** Rows of S whose entries all lie KINK away from the row's threshold. */
    private double[] awayFromThreshold(int rows, int cols, java.util.function.ToDoubleBiFunction<double[], Integer> gapOfEntry) {
        double[] s = uniform(rows * cols, 3);
        for (int r = 0; r < rows; r++) {
            double[] row = Arrays.copyOfRange(s, r * cols, (r + 1) * cols);
            for (int round = 0; ; round++) {
                boolean moved = false;
                for (int j = 0; j < cols; j++) {
                    if (Math.abs(gapOfEntry.applyAsDouble(row, j)) < KINK) {
                        row[j] = (rng.nextDouble() * 2 - 1) * 3;
                        moved = true;
                    }
                }
                if (!moved) break;
                assertThat(round).as("drawing a row away from the threshold").isLessThan(100);
            }
            System.arraycopy(row, 0, s, r * cols, cols);
        }
        return s;
    }

    @Test
    void sparseActivations() {
        int rows = 4, cols = 11;
        double[] sp = awayFromThreshold(rows, cols, (row, j) -> row[j] - RefRows.sparsemaxThreshold(row, 0, row.length));
        double[] g = uniform(rows * cols, 1);
        double[] p = new double[rows * cols];
        double[] ds = new double[rows * cols];
        RefRows.sparsemaxFwd(p, sp, rows, cols);
        RefRows.sparsemaxBwd(ds, g, p, rows, cols);
        assertGradient("sparsemax dS", ds, gradient(sp.clone(), loss(g, rows * cols, (y, x) -> RefRows.sparsemaxFwd(y, x, rows, cols))));

        double[] se = awayFromThreshold(rows, cols, (row, j) -> row[j] / 2 - RefRows.entmax15Threshold(row, 0, row.length));
        RefRows.entmax15Fwd(p, se, rows, cols);
        RefRows.entmax15Bwd(ds, g, p, rows, cols);
        assertGradient("entmax15 dS", ds, gradient(se.clone(), loss(g, rows * cols, (y, x) -> RefRows.entmax15Fwd(y, x, rows, cols))));

        // evsoftmax's backward is softmax's, with the mask held fixed (it is, away from the mean)
        double[] sv = awayFromThreshold(rows, cols, (row, j) -> row[j] - RefRows.evsoftmaxMean(row, 0, row.length));
        RefRows.evsoftmaxFwd(p, sv, rows, cols, 1e-6);
        RefRows.softmaxBwd(ds, g, p, rows, cols);
        assertGradient("evsoftmax dS", ds, gradient(sv.clone(), loss(g, rows * cols, (y, x) -> RefRows.evsoftmaxFwd(y, x, rows, cols, 1e-6))));
    }
}
