package dev.multimax.device.java;

/** Bias add and its gradient, and residual adds: the element-wise glue around matmuls. */
final class LinearKernels {
    /** Rows per partial sum in reductions over rows; fixed so results do not depend on threads. */
    static final int ROW_CHUNK = 256;

    private LinearKernels() {
    }

    /** y(M,N) += b(N). */
    static void biasAddFwd(Parallel par, float[] y, int yOff, float[] b, int bOff, int m, int n) {
        par.forChunks(m, 64, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int row = yOff + r * n;
                for (int j = 0; j < n; j++) y[row + j] += b[bOff + j];
            }
        });
    }

    /** db(N) = Σ_m dy(m,N): fp32 partials per fixed row chunk, summed in chunk order. */
    static void biasAddBwd(Parallel par, float[] db, int dbOff, float[] dy, int dyOff, int m, int n) {
        int chunks = (m + ROW_CHUNK - 1) / ROW_CHUNK;
        float[] partial = new float[chunks * n];
        par.forEach(chunks, c -> {
            int p = c * n;
            for (int r = c * ROW_CHUNK, end = Math.min(m, r + ROW_CHUNK); r < end; r++) {
                int row = dyOff + r * n;
                for (int j = 0; j < n; j++) partial[p + j] += dy[row + j];
            }
        });
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int c = 0; c < chunks; c++) s += partial[c * n + j];
            db[dbOff + j] = s;
        }
    }

    /** z(n) = x(n) + y(n); z may alias x or y. */
    static void residualAdd(Parallel par, float[] z, int zOff, float[] x, int xOff, float[] y, int yOff, int n) {
        par.forChunks(n, 16384, (i0, i1) -> {
            for (int i = i0; i < i1; i++) z[zOff + i] = x[xOff + i] + y[yOff + i];
        });
    }

    /** C = A·Bᵀ ({@link Matmul}), then {@link #biasAddFwd}: matmul_bias composed, the same roundings. */
    static void matmulBias(Parallel par, float[] c, int cOff, float[] a, int aOff, float[] b, int bOff, float[] bias,
                           int biasOff, int m, int n, int k) {
        Matmul.matmul(par, c, cOff, a, aOff, b, bOff, m, n, k, false, true, false);
        biasAddFwd(par, c, cOff, bias, biasOff, m, n);
    }
}
