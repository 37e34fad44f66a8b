package dev.multimax.device.ref;

/**
 * ref:0's attention products. qkv is (B, N, 3, H, Dh): token t's query, key and value of head h
 * start at ((b·N + t)·3 + part)·H·Dh + h·Dh. Scores and probabilities are (B, H, N, N); the
 * context O is (B, N, H·Dh).
 */
public final class RefAttention {
    private RefAttention() {
    }

    private static int at(int b, int t, int part, int hd, int n, int h, int dh) {
        return (((b * n + t) * 3 + part) * h + hd) * dh;
    }

    /** S[b,h,i,j] = scale·Σ_d q[b,i,h,d]·k[b,j,h,d]. */
    public static void attnScoresFwd(double[] s, double[] qkv, int bs, int n, int h, int dh, double scale) {
        for (int b = 0; b < bs; b++) {
            for (int hd = 0; hd < h; hd++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        int q = at(b, i, 0, hd, n, h, dh);
                        int k = at(b, j, 1, hd, n, h, dh);
                        double sum = 0;
                        for (int d = 0; d < dh; d++) sum += qkv[q + d] * qkv[k + d];
                        s[((b * h + hd) * n + i) * n + j] = scale * sum;
                    }
                }
            }
        }
    }

    /** dq[b,i,h] = scale·Σ_j dS[b,h,i,j]·k[b,j,h]; dk[b,j,h] = scale·Σ_i dS[b,h,i,j]·q[b,i,h]. */
    public static void attnScoresBwd(double[] dqkv, double[] ds, double[] qkv, int bs, int n, int h, int dh, double scale) {
        for (int b = 0; b < bs; b++) {
            for (int hd = 0; hd < h; hd++) {
                int sOff = (b * h + hd) * n * n;
                for (int t = 0; t < n; t++) {
                    for (int d = 0; d < dh; d++) {
                        double dq = 0;
                        double dk = 0;
                        for (int u = 0; u < n; u++) {
                            dq += ds[sOff + t * n + u] * qkv[at(b, u, 1, hd, n, h, dh) + d];
                            dk += ds[sOff + u * n + t] * qkv[at(b, u, 0, hd, n, h, dh) + d];
                        }
                        dqkv[at(b, t, 0, hd, n, h, dh) + d] = scale * dq;
                        dqkv[at(b, t, 1, hd, n, h, dh) + d] = scale * dk;
                    }
                }
            }
        }
    }

    /** O[b,i,h·Dh + d] = Σ_j P[b,h,i,j]·v[b,j,h,d]. */
    public static void attnContextFwd(double[] o, double[] p, double[] qkv, int bs, int n, int h, int dh) {
        for (int b = 0; b < bs; b++) {
            for (int hd = 0; hd < h; hd++) {
                for (int i = 0; i < n; i++) {
                    for (int d = 0; d < dh; d++) {
                        double sum = 0;
                        for (int j = 0; j < n; j++) {
                            sum += p[((b * h + hd) * n + i) * n + j] * qkv[at(b, j, 2, hd, n, h, dh) + d];
                        }
                        o[(b * n + i) * h * dh + hd * dh + d] = sum;
                    }
                }
            }
        }
    }

    /** dP[b,h,i,j] = Σ_d dO[b,i,h,d]·v[b,j,h,d]; dv[b,j,h,d] = Σ_i P[b,h,i,j]·dO[b,i,h,d]. */
    public static void attnContextBwd(double[] dp, double[] dqkv, double[] dout, double[] p, double[] qkv,
                                  int bs, int n, int h, int dh) {
        for (int b = 0; b < bs; b++) {
            for (int hd = 0; hd < h; hd++) {
                int pOff = (b * h + hd) * n * n;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int d = 0; d < dh; d++) {
                            sum += dout[(b * n + i) * h * dh + hd * dh + d] * qkv[at(b, j, 2, hd, n, h, dh) + d];
                        }
                        dp[pOff + i * n + j] = sum;
                    }
                }
                for (int j = 0; j < n; j++) {
                    for (int d = 0; d < dh; d++) {
                        double sum = 0;
                        for (int i = 0; i < n; i++) sum += p[pOff + i * n + j] * dout[(b * n + i) * h * dh + hd * dh + d];
                        dqkv[at(b, j, 2, hd, n, h, dh) + d] = sum;
                    }
                }
            }
        }
    }

    /** The fused forward: S = scale·Q·Kᵀ, P = softmax(σ(S)) per row, O = P·V, all in float64. */
    public static void attnMultimaxFwd(double[] o, double[] s, double[] p, double[] qkv, double[] params, int bs, int n,
                                       int h, int dh, double scale) {
        attnScoresFwd(s, qkv, bs, n, h, dh, scale);
        RefMultiMax.multimaxFwd(p, s, params, bs * h * n, n);
        attnContextFwd(o, p, qkv, bs, n, h, dh);
    }

    /** The fused backward: dV and dP, then dS and dparams, then dQ and dK. */
    public static void attnMultimaxBwd(double[] dqkv, double[] dparams, double[] dout, double[] p, double[] s, double[] qkv,
                                       double[] params, int bs, int n, int h, int dh, double scale) {
        double[] dp = new double[bs * h * n * n];
        double[] ds = new double[dp.length];
        attnContextBwd(dp, dqkv, dout, p, qkv, bs, n, h, dh);
        RefMultiMax.multimaxBwd(ds, dparams, dp, p, s, params, bs * h * n, n);
        attnScoresBwd(dqkv, ds, qkv, bs, n, h, dh, scale);
    }

    /** The fused softmax forward: P = softmax(scale·Q·Kᵀ) per row, O = P·V. */
    public static void attnSoftmaxFwd(double[] o, double[] p, double[] qkv, int bs, int n, int h, int dh, double scale) {
        double[] s = new double[bs * h * n * n];
        attnScoresFwd(s, qkv, bs, n, h, dh, scale);
        RefRows.softmaxFwd(p, s, bs * h * n, n);
        attnContextFwd(o, p, qkv, bs, n, h, dh);
    }

    /** The fused softmax backward. */
    public static void attnSoftmaxBwd(double[] dqkv, double[] dout, double[] p, double[] qkv, int bs, int n, int h, int dh,
                                      double scale) {
        double[] dp = new double[bs * h * n * n];
        double[] ds = new double[dp.length];
        attnContextBwd(dp, dqkv, dout, p, qkv, bs, n, h, dh);
        RefRows.softmaxBwd(ds, dp, p, bs * h * n, n);
        attnScoresBwd(dqkv, ds, qkv, bs, n, h, dh, scale);
    }
}
