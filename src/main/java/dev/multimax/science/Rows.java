package dev.multimax.science;

import java.util.Locale;

/** Helpers on one float64 row (the activations themselves are ref:0's, {@code device.ref.RefRows}). */
final class Rows {
    private Rows() {
    }

    static double max(double[] z) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) m = Math.max(m, v);
        return m;
    }

    /** 0.5 → "0.5", 1.0 → "1": numbers for labels. */
    static String shortNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
