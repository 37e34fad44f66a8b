package dev.multimax.device.java;

/** GELU, exact (erf) form, forward and backward. */
final class MlpKernels {
    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.39894228040143268f;

    private MlpKernels() {
    }

    /** y = x·Φ(x) with Φ the standard normal CDF. */
    static void geluFwd(Parallel par, float[] y, int yOff, float[] x, int xOff, int n) {
        par.forChunks(n, 16384, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float v = x[xOff + i];
                y[yOff + i] = 0.5f * v * (1f + erf(v * INV_SQRT2));
            }
        });
    }

    /** dx = dy·(Φ(x) + x·φ(x)). */
    static void geluBwd(Parallel par, float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff, int n) {
        par.forChunks(n, 16384, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float v = x[xOff + i];
                float cdf = 0.5f * (1f + erf(v * INV_SQRT2));
                float pdf = INV_SQRT_2PI * (float) Math.exp(-0.5f * v * v);
                dx[dxOff + i] = dy[dyOff + i] * (cdf + v * pdf);
            }
        });
    }

    /**
     * erf in fp32: Abramowitz and Stegun 7.1.26 (|error| ≤ 1.5e-7, below fp32's resolution of
     * Φ near 1), evaluated on |x| with the sign restored.
     */
    static float erf(float x) {
        float ax = Math.abs(x);
        float t = 1f / (1f + 0.3275911f * ax);
        float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
        float r = 1f - poly * (float) Math.exp(-ax * ax);
        return x < 0 ? -r : r;
    }
}
