package dev.multimax.science;

/**
 * MultiMax's modulator σ (MULTIMAX.md §1) and its derivatives (§3), element-wise, float64:
 * σ(x) = x + t0·(r0 − x)₊ + t1·(x − r1)₊ + t2·((r2 − x)₊)² + t3·((x − r3)₊)².
 */
public final class Modulator {
    private Modulator() {
    }

    public static double sigma(double x, double[] r, double[] t) {
        double a0 = Math.max(r[0] - x, 0);
        double a1 = Math.max(x - r[1], 0);
        double a2 = Math.max(r[2] - x, 0);
        double a3 = Math.max(x - r[3], 0);
        return x + t[0] * a0 + t[1] * a1 + t[2] * a2 * a2 + t[3] * a3 * a3;
    }

    public static double[] sigma(double[] x, double[] r, double[] t) {
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) s[i] = sigma(x[i], r, t);
        return s;
    }

    /** dσ/dx = 1 − t0·[r0 > x] + t1·[x > r1] − 2·t2·(r2 − x)₊ + 2·t3·(x − r3)₊ (kinks: 0 derivative of (u)₊ at 0). */
    public static double[] slope(double[] x, double[] r, double[] t) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            d[i] = 1 - (r[0] - v > 0 ? t[0] : 0) + (v - r[1] > 0 ? t[1] : 0)
                    - 2 * t[2] * Math.max(r[2] - v, 0) + 2 * t[3] * Math.max(v - r[3], 0);
        }
        return d;
    }

    /** Given u = ∂L/∂σ(x) per element: ∂L/∂(r0..r3, t0..t3), summed over the row (§3). */
    static double[] parameterGradient(double[] x, double[] u, double[] r, double[] t) {
        double[] sum = new double[8]; // Σu·I0, Σu·I1, Σu·a2, Σu·a3, Σu·a0, Σu·a1, Σu·a2², Σu·a3²
        for (int i = 0; i < x.length; i++) {
            double a0 = Math.max(r[0] - x[i], 0);
            double a1 = Math.max(x[i] - r[1], 0);
            double a2 = Math.max(r[2] - x[i], 0);
            double a3 = Math.max(x[i] - r[3], 0);
            sum[0] += a0 > 0 ? u[i] : 0;
            sum[1] += a1 > 0 ? u[i] : 0;
            sum[2] += u[i] * a2;
            sum[3] += u[i] * a3;
            sum[4] += u[i] * a0;
            sum[5] += u[i] * a1;
            sum[6] += u[i] * a2 * a2;
            sum[7] += u[i] * a3 * a3;
        }
        return new double[] {t[0] * sum[0], -t[1] * sum[1], 2 * t[2] * sum[2], -2 * t[3] * sum[3],
            sum[4], sum[5], sum[6], sum[7]};
    }
}
