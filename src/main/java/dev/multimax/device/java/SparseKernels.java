package dev.multimax.device.java;

/**
 * Sparsemax, 1.5-entmax and evidential softmax over rows (MULTIMAX.md §6), forward and backward.
 *
 * <p>The forwards find τ in float without sorting, as tasks/sparse.cl does (ref:0 sorts, so the
 * two are independent). Rows are independent and each is computed by one thread in a fixed order: results do not depend
 * on the thread count.
 */
final class SparseKernels {
    /** Rows per parallel chunk. */
    private static final int ROW_CHUNK = 64;

    private SparseKernels() {
    }

    /** Halvings of [−1, 0] before the closed-form refinement (as tasks/sparse.cl). */
    private static final int BISECT = 30;
    /** Bound on entmax's refinement steps (sparsemax's is cols). */
    private static final int MAX_REFINE = 64;

    private static float rowMax(float[] s, int in, int cols) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) m = Math.max(m, s[in + j]);
        return m;
    }

    /**
     * f(t) = Σ (z' − t)₊^a − 1 with z' = (S − max)·scale: sparsemax a = 1, scale 1; entmax a = 2,
     * scale ½. Falls from ≥ 0 at t = −1 to −1 at t = 0.
     */
    private static float excess(float[] s, int in, int cols, float m, float scale, boolean squared, float t) {
        float f = -1f;
        for (int j = 0; j < cols; j++) {
            float d = Math.max((s[in + j] - m) * scale - t, 0f);
            f += squared ? d * d : d;
        }
        return f;
    }

    /** The largest t found by bisection with f(t) ≥ 0: a lower bound of τ, so {z' > t} holds the support. */
    private static float bisect(float[] s, int in, int cols, float m, float scale, boolean squared) {
        float lo = -1f;
        float hi = 0f;
        for (int it = 0; it < BISECT; it++) {
            float mid = 0.5f * (lo + hi);
            if (excess(s, in, cols, m, scale, squared, mid) >= 0f) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    /**
     * P = (S − max − τ)₊ with Σ P = 1, without sorting (the algorithm of tasks/sparse.cl, in float;
     * ref:0 sorts): bisection to a superset of the support, then Michelot's iteration
     * τ = (Σ_S z' − 1)/|S| over S = {z' > τ} until S stops changing.
     */
    static void sparsemaxFwd(Parallel par, float[] p, int pOff, float[] s, int sOff, int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int in = sOff + r * cols;
                float m = rowMax(s, in, cols);
                float t = bisect(s, in, cols, m, 1f, false);
                int k = -1;
                for (int it = 0; it <= cols; it++) {
                    float sum = 0f;
                    int n = 0;
                    for (int j = 0; j < cols; j++) {
                        float v = s[in + j] - m;
                        if (v > t) {
                            sum += v;
                            n++;
                        }
                    }
                    if (n == k || n == 0) break;
                    k = n;
                    t = (sum - 1f) / n;
                }
                int out = pOff + r * cols;
                for (int j = 0; j < cols; j++) p[out + j] = Math.max((s[in + j] - m) - t, 0f);
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
     * P = ((S − max)/2 − τ)₊² with Σ P = 1, without sorting (tasks/sparse.cl's algorithm, in float):
     * bisection, then τ = μ − √max((1 − ss)/|S|, 0) from the mean μ and squared deviations ss of
     * S = {z' > τ}, until S stops changing.
     */
    static void entmax15Fwd(Parallel par, float[] p, int pOff, float[] s, int sOff, int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int in = sOff + r * cols;
                float m = rowMax(s, in, cols);
                float t = bisect(s, in, cols, m, 0.5f, true);
                int k = -1;
                for (int it = 0; it < MAX_REFINE; it++) {
                    float sum = 0f;
                    int n = 0;
                    for (int j = 0; j < cols; j++) {
                        float v = (s[in + j] - m) * 0.5f;
                        if (v > t) {
                            sum += v;
                            n++;
                        }
                    }
                    if (n == k || n == 0) break;
                    k = n;
                    float mean = sum / n;
                    float ss = 0f;
                    for (int j = 0; j < cols; j++) {
                        float v = (s[in + j] - m) * 0.5f;
                        if (v > t) ss += (v - mean) * (v - mean);
                    }
                    t = mean - (float) Math.sqrt(Math.max((1f - ss) / n, 0f));
                }
                int out = pOff + r * cols;
                for (int j = 0; j < cols; j++) {
                    float d = Math.max((s[in + j] - m) * 0.5f - t, 0f);
                    p[out + j] = d * d;
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
