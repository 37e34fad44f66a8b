package dev.multimax.device.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C(m, nc) = alpha · A(m, k) · B(k, nc) for the small per-head matrices of attention (N ≈ 49,
 * Dh ≈ 32), single-threaded (the caller parallelises over heads). nc is a multiple of the vector
 * length, so there are no masked tails. All three operands are strided views: B and C rows start
 * every ldb / ldc floats, and A's element (i, p) sits at aOff + i·ars + p·acs, so a transposed A
 * (acs ≠ 1) is read in place — A is only ever broadcast one scalar at a time, so its layout costs
 * nothing, and attention needs no transposed copies of P or dS. Register block: 4 rows × 2 vectors.
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

    static void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
                     int ldb, int m, int k, int nc, float alpha) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int v = 0;
            for (; v + 2 * VL <= nc; v += 2 * VL) {
                rows4x2(c, cOff + i * ldc + v, ldc, a, aOff + i * ars, ars, acs, b, bOff + v, ldb, k, alpha);
            }
            for (; v < nc; v += VL) rows4x1(c, cOff + i * ldc + v, ldc, a, aOff + i * ars, ars, acs, b, bOff + v, ldb, k, alpha);
        }
        for (; i < m; i++) {
            for (int v = 0; v < nc; v += VL) {
                FloatVector acc = FloatVector.zero(S);
                int ar = aOff + i * ars;
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(S, b, bOff + p * ldb + v);
                    if (bv.getClass() != VC) throw notExact();
                    acc = bv.fma(FloatVector.broadcast(S, a[ar + p * acs]), acc);
                }
                if (acc.getClass() != VC) throw notExact();
                acc.mul(alpha).intoArray(c, cOff + i * ldc + v);
            }
        }
    }

    private static void rows4x2(float[] c, int c0, int ldc, float[] a, int a0, int ars, int acs, float[] b, int b0,
                                int ldb, int k, float alpha) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bp);
            FloatVector b1v = FloatVector.fromArray(S, b, bp + VL);
            if (b0v.getClass() != VC || b1v.getClass() != VC) throw notExact();
            float x0 = a[ap], x1 = a[ap + ars], x2 = a[ap + 2 * ars], x3 = a[ap + 3 * ars];
            c00 = b0v.fma(FloatVector.broadcast(S, x0), c00);
            c01 = b1v.fma(FloatVector.broadcast(S, x0), c01);
            c10 = b0v.fma(FloatVector.broadcast(S, x1), c10);
            c11 = b1v.fma(FloatVector.broadcast(S, x1), c11);
            c20 = b0v.fma(FloatVector.broadcast(S, x2), c20);
            c21 = b1v.fma(FloatVector.broadcast(S, x2), c21);
            c30 = b0v.fma(FloatVector.broadcast(S, x3), c30);
            c31 = b1v.fma(FloatVector.broadcast(S, x3), c31);
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC
                || c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC) {
            throw notExact();
        }
        c00.mul(alpha).intoArray(c, c0);
        c01.mul(alpha).intoArray(c, c0 + VL);
        c10.mul(alpha).intoArray(c, c0 + ldc);
        c11.mul(alpha).intoArray(c, c0 + ldc + VL);
        c20.mul(alpha).intoArray(c, c0 + 2 * ldc);
        c21.mul(alpha).intoArray(c, c0 + 2 * ldc + VL);
        c30.mul(alpha).intoArray(c, c0 + 3 * ldc);
        c31.mul(alpha).intoArray(c, c0 + 3 * ldc + VL);
    }

    private static void rows4x1(float[] c, int c0, int ldc, float[] a, int a0, int ars, int acs, float[] b, int b0,
                                int ldb, int k, float alpha) {
        FloatVector r0 = FloatVector.zero(S), r1 = FloatVector.zero(S);
        FloatVector r2 = FloatVector.zero(S), r3 = FloatVector.zero(S);
        for (int p = 0, ap = a0, bp = b0; p < k; p++, ap += acs, bp += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bp);
            if (bv.getClass() != VC) throw notExact();
            r0 = bv.fma(FloatVector.broadcast(S, a[ap]), r0);
            r1 = bv.fma(FloatVector.broadcast(S, a[ap + ars]), r1);
            r2 = bv.fma(FloatVector.broadcast(S, a[ap + 2 * ars]), r2);
            r3 = bv.fma(FloatVector.broadcast(S, a[ap + 3 * ars]), r3);
        }
        if (r0.getClass() != VC || r1.getClass() != VC || r2.getClass() != VC || r3.getClass() != VC) throw notExact();
        r0.mul(alpha).intoArray(c, c0);
        r1.mul(alpha).intoArray(c, c0 + ldc);
        r2.mul(alpha).intoArray(c, c0 + 2 * ldc);
        r3.mul(alpha).intoArray(c, c0 + 3 * ldc);
    }
}
