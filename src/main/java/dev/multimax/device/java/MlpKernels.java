package dev.multimax.device.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU, exact (erf) form, forward and backward, vectorised (the Vector API's EXP runs as one
 * SIMD call; a scalar Math.exp per element was 8 ns here). Tails use the scalar formula.
 */
final class MlpKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Concrete vector class; receivers are checked against it so C2 needs no type profile (see Matmul). */
    private static final Class<?> VC = S.vectorType();
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.39894228040143268f;
    // Abramowitz & Stegun 7.1.26: erf(x) ≈ 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^{−x²}, t = 1/(1 + p·x), x ≥ 0;
    // |error| ≤ 1.5e-7, below fp32's resolution of Φ near 1.
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;
    private static final int CHUNK = 16384;

    private MlpKernels() {
    }

    /** y = x·Φ(x) with Φ the standard normal CDF. */
    static void geluFwd(Parallel par, float[] y, int yOff, float[] x, int xOff, int n) {
        par.forChunks(n, CHUNK, (i0, i1) -> {
            int i = i0;
            for (int end = i0 + S.loopBound(i1 - i0); i < end; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                if (v.getClass() != VC) throw new AssertionError(v.getClass());
                FloatVector cdf = erf(v.mul(INV_SQRT2)).add(1f).mul(0.5f);
                v.mul(cdf).intoArray(y, yOff + i);
            }
            for (; i < i1; i++) {
                float v = x[xOff + i];
                y[yOff + i] = 0.5f * v * (1f + erf(v * INV_SQRT2));
            }
        });
    }

    /** dx = dy·(Φ(x) + x·φ(x)). */
    static void geluBwd(Parallel par, float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff, int n) {
        par.forChunks(n, CHUNK, (i0, i1) -> {
            int i = i0;
            for (int end = i0 + S.loopBound(i1 - i0); i < end; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                if (v.getClass() != VC) throw new AssertionError(v.getClass());
                FloatVector cdf = erf(v.mul(INV_SQRT2)).add(1f).mul(0.5f);
                FloatVector pdf = v.mul(v).mul(-0.5f).lanewise(VectorOperators.EXP).mul(INV_SQRT_2PI);
                v.fma(pdf, cdf).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
            }
            for (; i < i1; i++) {
                float v = x[xOff + i];
                float cdf = 0.5f * (1f + erf(v * INV_SQRT2));
                float pdf = INV_SQRT_2PI * (float) Math.exp(-0.5f * v * v);
                dx[dxOff + i] = dy[dyOff + i] * (cdf + v * pdf);
            }
        });
    }

    static FloatVector erf(FloatVector x) {
        // Lets C2 type x exactly without a profile, so a standalone compile of erf stays small and inlinable.
        if (x.getClass() != VC) throw new AssertionError(x.getClass());
        FloatVector ax = x.abs();
        FloatVector t = ONE.div(ax.fma(P, 1f));
        FloatVector poly = t.fma(A5, A4).fma(t, FloatVector.broadcast(S, A3)).fma(t, FloatVector.broadcast(S, A2))
                .fma(t, FloatVector.broadcast(S, A1)).mul(t);
        FloatVector r = poly.mul(ax.mul(ax).neg().lanewise(VectorOperators.EXP)).neg().add(1f);
        // sign(x)·r without masks: x / max(|x|, tiny) is exactly ±1 (and ~0 where erf is ~0).
        return r.mul(x.div(ax.max(1e-30f)));
    }

    static float erf(float x) {
        float ax = Math.abs(x);
        float t = 1f / (1f + P * ax);
        float poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
        float r = 1f - poly * (float) Math.exp(-ax * ax);
        return x < 0 ? -r : r;
    }
}
