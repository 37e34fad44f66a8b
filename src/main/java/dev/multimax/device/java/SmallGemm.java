package dev.multimax.device.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C(m, np) = alpha · A(m, k) · B(k, np) for the small per-head matrices of attention (N ≈ 49,
 * Dh ≈ 32), single-threaded (the caller parallelises over heads). B and C are contiguous with
 * np a multiple of the vector length (callers zero-pad), so there are no masked tails; A's rows
 * start every {@code lda} floats. Register block: 4 rows × 2 vectors, broadcasting A.
 */
final class SmallGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();
    /** Concrete vector class; receivers are checked against it so C2 needs no type profile (see Matmul). */
    private static final Class<?> VC = S.vectorType();

    private SmallGemm() {
    }

    private static AssertionError notExact() {
        return new AssertionError("vector is not a " + VC.getName());
    }

    /** Rounds n up to a whole number of vectors. */
    static int padded(int n) {
        return (n + VL - 1) / VL * VL;
    }

    static void gemm(float[] c, float[] a, int aOff, int lda, float[] b, int m, int k, int np, float alpha) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int v = 0;
            for (; v + 2 * VL <= np; v += 2 * VL) rows4x2(c, a, aOff + i * lda, lda, b, k, np, i, v, alpha);
            for (; v < np; v += VL) rows4x1(c, a, aOff + i * lda, lda, b, k, np, i, v, alpha);
        }
        for (; i < m; i++) {
            for (int v = 0; v < np; v += VL) {
                FloatVector acc = FloatVector.zero(S);
                int ar = aOff + i * lda;
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(S, b, p * np + v);
                    if (bv.getClass() != VC) throw notExact();
                    acc = bv.fma(FloatVector.broadcast(S, a[ar + p]), acc);
                }
                if (acc.getClass() != VC) throw notExact();
                acc.mul(alpha).intoArray(c, i * np + v);
            }
        }
    }

    private static void rows4x2(float[] c, float[] a, int a0, int lda, float[] b, int k, int np, int i, int v,
                                float alpha) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p * np + v);
            FloatVector b1 = FloatVector.fromArray(S, b, p * np + v + VL);
            if (b0.getClass() != VC || b1.getClass() != VC) throw notExact();
            float x0 = a[a0 + p], x1 = a[a0 + lda + p], x2 = a[a0 + 2 * lda + p], x3 = a[a0 + 3 * lda + p];
            c00 = b0.fma(FloatVector.broadcast(S, x0), c00);
            c01 = b1.fma(FloatVector.broadcast(S, x0), c01);
            c10 = b0.fma(FloatVector.broadcast(S, x1), c10);
            c11 = b1.fma(FloatVector.broadcast(S, x1), c11);
            c20 = b0.fma(FloatVector.broadcast(S, x2), c20);
            c21 = b1.fma(FloatVector.broadcast(S, x2), c21);
            c30 = b0.fma(FloatVector.broadcast(S, x3), c30);
            c31 = b1.fma(FloatVector.broadcast(S, x3), c31);
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC
                || c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC) {
            throw notExact();
        }
        int r = i * np + v;
        c00.mul(alpha).intoArray(c, r);
        c01.mul(alpha).intoArray(c, r + VL);
        c10.mul(alpha).intoArray(c, r + np);
        c11.mul(alpha).intoArray(c, r + np + VL);
        c20.mul(alpha).intoArray(c, r + 2 * np);
        c21.mul(alpha).intoArray(c, r + 2 * np + VL);
        c30.mul(alpha).intoArray(c, r + 3 * np);
        c31.mul(alpha).intoArray(c, r + 3 * np + VL);
    }

    private static void rows4x1(float[] c, float[] a, int a0, int lda, float[] b, int k, int np, int i, int v,
                                float alpha) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p * np + v);
            if (b0.getClass() != VC) throw notExact();
            c0 = b0.fma(FloatVector.broadcast(S, a[a0 + p]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[a0 + lda + p]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[a0 + 2 * lda + p]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[a0 + 3 * lda + p]), c3);
        }
        if (c0.getClass() != VC || c1.getClass() != VC || c2.getClass() != VC || c3.getClass() != VC) throw notExact();
        int r = i * np + v;
        c0.mul(alpha).intoArray(c, r);
        c1.mul(alpha).intoArray(c, r + np);
        c2.mul(alpha).intoArray(c, r + 2 * np);
        c3.mul(alpha).intoArray(c, r + 3 * np);
    }
}
