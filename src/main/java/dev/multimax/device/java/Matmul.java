package dev.multimax.device.java;

/** Placeholder GEMM (replaced by the Vector API version). */
public final class Matmul {
    private Matmul() {
    }

    public static void matmul(Parallel par, float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                              int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        par.forEach(m, i -> {
            float[] row = new float[n];
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                if (transB) {
                    for (int j = 0; j < n; j++) row[j] += av * b[bOff + j * k + p];
                } else {
                    int br = bOff + p * n;
                    for (int j = 0; j < n; j++) row[j] += av * b[br + j];
                }
            }
            int cr = cOff + i * n;
            for (int j = 0; j < n; j++) c[cr + j] = accumulate ? c[cr + j] + row[j] : row[j];
        });
    }
}
