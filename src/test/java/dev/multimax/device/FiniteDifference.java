package dev.multimax.device;

import java.util.function.ToDoubleFunction;

/** Central differences of a float64 scalar function, the judge of every backward. */
public final class FiniteDifference {
    private FiniteDifference() {
    }

    /** ∂f/∂x_i for every i, step h (1e-6 in float64 leaves ~1e-9 relative error on smooth functions). */
    public static double[] gradient(double[] x, ToDoubleFunction<double[]> f) {
        double h = 1e-6;
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = f.applyAsDouble(x);
            x[i] = keep - h;
            double down = f.applyAsDouble(x);
            x[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
