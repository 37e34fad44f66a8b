package dev.multimax.device;

import java.util.Locale;

/**
 * One output of one kernel compared with {@code ref:0}'s: the largest absolute error, the relative
 * L2 error, and whether every element is within the op's {@link Tolerance}. The worst element is
 * the one furthest outside (or least inside) its allowance; a NaN is always the worst.
 */
public record OutputDiff(String buffer, int elements, double maxAbs, double relL2, int bad, int worst, double got,
                         double want, boolean ok) {

    public static OutputDiff of(String buffer, float[] got, int gotOffset, float[] want, int wantOffset, int n,
                                Tolerance tol) {
        double peak = 0;
        for (int i = 0; i < n; i++) {
            double w = Math.abs((double) want[wantOffset + i]);
            if (Double.isFinite(w)) peak = Math.max(peak, w); // untouched garbage (an inout part) may hold NaN
        }
        double maxAbs = 0;
        double diff2 = 0;
        double norm2 = 0;
        int bad = 0;
        int worst = n > 0 ? 0 : -1;
        double worstRatio = -1;
        for (int i = 0; i < n; i++) {
            double g = got[gotOffset + i];
            double w = want[wantOffset + i];
            double d = Math.abs(g - w);
            boolean same = g == w || Double.isNaN(w) && Double.isNaN(g); // equal, ±Inf or NaN where ref has them
            double ratio = same ? 0 : Double.isNaN(d) ? Double.POSITIVE_INFINITY : d / Math.max(tol.allowed(w, peak), Double.MIN_VALUE);
            if (!same && !tol.passes(g, w, peak)) bad++;
            if (!same && Double.isFinite(d)) {
                maxAbs = Math.max(maxAbs, d);
                diff2 += d * d;
            } else if (!same) {
                maxAbs = Double.POSITIVE_INFINITY;
                diff2 = Double.POSITIVE_INFINITY;
            }
            if (Double.isFinite(w)) norm2 += w * w;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        double relL2 = diff2 == 0 ? 0 : Math.sqrt(diff2) / Math.max(Math.sqrt(norm2), 1e-30);
        return new OutputDiff(buffer, n, maxAbs, relL2, bad, worst, worst >= 0 ? got[gotOffset + worst] : 0,
                worst >= 0 ? want[wantOffset + worst] : 0, bad == 0);
    }

    /** {@code dS: 3 of 441 elements off, worst [17] got 0.1234 want 0.1236}. */
    public String describe() {
        if (ok) return String.format(Locale.ROOT, "%s: max |err| %.2e, rel L2 %.2e", buffer, maxAbs, relL2);
        return String.format(Locale.ROOT, "%s: %d of %d elements outside the tolerance, worst [%d] got %s want %s",
                buffer, bad, elements, worst, (float) got, (float) want);
    }
}
