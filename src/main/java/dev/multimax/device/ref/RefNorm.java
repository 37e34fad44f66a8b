package dev.multimax.device.ref;

/** ref:0's LayerNorm and GELU, forward and backward. */
public final class RefNorm {
    private RefNorm() {
    }

    /** Y = (X − mean)·rstd·w + b per row of X(M,C), rstd = 1/√(population variance + eps). */
    public static void layernormFwd(double[] y, double[] mean, double[] rstd, double[] x, double[] w, double[] b,
                                    int m, int c, double eps) {
        for (int r = 0; r < m; r++) {
            double sum = 0;
            for (int j = 0; j < c; j++) sum += x[r * c + j];
            double mu = sum / c;
            double var = 0;
            for (int j = 0; j < c; j++) var += (x[r * c + j] - mu) * (x[r * c + j] - mu);
            double rs = 1 / Math.sqrt(var / c + eps);
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < c; j++) y[r * c + j] = (x[r * c + j] - mu) * rs * w[j] + b[j];
        }
    }

    /**
     * With x̂ = (X − mean)·rstd and g = dY·w: dX = rstd·(g − mean(g) − x̂·mean(g·x̂)) per row,
     * dw = Σ_rows dY·x̂, db = Σ_rows dY.
     */
    public static void layernormBwd(double[] dx, double[] dw, double[] db, double[] dy, double[] x, double[] mean,
                                    double[] rstd, double[] w, int m, int c) {
        java.util.Arrays.fill(dw, 0, c, 0);
        java.util.Arrays.fill(db, 0, c, 0);
        for (int r = 0; r < m; r++) {
            double gMean = 0;
            double gxMean = 0;
            for (int j = 0; j < c; j++) {
                double xhat = (x[r * c + j] - mean[r]) * rstd[r];
                double g = dy[r * c + j] * w[j];
                gMean += g;
                gxMean += g * xhat;
                dw[j] += dy[r * c + j] * xhat;
                db[j] += dy[r * c + j];
            }
            gMean /= c;
            gxMean /= c;
            for (int j = 0; j < c; j++) {
                double xhat = (x[r * c + j] - mean[r]) * rstd[r];
                dx[r * c + j] = rstd[r] * (dy[r * c + j] * w[j] - gMean - xhat * gxMean);
            }
        }
    }

    /** GELU(x) = x·Φ(x) = ½x(1 + erf(x/√2)). */
    public static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** GELU'(x) = Φ(x) + x·φ(x). */
    public static double geluSlope(double x) {
        return 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    public static void geluFwd(double[] y, double[] x, int n) {
        for (int i = 0; i < n; i++) y[i] = gelu(x[i]);
    }

    public static void geluBwd(double[] dx, double[] dy, double[] x, int n) {
        for (int i = 0; i < n; i++) dx[i] = dy[i] * geluSlope(x[i]);
    }

    /**
     * erf to about 1e-15: e^{−x²}·(2/√π)·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)), a series of positive terms
     * (so no cancellation); |x| > 6 is ±1 within 1e-17.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 6) return Math.signum(x);
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
            term *= 2 * ax * ax / (2 * n + 1);
            sum += term;
        }
        double r = 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
        return x < 0 ? -r : r;
    }

    /** fc1's bias and GELU: G = GELU(F + b). */
    public static void biasGeluFwd(double[] g, double[] f, double[] b, int m, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) g[i * n + j] = gelu(f[i * n + j] + b[j]);
        }
    }

    /** GELU's backward and fc1's bias gradient: dF = dG·GELU'(F + b), db = Σ_m dF. */
    public static void geluBiasBwd(double[] df, double[] db, double[] dg, double[] f, double[] b, int m, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) df[i * n + j] = dg[i * n + j] * geluSlope(f[i * n + j] + b[j]);
        }
        RefLinear.biasAddBwd(db, df, m, n);
    }

    /** X += R, then LayerNorm of X. */
    public static void residualLayernormFwd(double[] x, double[] y, double[] mean, double[] rstd, double[] r, double[] w,
                                            double[] b, int m, int c, double eps) {
        for (int i = 0; i < m * c; i++) x[i] += r[i];
        layernormFwd(y, mean, rstd, x, w, b, m, c, eps);
    }

    /** dX += LayerNorm's dX; dw, db. */
    public static void layernormBwdAdd(double[] dx, double[] dw, double[] db, double[] dy, double[] x, double[] mean,
                                       double[] rstd, double[] w, int m, int c) {
        double[] g = new double[m * c];
        layernormBwd(g, dw, db, dy, x, mean, rstd, w, m, c);
        for (int i = 0; i < m * c; i++) dx[i] += g[i];
    }
}
