package dev.multimax.device.ref;

/** ref:0's matmul, bias and residual kernels: float64 loops, in the order the math is written. */
public final class RefLinear {
    private RefLinear() {
    }

    /** C(M,N) = op(A)·op(B), plus the old C when accumulating. */
    public static void matmul(double[] c, double[] a, double[] b, int m, int n, int k, boolean transA, boolean transB,
                              boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c[i * n + j] : 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                c[i * n + j] = sum;
            }
        }
    }

    /** Y(M,N) += b(N). */
    public static void biasAddFwd(double[] y, double[] b, int m, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) y[i * n + j] += b[j];
        }
    }

    /** db(N) = Σ_m dY(m,N). */
    public static void biasAddBwd(double[] db, double[] dy, int m, int n) {
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int i = 0; i < m; i++) sum += dy[i * n + j];
            db[j] = sum;
        }
    }

    /** Z = X + Y. */
    public static void residualAdd(double[] z, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) z[i] = x[i] + y[i];
    }

    /** C = A·Bᵀ + bias. */
    public static void matmulBias(double[] c, double[] a, double[] b, double[] bias, int m, int n, int k) {
        matmul(c, a, b, m, n, k, false, true, false);
        biasAddFwd(c, bias, m, n);
    }
}
