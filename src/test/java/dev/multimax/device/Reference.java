package dev.multimax.device;

/**
 * The oracle: plain float64 loops for every op, written from the math (MULTIMAX.md), no Vector
 * API, no blocking, no threads. Array layouts are those documented on {@link Op}.
 */
public final class Reference {
    private Reference() {
    }

    public static double[] matmul(double[] a, double[] b, int m, int n, int k, boolean transA, boolean transB) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    public static double sigma(double x, double[] p) {
        double a0 = Math.max(p[0] - x, 0);
        double a1 = Math.max(x - p[1], 0);
        double a2 = Math.max(p[2] - x, 0);
        double a3 = Math.max(x - p[3], 0);
        return x + p[4] * a0 + p[5] * a1 + p[6] * a2 * a2 + p[7] * a3 * a3;
    }

    public static double sigmaPrime(double x, double[] p) {
        double a2 = Math.max(p[2] - x, 0);
        double a3 = Math.max(x - p[3], 0);
        double i0 = p[0] - x > 0 ? 1 : 0;
        double i1 = x - p[1] > 0 ? 1 : 0;
        return 1 - p[4] * i0 + p[5] * i1 - 2 * p[6] * a2 + 2 * p[7] * a3;
    }

    public static double[] softmaxRows(double[] s, int rows, int cols) {
        double[] p = new double[s.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, s[r * cols + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(s[r * cols + j] - max);
            for (int j = 0; j < cols; j++) p[r * cols + j] = Math.exp(s[r * cols + j] - max) / sum;
        }
        return p;
    }

    public static double[] multimaxRows(double[] s, double[] prm, int rows, int cols) {
        double[] m = new double[s.length];
        for (int i = 0; i < s.length; i++) m[i] = sigma(s[i], prm);
        return softmaxRows(m, rows, cols);
    }

    /** u = p ⊙ (g − ⟨p, g⟩) per row. */
    public static double[] softmaxBackRows(double[] p, double[] g, int rows, int cols) {
        double[] u = new double[p.length];
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += p[r * cols + j] * g[r * cols + j];
            for (int j = 0; j < cols; j++) u[r * cols + j] = p[r * cols + j] * (g[r * cols + j] - dot);
        }
        return u;
    }

    /** Given u = ∂L/∂σ(x): returns [∂L/∂x (n values), ∂L/∂params (8 values)] concatenated. */
    public static double[] modulateBack(double[] u, double[] x, double[] p) {
        double[] out = new double[x.length + 8];
        for (int i = 0; i < x.length; i++) {
            double a0 = Math.max(p[0] - x[i], 0);
            double a1 = Math.max(x[i] - p[1], 0);
            double a2 = Math.max(p[2] - x[i], 0);
            double a3 = Math.max(x[i] - p[3], 0);
            out[i] = u[i] * sigmaPrime(x[i], p);
            int o = x.length;
            out[o] += p[4] * u[i] * (a0 > 0 ? 1 : 0);
            out[o + 1] -= p[5] * u[i] * (a1 > 0 ? 1 : 0);
            out[o + 2] += 2 * p[6] * u[i] * a2;
            out[o + 3] -= 2 * p[7] * u[i] * a3;
            out[o + 4] += u[i] * a0;
            out[o + 5] += u[i] * a1;
            out[o + 6] += u[i] * a2 * a2;
            out[o + 7] += u[i] * a3 * a3;
        }
        return out;
    }

    /** [y (m·c), mean (m), rstd (m)]. */
    public static double[][] layerNorm(double[] x, double[] w, double[] b, int m, int c, double eps) {
        double[] y = new double[m * c];
        double[] mean = new double[m];
        double[] rstd = new double[m];
        for (int r = 0; r < m; r++) {
            double s = 0;
            for (int j = 0; j < c; j++) s += x[r * c + j];
            double mu = s / c;
            double v = 0;
            for (int j = 0; j < c; j++) v += (x[r * c + j] - mu) * (x[r * c + j] - mu);
            double rs = 1 / Math.sqrt(v / c + eps);
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < c; j++) y[r * c + j] = (x[r * c + j] - mu) * rs * w[j] + b[j];
        }
        return new double[][] {y, mean, rstd};
    }

    /** erf to ~1e-15: e^{-x²}·(2/√π)·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)), a series of positive terms. */
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

    public static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    public static double geluPrime(double x) {
        return 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** NONFINITE_CHECK: [flag, first] with first 0 = loss, k + 1 = tensor k, −1 = all finite. */
    public static double[] nonfiniteCheck(float loss, float[] grads, int[] ranges) {
        if (Float.isNaN(loss) || Float.isInfinite(loss)) return new double[] {1, 0};
        for (int k = 0; k + 1 < ranges.length; k++) {
            for (int i = ranges[k]; i < ranges[k + 1]; i++) {
                if (Float.isNaN(grads[i]) || Float.isInfinite(grads[i])) return new double[] {1, k + 1};
            }
        }
        return new double[] {0, -1};
    }
}
