package dev.multimax.device.ref;

/** ref:0's non-finite check and AdamW. */
public final class RefOptimizer {
    private RefOptimizer() {
    }

    /** status = [flag, first]: first 0 = the loss, k + 1 = tensor k (grads[ranges[k], ranges[k+1])), −1 = all finite. */
    public static void nonfiniteCheck(double[] status, double[] loss, double[] grads, int[] ranges, int tensors, int n) {
        for (int k = 0; k < tensors; k++) {
            if (ranges[k] < 0 || ranges[k] > ranges[k + 1] || ranges[k + 1] > n) {
                throw new IllegalStateException("nonfinite_check: bad ranges at " + k + ": " + ranges[k] + ", " + ranges[k + 1]);
            }
        }
        status[0] = 0;
        status[1] = -1;
        if (!Double.isFinite(loss[0])) {
            status[0] = 1;
            status[1] = 0;
            return;
        }
        for (int k = 0; k < tensors; k++) {
            for (int i = ranges[k]; i < ranges[k + 1]; i++) {
                if (!Double.isFinite(grads[i])) {
                    status[0] = 1;
                    status[1] = k + 1;
                    return;
                }
            }
        }
    }

    /**
     * AdamW in PyTorch's order, skipped when status[0] ≠ 0: p ← p·(1 − lr·wd) for the first nDecay
     * elements; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
     * p ← p − (lr/(1 − β1ᵗ))·m/(√v/√(1 − β2ᵗ) + eps), with [lr, t] = schedule.
     */
    public static void adamw(double[] p, double[] g, double[] m, double[] v, double[] schedule, double[] status,
                             int n, int nDecay, double beta1, double beta2, double eps, double wd) {
        if (status[0] != 0) return;
        double lr = schedule[0];
        long t = Math.round(schedule[1]);
        if (t < 1) throw new IllegalStateException("AdamW step must be >= 1, got " + t);
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < n; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            double decayed = i < nDecay ? p[i] * (1 - lr * wd) : p[i];
            p[i] = decayed - lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
        }
    }
}
