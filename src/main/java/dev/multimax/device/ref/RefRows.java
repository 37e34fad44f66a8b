package dev.multimax.device.ref;

import java.util.Arrays;

/**
 * ref:0's row activations over S(rows, cols): softmax (at a temperature), sparsemax and 1.5-entmax
 * (exact, by sorting; MULTIMAX.md §6) and evidential softmax, with their backwards.
 */
public final class RefRows {
    private RefRows() {
    }

    /** P = softmax(S) per row, the row max subtracted first so that no exp overflows. */
    public static void softmaxFwd(double[] p, double[] s, int rows, int cols) {
        softmaxTFwd(p, s, rows, cols, 1);
    }

    /** P = softmax(invT·S) per row. */
    public static void softmaxTFwd(double[] p, double[] s, int rows, int cols, double invT) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, invT * s[o + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(invT * s[o + j] - max);
            for (int j = 0; j < cols; j++) p[o + j] = Math.exp(invT * s[o + j] - max) / sum;
        }
    }

    /** dS = P ⊙ (dP − ⟨P, dP⟩) per row. */
    public static void softmaxBwd(double[] ds, double[] dp, double[] p, int rows, int cols) {
        softmaxTBwd(ds, dp, p, rows, cols, 1);
    }

    /** dS = invT·P ⊙ (dP − ⟨P, dP⟩) per row. */
    public static void softmaxTBwd(double[] ds, double[] dp, double[] p, int rows, int cols, double invT) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += p[o + j] * dp[o + j];
            for (int j = 0; j < cols; j++) ds[o + j] = invT * p[o + j] * (dp[o + j] - dot);
        }
    }

    /** P = (S − τ)₊ per row with τ such that the row sums to 1. */
    public static void sparsemaxFwd(double[] p, double[] s, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double max = rowMax(s, o, cols);
            double tau = sparsemaxShifted(s, o, cols, max); // on z − max, where the top entry is exactly 0
            for (int j = 0; j < cols; j++) p[o + j] = Math.max(s[o + j] - max - tau, 0);
        }
    }

    /**
     * τ of sparsemax for the row s[o, o + cols): with z sorted descending, the largest k such that
     * 1 + k·z(k) > Σ_{j≤k} z(j) gives τ = (Σ_{j≤k} z(j) − 1)/k. Computed on z − max(z), added back.
     */
    public static double sparsemaxThreshold(double[] s, int o, int cols) {
        double max = rowMax(s, o, cols);
        return max + sparsemaxShifted(s, o, cols, max);
    }

    private static double sparsemaxShifted(double[] s, int o, int cols, double max) {
        double[] z = descending(s, o, cols, max, 1);
        double cum = 0;
        double tau = 0;
        for (int k = 1; k <= cols; k++) {
            cum += z[k - 1];
            if (1 + k * z[k - 1] > cum) tau = (cum - 1) / k; // k = 1 always qualifies, so τ is set
        }
        return tau;
    }

    /** dS = dP − mean of dP over the support {P > 0}, 0 off it. */
    public static void sparsemaxBwd(double[] ds, double[] dp, double[] p, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double sum = 0;
            int support = 0;
            for (int j = 0; j < cols; j++) {
                if (p[o + j] > 0) {
                    sum += dp[o + j];
                    support++;
                }
            }
            double mean = sum / support;
            for (int j = 0; j < cols; j++) ds[o + j] = p[o + j] > 0 ? dp[o + j] - mean : 0;
        }
    }

    /** P = (S/2 − τ)₊² per row with τ such that the row sums to 1. */
    public static void entmax15Fwd(double[] p, double[] s, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double max = rowMax(s, o, cols);
            double tau = entmax15Shifted(s, o, cols, max); // on (z − max)/2, where the top entry is exactly 0
            for (int j = 0; j < cols; j++) {
                double d = Math.max((s[o + j] - max) / 2 - tau, 0);
                p[o + j] = d * d;
            }
        }
    }

    /**
     * τ of 1.5-entmax for the row: with z = (s − max s)/2 sorted descending, for each k the top-k
     * entries' mean μ_k and sum of squared deviations ss_k (Welford's update, which avoids the
     * cancellation of Σz² − kμ²) give τ_k = μ_k − √max((1 − ss_k)/k, 0); τ = τ_{k*} with
     * k* = #{k : τ_k ≤ z(k)}. Returned on the scale of s/2.
     */
    public static double entmax15Threshold(double[] s, int o, int cols) {
        double max = rowMax(s, o, cols);
        return max / 2 + entmax15Shifted(s, o, cols, max);
    }

    private static double entmax15Shifted(double[] s, int o, int cols, double max) {
        double[] z = descending(s, o, cols, max, 0.5);
        double[] tau = new double[cols + 1];
        double mean = 0;
        double ss = 0;
        int support = 0;
        for (int k = 1; k <= cols; k++) {
            double x = z[k - 1];
            double delta = x - mean;
            mean += delta / k;
            ss += delta * (x - mean);
            tau[k] = mean - Math.sqrt(Math.max((1 - ss) / k, 0));
            if (tau[k] <= x) support++;
        }
        return tau[support];
    }

    /** With g = √P: dS = g ⊙ (dP − ⟨g, dP⟩/Σg). */
    public static void entmax15Bwd(double[] ds, double[] dp, double[] p, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double dot = 0;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double g = Math.sqrt(p[o + j]);
                dot += g * dp[o + j];
                sum += g;
            }
            for (int j = 0; j < cols; j++) ds[o + j] = Math.sqrt(p[o + j]) * (dp[o + j] - dot / sum);
        }
    }

    /**
     * Evidential softmax: P ∝ w ⊙ exp(S − max S) with w = 1 where S ≥ mean(S), maskedWeight
     * elsewhere. The mean is max + mean(S − max): it never exceeds the max, so the top entry is
     * never masked, even through rounding, and it equals every entry of a constant row.
     */
    public static void evsoftmaxFwd(double[] p, double[] s, int rows, int cols, double maskedWeight) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double mean = evsoftmaxMean(s, o, cols);
            double max = rowMax(s, o, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                p[o + j] = (s[o + j] >= mean ? 1 : maskedWeight) * Math.exp(s[o + j] - max);
                sum += p[o + j];
            }
            for (int j = 0; j < cols; j++) p[o + j] /= sum;
        }
    }

    /** The mask threshold of evidential softmax for the row s[o, o + cols). */
    public static double evsoftmaxMean(double[] s, int o, int cols) {
        double max = rowMax(s, o, cols);
        double shifted = 0;
        for (int j = 0; j < cols; j++) shifted += s[o + j] - max;
        return max + shifted / cols;
    }

    private static double rowMax(double[] s, int o, int cols) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) max = Math.max(max, s[o + j]);
        return max;
    }

    /** (s − max)·scale over the row, sorted descending. */
    private static double[] descending(double[] s, int o, int cols, double max, double scale) {
        double[] z = new double[cols];
        for (int j = 0; j < cols; j++) z[j] = (s[o + j] - max) * scale;
        Arrays.sort(z);
        for (int i = 0, j = cols - 1; i < j; i++, j--) {
            double t = z[i];
            z[i] = z[j];
            z[j] = t;
        }
        return z;
    }
}
