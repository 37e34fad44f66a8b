package dev.multimax.device.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise math over array ranges with the Vector API (EXP runs as one SIMD call per vector). */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Concrete vector class; receivers are checked against it so C2 needs no type profile (see Matmul). */
    private static final Class<?> VC = S.vectorType();

    private VectorMath() {
    }

    /** a[i] = e^{a[i]} for i in [from, to); the tail past the last whole vector uses Math.exp. */
    static void expInPlace(float[] a, int from, int to) {
        int i = from;
        for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            if (v.getClass() != VC) throw new AssertionError(v.getClass());
            v.lanewise(VectorOperators.EXP).intoArray(a, i);
        }
        for (; i < to; i++) a[i] = (float) Math.exp(a[i]);
    }
}
