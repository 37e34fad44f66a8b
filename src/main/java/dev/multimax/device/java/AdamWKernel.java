package dev.multimax.device.java;

/**
 * AdamW in PyTorch's order: p ← p·(1 − lr·wd) (decayed part only), m and v updated,
 * p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps).
 * Skipped (p, m, v unchanged) when status[0], the non-finite check's flag, is not 0; t is the
 * host's count of updates actually applied, so a skipped batch does not advance it.
 */
final class AdamWKernel {
    private AdamWKernel() {
    }

    static void adamw(Parallel par, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float[] schedule, int sOff, float[] status, int stOff, int n, int nDecay, float beta1, float beta2, float eps, float wd) {
        if (status[stOff] != 0f) return;
        float lr = schedule[sOff];
        int t = Math.round(schedule[sOff + 1]);
        if (t < 1) throw new IllegalStateException("AdamW step must be >= 1, got " + t);
        float bc1 = (float) (1 - StrictMath.pow(beta1, t));
        float bc2Sqrt = (float) Math.sqrt(1 - StrictMath.pow(beta2, t));
        float stepSize = lr / bc1;
        float decay = 1f - lr * wd;
        par.forChunks(n, 16384, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float gi = g[gOff + i];
                float mi = beta1 * m[mOff + i] + (1 - beta1) * gi;
                float vi = beta2 * v[vOff + i] + (1 - beta2) * gi * gi;
                m[mOff + i] = mi;
                v[vOff + i] = vi;
                float pi = i < nDecay ? p[pOff + i] * decay : p[pOff + i];
                p[pOff + i] = pi - stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps);
            }
        });
    }
}
