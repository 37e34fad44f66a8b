package dev.multimax.science;

import java.util.Arrays;

/** Sparsemax and 1.5-entmax, exact, by sorting (MULTIMAX.md §6). */
final class Sparse {
    private Sparse() {
    }

    /** z − max(z), sorted descending. */
    private static double[] shiftedDescending(double[] z, double scale) {
        double m = Rows.max(z);
        double[] s = new double[z.length];
        for (int i = 0; i < z.length; i++) s[i] = (z[i] - m) * scale;
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /** y = (z − τ)₊ with τ from the largest k such that 1 + k·z(k) > Σ_{j≤k} z(j) (z sorted descending). */
    static double[] sparsemax(double[] z) {
        double[] s = shiftedDescending(z, 1.0);
        double cum = 0;
        double tau = 0;
        for (int k = 1; k <= s.length; k++) {
            cum += s[k - 1];
            // k = 1 always qualifies (1 + z(1) > z(1)), so τ is always set.
            if (1 + k * s[k - 1] > cum) tau = (cum - 1) / k;
        }
        double m = Rows.max(z);
        double[] y = new double[z.length];
        for (int i = 0; i < z.length; i++) y[i] = Math.max(z[i] - m - tau, 0.0);
        return y;
    }

    static double[] sparsemaxBackward(double[] y, double[] g) {
        double sum = 0;
        int support = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] > 0) {
                sum += g[i];
                support++;
            }
        }
        double v = sum / support;
        double[] dz = new double[y.length];
        for (int i = 0; i < y.length; i++) dz[i] = y[i] > 0 ? g[i] - v : 0.0;
        return dz;
    }

    /**
     * y = (z' − τ)₊² with z' = (z − max z)/2. For each k (top-k entries of z' sorted descending):
     * τ_k = μ_k − √max((1 − ss_k)/k, 0) with μ_k their mean and ss_k their sum of squared deviations
     * (updated in Welford's form, which avoids the cancellation of Σz² − kμ²); τ = τ_{k*} with
     * k* = #{k : τ_k ≤ z'(k)}.
     */
    static double[] entmax15(double[] z) {
        double[] s = shiftedDescending(z, 0.5);
        double[] tau = new double[s.length + 1];
        double mean = 0;
        double ss = 0;
        int support = 0;
        for (int k = 1; k <= s.length; k++) {
            double x = s[k - 1];
            double delta = x - mean;
            mean += delta / k;
            ss += delta * (x - mean);
            tau[k] = mean - Math.sqrt(Math.max((1 - ss) / k, 0.0));
            if (tau[k] <= x) support++;
        }
        double t = tau[support];
        double m = Rows.max(z);
        double[] y = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            double d = Math.max((z[i] - m) * 0.5 - t, 0.0);
            y[i] = d * d;
        }
        return y;
    }

    static double[] entmax15Backward(double[] y, double[] g) {
        double dot = 0;
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double s = Math.sqrt(y[i]);
            dot += s * g[i];
            sum += s;
        }
        double[] dz = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double s = Math.sqrt(y[i]);
            dz[i] = s * (g[i] - dot / sum);
        }
        return dz;
    }
}
