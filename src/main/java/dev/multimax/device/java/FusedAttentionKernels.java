package dev.multimax.device.java;

/**
 * java:0's fused attention ops: the unfused products and row kernels run back to back inside one
 * task, in the unfused order, so java:0's fused step computes exactly what its unfused step does.
 * The backward keeps dP (then dS, in place) in a scratch array of the calling thread. Unlike the
 * OpenCL CPU kernels these are not cache-fused per head: java:0 is the portable device, and the
 * speed work of the fused ops is in tasks/attention.cl.
 */
final class FusedAttentionKernels {
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private FusedAttentionKernels() {
    }

    private static float[] scratch(int n) {
        float[] s = SCRATCH.get();
        if (s.length < n) {
            s = new float[n];
            SCRATCH.set(s);
        }
        return s;
    }

    static void attnMultimaxFwd(Parallel par, float[] o, int oOff, float[] s, int sOff, float[] p, int pOff, float[] qkv,
                                int qkvOff, float[] prm, int prmOff, int b, int n, int h, int dh, float scale) {
        AttentionKernels.attnScoresFwd(par, s, sOff, qkv, qkvOff, b, n, h, dh, scale);
        MultiMaxKernels.multimaxFwd(par, p, pOff, s, sOff, prm, prmOff, b * h * n, n);
        AttentionKernels.attnContextFwd(par, o, oOff, p, pOff, qkv, qkvOff, b, n, h, dh);
    }

    static void attnMultimaxBwd(Parallel par, float[] dqkv, int dqkvOff, float[] dprm, int dprmOff, float[] dout, int doOff,
                                float[] p, int pOff, float[] s, int sOff, float[] qkv, int qkvOff, float[] prm, int prmOff,
                                int b, int n, int h, int dh, float scale) {
        float[] dp = scratch(b * h * n * n);
        AttentionKernels.attnContextBwd(par, dp, 0, dqkv, dqkvOff, dout, doOff, p, pOff, qkv, qkvOff, b, n, h, dh);
        MultiMaxKernels.multimaxBwd(par, dp, 0, dprm, dprmOff, dp, 0, p, pOff, s, sOff, prm, prmOff, b * h * n, n);
        AttentionKernels.attnScoresBwd(par, dqkv, dqkvOff, dp, 0, qkv, qkvOff, b, n, h, dh, scale);
    }

    static void attnSoftmaxFwd(Parallel par, float[] o, int oOff, float[] p, int pOff, float[] qkv, int qkvOff,
                               int b, int n, int h, int dh, float scale) {
        AttentionKernels.attnScoresFwd(par, p, pOff, qkv, qkvOff, b, n, h, dh, scale);
        MultiMaxKernels.softmaxFwd(par, p, pOff, p, pOff, b * h * n, n);
        AttentionKernels.attnContextFwd(par, o, oOff, p, pOff, qkv, qkvOff, b, n, h, dh);
    }

    static void attnSoftmaxBwd(Parallel par, float[] dqkv, int dqkvOff, float[] dout, int doOff, float[] p, int pOff,
                               float[] qkv, int qkvOff, int b, int n, int h, int dh, float scale) {
        float[] dp = scratch(b * h * n * n);
        AttentionKernels.attnContextBwd(par, dp, 0, dqkv, dqkvOff, dout, doOff, p, pOff, qkv, qkvOff, b, n, h, dh);
        MultiMaxKernels.softmaxBwd(par, dp, 0, dp, 0, p, pOff, b * h * n, n);
        AttentionKernels.attnScoresBwd(par, dqkv, dqkvOff, dp, 0, qkv, qkvOff, b, n, h, dh, scale);
    }
}
