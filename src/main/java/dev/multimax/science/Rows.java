package dev.multimax.science;

import java.util.Locale;

/** Softmax-family helpers on one float64 row. */
final class Rows {
    private Rows() {
    }

    static double max(double[] z) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) m = Math.max(m, v);
        return m;
    }

    /** softmax(s), subtracting the row max first so no exp overflows. */
    static double[] softmax(double[] s) {
        double m = max(s);
        double[] y = new double[s.length];
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            y[i] = Math.exp(s[i] - m);
            sum += y[i];
        }
        for (int i = 0; i < s.length; i++) y[i] /= sum;
        return y;
    }

    /** The softmax Jacobian applied to g: y ⊙ (g − ⟨y, g⟩). */
    static double[] softmaxBackward(double[] y, double[] g) {
        double dot = 0;
        for (int i = 0; i < y.length; i++) dot += y[i] * g[i];
        double[] u = new double[y.length];
        for (int i = 0; i < y.length; i++) u[i] = y[i] * (g[i] - dot);
        return u;
    }

    /**
     * Evidential softmax: y ∝ w ⊙ exp(z) with w = 1 where z ≥ mean(z), else {@code masked}.
     * The mean is computed as max + mean(z − max): it never exceeds the max (so the top entry is
     * never masked, even through rounding) and equals every entry of a constant row exactly.
     */
    static double[] evSoftmax(double[] z, double masked) {
        double m = max(z);
        double shifted = 0;
        for (double v : z) shifted += v - m;
        double mean = m + shifted / z.length;
        double[] y = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            y[i] = (z[i] >= mean ? 1.0 : masked) * Math.exp(z[i] - m);
            sum += y[i];
        }
        for (int i = 0; i < z.length; i++) y[i] /= sum;
        return y;
    }

    /** 0.5 → "0.5", 1.0 → "1": numbers for labels. */
    static String shortNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
