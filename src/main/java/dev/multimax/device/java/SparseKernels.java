package dev.multimax.device.java;

import java.util.Arrays;

/**
 * Sparsemax, 1.5-entmax and evidential softmax over rows (MULTIMAX.md §6), forward and backward.
 *
 * <p>Forwards work in double on a sorted copy of each row (the exact, sort-based forms of the
 * float64 references in {@code science.Sparse}), so java:0 gives the reference rounded to float.
 * Rows are independent and each is computed by one thread in a fixed order: results do not depend
 * on the thread count.
 */
final class SparseKernels {
    /** Rows per parallel chunk. */
    private static final int ROW_CHUNK = 64;

    private SparseKernels() {
    }

    /** The row z(in..in+cols) shifted by its max and scaled, into d[0..cols), sorted descending. */
    private static double sortedDescending(float[] s, int in, int cols, double scale, double[] d) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) m = Math.max(m, s[in + j]);
        for (int j = 0; j < cols; j++) d[j] = -((s[in + j] - m) * scale);  // negated: ascending sort = descending
        Arrays.sort(d, 0, cols);
        for (int j = 0; j < cols; j++) d[j] = -d[j];
        return m;
    }

    /** P = (S − max − τ)₊, τ = (Σ_{j≤k*} z(j) − 1)/k*, k* = max{k : 1 + k·z(k) > Σ_{j≤k} z(j)}. */
    static void sparsemaxFwd(Parallel par, float[] p, int pOff, float[] s, int sOff, int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            double[] d = new double[cols];
            for (int r = r0; r < r1; r++) {
                int in = sOff + r * cols;
                double m = sortedDescending(s, in, cols, 1.0, d);
                double cum = 0;
                double tau = 0;
                for (int k = 1; k <= cols; k++) {
                    cum += d[k - 1];
                    if (1 + k * d[k - 1] > cum) tau = (cum - 1) / k;
                }
                int out = pOff + r * cols;
                for (int j = 0; j < cols; j++) p[out + j] = (float) Math.max(s[in + j] - m - tau, 0.0);
            }
        });
    }

    /** dS = dP − mean_{P>0}(dP) on the support, 0 off it. */
    static void sparsemaxBwd(Parallel par, float[] ds, int dsOff, float[] dp, int dpOff, float[] p, int pOff,
                             int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int row = r * cols;
                double sum = 0;
                int support = 0;
                for (int j = 0; j < cols; j++) {
                    if (p[pOff + row + j] > 0) {
                        sum += dp[dpOff + row + j];
                        support++;
                    }
                }
                float v = support == 0 ? 0f : (float) (sum / support);
                for (int j = 0; j < cols; j++) {
                    ds[dsOff + row + j] = p[pOff + row + j] > 0 ? dp[dpOff + row + j] - v : 0f;
                }
            }
        });
    }

    /**
     * P = (z' − τ)₊², z' = (S − max)/2; τ_k = μ_k − √max((1 − ss_k)/k, 0) over the top k (Welford),
     * τ = τ_{k*} with k* = #{k : τ_k ≤ z'(k)}.
     */
    static void entmax15Fwd(Parallel par, float[] p, int pOff, float[] s, int sOff, int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            double[] d = new double[cols];
            double[] taus = new double[cols + 1];
            for (int r = r0; r < r1; r++) {
                int in = sOff + r * cols;
                double m = sortedDescending(s, in, cols, 0.5, d);
                double mean = 0;
                double ss = 0;
                int support = 0;
                for (int k = 1; k <= cols; k++) {
                    double x = d[k - 1];
                    double delta = x - mean;
                    mean += delta / k;
                    ss += delta * (x - mean);
                    taus[k] = mean - Math.sqrt(Math.max((1 - ss) / k, 0.0));
                    if (taus[k] <= x) support++;
                }
                double tau = taus[support];
                int out = pOff + r * cols;
                for (int j = 0; j < cols; j++) {
                    double v = Math.max((s[in + j] - m) * 0.5 - tau, 0.0);
                    p[out + j] = (float) (v * v);
                }
            }
        });
    }

    /** dS = s ⊙ (dP − ⟨s, dP⟩/Σs), s = √P. */
    static void entmax15Bwd(Parallel par, float[] ds, int dsOff, float[] dp, int dpOff, float[] p, int pOff,
                            int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int row = r * cols;
                double dot = 0;
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    double sq = Math.sqrt(p[pOff + row + j]);
                    dot += sq * dp[dpOff + row + j];
                    sum += sq;
                }
                double q = sum > 0 ? dot / sum : 0;
                for (int j = 0; j < cols; j++) {
                    double sq = Math.sqrt(p[pOff + row + j]);
                    ds[dsOff + row + j] = (float) (sq * (dp[dpOff + row + j] - q));
                }
            }
        });
    }

    /** P ∝ w ⊙ exp(S − max), w = 1 where S ≥ mean(S), else maskedWeight; in double. */
    static void evsoftmaxFwd(Parallel par, float[] p, int pOff, float[] s, int sOff, int rows, int cols,
                             float maskedWeight) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            double[] e = new double[cols];
            for (int r = r0; r < r1; r++) {
                int in = sOff + r * cols;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) m = Math.max(m, s[in + j]);
                double shifted = 0;
                for (int j = 0; j < cols; j++) shifted += s[in + j] - m;
                double mean = m + shifted / cols;
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    e[j] = (s[in + j] >= mean ? 1.0 : maskedWeight) * Math.exp(s[in + j] - m);
                    sum += e[j];
                }
                int out = pOff + r * cols;
                for (int j = 0; j < cols; j++) p[out + j] = (float) (e[j] / sum);
            }
        });
    }
}
