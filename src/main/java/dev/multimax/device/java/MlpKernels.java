package dev.multimax.device.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU, exact (erf) form, forward and backward, vectorised (e^x through VectorMath.exp, which is
 * bitwise the same in every JIT tier; a scalar Math.exp per element was 8 ns here). Tails use the scalar formula.
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
                FloatVector e = VectorMath.exp(v.mul(v).mul(-0.5f));
                v.mul(cdf(v, e)).intoArray(y, yOff + i);
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
                // e^{−x²/2} serves both Φ (through erfc) and φ: one EXP per vector.
                FloatVector e = VectorMath.exp(v.mul(v).mul(-0.5f));
                FloatVector pdf = e.mul(INV_SQRT_2PI);
                v.fma(pdf, cdf(v, e)).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
            }
            for (; i < i1; i++) {
                float v = x[xOff + i];
                float cdf = 0.5f * (1f + erf(v * INV_SQRT2));
                float pdf = INV_SQRT_2PI * (float) StrictMath.exp(-0.5f * v * v);
                dx[dxOff + i] = dy[dyOff + i] * (cdf + v * pdf);
            }
        });
    }

    /**
     * Φ(x) given e = e^{−x²/2}, with one division and no masks: q = ½·erfc(|x|/√2) from the A&S
     * form (= 1 − Φ(|x|), accurate in the tail), then Φ = q + step(x)·(1 − 2q) with
     * step = clamp(x·2¹⁰⁰, 0, 1), exactly 0 or 1 except for |x| < 2⁻¹⁰⁰, where q = ½ makes it
     * immaterial. (The former sign trick x / max(|x|, tiny) cost a second division per vector.)
     */
    static FloatVector cdf(FloatVector x, FloatVector e) {
        // Lets C2 type x exactly without a profile, so a standalone compile stays small and inlinable.
        if (x.getClass() != VC || e.getClass() != VC) throw new AssertionError(x.getClass());
        FloatVector t = ONE.div(x.abs().mul(INV_SQRT2).fma(P, 1f));
        FloatVector poly = t.fma(A5, A4).fma(t, FloatVector.broadcast(S, A3)).fma(t, FloatVector.broadcast(S, A2))
                .fma(t, FloatVector.broadcast(S, A1)).mul(t);
        FloatVector q = poly.mul(e).mul(0.5f);
        FloatVector step = x.mul(0x1p100f).max(0f).min(1f);
        return step.fma(q.mul(-2f).add(1f), q);
    }

    static float erf(float x) {
        float ax = Math.abs(x);
        float t = 1f / (1f + P * ax);
        float poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
        float r = 1f - poly * (float) StrictMath.exp(-ax * ax);
        return x < 0 ? -r : r;
    }

    /** fc1's bias and GELU in one task: G = F + b, then {@link #geluFwd} in place (F is left as it is). */
    static void biasGeluFwd(Parallel par, float[] g, int gOff, float[] f, int fOff, float[] b, int bOff, int m, int n) {
        plusBias(par, g, gOff, f, fOff, b, bOff, m, n);
        geluFwd(par, g, gOff, g, gOff, m * n);
    }

    /** GELU's backward and fc1's bias gradient: dF = F + b, {@link #geluBwd} in place, then {@link LinearKernels#biasAddBwd}. */
    static void geluBiasBwd(Parallel par, float[] df, int dfOff, float[] db, int dbOff, float[] dg, int dgOff, float[] f,
                            int fOff, float[] b, int bOff, int m, int n) {
        plusBias(par, df, dfOff, f, fOff, b, bOff, m, n);
        geluBwd(par, df, dfOff, dg, dgOff, df, dfOff, m * n);
        LinearKernels.biasAddBwd(par, db, dbOff, df, dfOff, m, n);
    }

    /** out(m, n) = f + b per row (bias_add_fwd's one fp32 addition). */
    private static void plusBias(Parallel par, float[] out, int outOff, float[] f, int fOff, float[] b, int bOff, int m, int n) {
        System.arraycopy(f, fOff, out, outOff, m * n);
        LinearKernels.biasAddFwd(par, out, outOff, b, bOff, m, n);
    }
}
