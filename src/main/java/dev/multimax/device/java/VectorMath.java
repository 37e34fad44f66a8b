package dev.multimax.device.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise math over array ranges with the Vector API.
 *
 * <p>{@link #exp(FloatVector)} is built from IEEE-exact lane operations only (mul, add, fma,
 * min/max, bit moves), so it gives bitwise the same result in the interpreter, C1 and C2. The
 * Vector API's own {@code lanewise(EXP)} does not: C2 calls a SIMD math library while the
 * interpreter and C1 run a per-lane fallback, and the two differ in the last bit. That made
 * training depend on when the JIT compiled the kernels, so a resumed run could not match an
 * uninterrupted one bitwise.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Concrete vector class; receivers are checked against it so C2 needs no type profile (see Matmul). */
    private static final Class<?> VC = S.vectorType();

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split: the high part has few bits, so n·LN2_HI is exact for |n| ≤ 128. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding it rounds a float of magnitude < 2²² to an integer (to nearest even). */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;
    /** Below ln(2⁻¹²⁶) the result is flushed to 0; above ln(max float) it is +inf. */
    private static final float LO = -87.33654f;
    private static final float HI = 88.72284f;

    private VectorMath() {
    }

    /**
     * e^v per lane, within about 1 ulp of Math.exp (results below the smallest normal float are 0):
     * v = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to r⁷ (truncation error 5e-9
     * relative), times 2ⁿ = 2^⌊n/2⌋·2^(n−⌊n/2⌋) built from exponent bits (two factors keep each
     * in the normal range for n in [−126, 128]).
     */
    static FloatVector exp(FloatVector v) {
        FloatVector x = v.max(LO - 1f).min(HI + 1f);
        FloatVector t = x.mul(LOG2E).add(ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(S, 1f / 5040f), FloatVector.broadcast(S, 1f / 720f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 120f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 24f));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 6f));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        IntVector k = (IntVector) t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector half = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector e = p.mul(s1).mul(s2);
        e = e.blend(0f, v.compare(VectorOperators.LT, LO));
        return e.blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, HI));
    }

    /** a[i] = e^{a[i]} for i in [from, to); the tail past the last whole vector uses StrictMath.exp. */
    static void expInPlace(float[] a, int from, int to) {
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            if (v.getClass() != VC) throw new AssertionError(v.getClass());
            exp(v).intoArray(a, i);
        }
        for (; i < to; i++) a[i] = (float) StrictMath.exp(a[i]);
    }
}
