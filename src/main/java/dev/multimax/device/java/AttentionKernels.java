package dev.multimax.device.java;

import java.util.Arrays;

/**
 * The matmuls of attention, one (batch, head) pair per work item, reading Q, K, V straight from
 * the qkv projection's output in timm's layout (B, N, 3, H, Dh). Inner loops run over contiguous
 * rows (axpy form) so the JIT vectorises them; K and V are transposed into per-thread scratch
 * where a dot product over Dh would otherwise be needed.
 */
final class AttentionKernels {
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private AttentionKernels() {
    }

    private static float[] scratch(int size) {
        float[] s = SCRATCH.get();
        if (s.length < size) {
            s = new float[size];
            SCRATCH.set(s);
        }
        return s;
    }

    /** S(B,H,N,N) = scale·Q·Kᵀ. */
    static void scoresFwd(Parallel par, float[] s, int sOff, float[] qkv, int qkvOff, int b, int n, int h, int dh,
                          float scale) {
        int d = h * dh;
        par.forEach(b * h, bh -> {
            int bi = bh / h;
            int hi = bh % h;
            int base = qkvOff + bi * n * 3 * d + hi * dh;
            float[] kt = scratch(dh * n);
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < dh; k++) kt[k * n + j] = qkv[base + j * 3 * d + d + k];
            }
            for (int i = 0; i < n; i++) {
                int row = sOff + (bh * n + i) * n;
                Arrays.fill(s, row, row + n, 0f);
                for (int k = 0; k < dh; k++) {
                    float q = scale * qkv[base + i * 3 * d + k];
                    for (int j = 0; j < n; j++) s[row + j] += q * kt[k * n + j];
                }
            }
        });
    }

    /** O(B,N,H·Dh) = P·V per head. */
    static void contextFwd(Parallel par, float[] o, int oOff, float[] p, int pOff, float[] qkv, int qkvOff,
                           int b, int n, int h, int dh) {
        int d = h * dh;
        par.forEach(b * h, bh -> {
            int bi = bh / h;
            int hi = bh % h;
            int vBase = qkvOff + bi * n * 3 * d + 2 * d + hi * dh;
            for (int i = 0; i < n; i++) {
                int out = oOff + (bi * n + i) * d + hi * dh;
                Arrays.fill(o, out, out + dh, 0f);
                int prow = pOff + (bh * n + i) * n;
                for (int j = 0; j < n; j++) {
                    float pij = p[prow + j];
                    int v = vBase + j * 3 * d;
                    for (int k = 0; k < dh; k++) o[out + k] += pij * qkv[v + k];
                }
            }
        });
    }

    /** dP = dO·Vᵀ and dV = Pᵀ·dO (into the v part of dqkv). */
    static void contextBwd(Parallel par, float[] dp, int dpOff, float[] dqkv, int dqkvOff, float[] dout, int doOff,
                           float[] p, int pOff, float[] qkv, int qkvOff, int b, int n, int h, int dh) {
        int d = h * dh;
        par.forEach(b * h, bh -> {
            int bi = bh / h;
            int hi = bh % h;
            int vBase = qkvOff + bi * n * 3 * d + 2 * d + hi * dh;
            float[] tmp = scratch(2 * dh * n);
            int dvAcc = dh * n;
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < dh; k++) tmp[k * n + j] = qkv[vBase + j * 3 * d + k];
            }
            Arrays.fill(tmp, dvAcc, dvAcc + n * dh, 0f);
            for (int i = 0; i < n; i++) {
                int row = dpOff + (bh * n + i) * n;
                int g = doOff + (bi * n + i) * d + hi * dh;
                Arrays.fill(dp, row, row + n, 0f);
                for (int k = 0; k < dh; k++) {
                    float gk = dout[g + k];
                    for (int j = 0; j < n; j++) dp[row + j] += gk * tmp[k * n + j];
                }
                int prow = pOff + (bh * n + i) * n;
                for (int j = 0; j < n; j++) {
                    float pij = p[prow + j];
                    int acc = dvAcc + j * dh;
                    for (int k = 0; k < dh; k++) tmp[acc + k] += pij * dout[g + k];
                }
            }
            int dvBase = dqkvOff + bi * n * 3 * d + 2 * d + hi * dh;
            for (int j = 0; j < n; j++) System.arraycopy(tmp, dvAcc + j * dh, dqkv, dvBase + j * 3 * d, dh);
        });
    }

    /** dQ = scale·dS·K and dK = scale·dSᵀ·Q (into the q and k parts of dqkv). */
    static void scoresBwd(Parallel par, float[] dqkv, int dqkvOff, float[] ds, int dsOff, float[] qkv, int qkvOff,
                          int b, int n, int h, int dh, float scale) {
        int d = h * dh;
        par.forEach(b * h, bh -> {
            int bi = bh / h;
            int hi = bh % h;
            int base = qkvOff + bi * n * 3 * d + hi * dh;
            int dBase = dqkvOff + bi * n * 3 * d + hi * dh;
            float[] dk = scratch(n * dh);
            Arrays.fill(dk, 0, n * dh, 0f);
            for (int i = 0; i < n; i++) {
                int row = dsOff + (bh * n + i) * n;
                int dq = dBase + i * 3 * d;
                Arrays.fill(dqkv, dq, dq + dh, 0f);
                int q = base + i * 3 * d;
                for (int j = 0; j < n; j++) {
                    float g = scale * ds[row + j];
                    int k = base + j * 3 * d + d;
                    for (int c = 0; c < dh; c++) dqkv[dq + c] += g * qkv[k + c];
                    for (int c = 0; c < dh; c++) dk[j * dh + c] += g * qkv[q + c];
                }
            }
            for (int j = 0; j < n; j++) System.arraycopy(dk, j * dh, dqkv, dBase + j * 3 * d + d, dh);
        });
    }
}
