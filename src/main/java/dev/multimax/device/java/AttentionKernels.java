package dev.multimax.device.java;

import java.util.Arrays;

/**
 * The matmuls of attention, one (batch, head) pair per work item, reading Q, K, V straight from
 * the qkv projection's output in timm's layout (B, N, 3, H, Dh). Products go through
 * {@link SmallGemm}, which reads its left operand through (row, column) strides: P, dS and their
 * transposes are used in place. Dh-wide right operands and results (V, K, Q, dO; O, dQ, dK, dV)
 * are also used in place when Dh is a whole number of vectors (Dh 32); otherwise, and for the
 * N-wide products (Kᵀ, Vᵀ; S, dP), they go through zero-padded per-thread scratch.
 */
final class AttentionKernels {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private AttentionKernels() {
    }

    /** Per-thread buffers: a right operand, a result, and a transposed operand (see {@link #transposed}). */
    private static final class Scratch {
        float[] rhs = new float[0];
        float[] out = new float[0];
        float[] tr = new float[0];
        int trRows = -1;
        int trCols = -1;

        /**
         * The buffer for a transposed rows × cols block, padded to padded(rows). Its padding is
         * zeroed only when the shape changes: gatherTransposed never writes it, so it stays zero
         * (re-filling it per head was a tenth of the scores product).
         */
        float[] transposed(int rows, int cols) {
            int np = SmallGemm.padded(rows);
            if (rows != trRows || cols != trCols) {
                if (tr.length < cols * np) tr = new float[cols * np];
                Arrays.fill(tr, 0f);
                trRows = rows;
                trCols = cols;
            }
            return tr;
        }

        Scratch fit(int rhsSize, int outSize) {
            if (rhs.length < rhsSize) rhs = new float[rhsSize];
            if (out.length < outSize) out = new float[outSize];
            return this;
        }
    }

    /** Geometry of one (batch, head) item: where its q, k, v rows start in qkv-shaped buffers. */
    private record Head(int q, int k, int v, int rowStride) {
        static Head of(int off, int bh, int n, int h, int dh) {
            int d = h * dh;
            int base = off + (bh / h) * n * 3 * d + (bh % h) * dh;
            return new Head(base, base + d, base + 2 * d, 3 * d);
        }
    }

    /** dst(rows × cols, padded to np, zero beyond cols) = rows of src at off, stride ld. */
    private static void gather(float[] dst, int np, float[] src, int off, int ld, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, off + r * ld, dst, r * np, cols);
            Arrays.fill(dst, r * np + cols, r * np + np, 0f);
        }
    }

    /**
     * dst(cols × rows, row stride np) = transpose of the rows × cols block of src at off, stride ld;
     * dst's padding columns are left as they are. Four source rows per pass, so each destination
     * row gets four adjacent stores and each source element is read once.
     */
    private static void gatherTransposed(float[] dst, int np, float[] src, int off, int ld, int rows, int cols) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int s0 = off + r * ld;
            for (int c = 0, d = r; c < cols; c++, d += np) {
                dst[d] = src[s0 + c];
                dst[d + 1] = src[s0 + ld + c];
                dst[d + 2] = src[s0 + 2 * ld + c];
                dst[d + 3] = src[s0 + 3 * ld + c];
            }
        }
        for (; r < rows; r++) {
            for (int c = 0; c < cols; c++) dst[c * np + r] = src[off + r * ld + c];
        }
    }

    /** Copies the first cols of each np-wide scratch row to dst rows at off, stride ld. */
    private static void scatter(float[] dst, int off, int ld, float[] src, int np, int rows, int cols) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, r * np, dst, off + r * ld, cols);
    }

    /**
     * C(n × dh at cOff, stride ldc) = alpha · A(n × n; element (i, p) at aOff + i·ars + p·acs) ·
     * B(n × dh at bOff, stride ldb): in place when dh is whole vectors, else via padded scratch.
     */
    private static void timesRows(float[] c, int cOff, int ldc, float[] a, int aOff, int ars, int acs,
                                  float[] b, int bOff, int ldb, int n, int dh, float alpha) {
        int dp = SmallGemm.padded(dh);
        if (dp == dh) {
            SmallGemm.gemm(c, cOff, ldc, a, aOff, ars, acs, b, bOff, ldb, n, n, dh, alpha);
            return;
        }
        Scratch t = SCRATCH.get().fit(n * dp, n * dp);
        gather(t.rhs, dp, b, bOff, ldb, n, dh);
        SmallGemm.gemm(t.out, 0, dp, a, aOff, ars, acs, t.rhs, 0, dp, n, n, dp, alpha);
        scatter(c, cOff, ldc, t.out, dp, n, dh);
    }

    /**
     * C(n × n at cOff, dense) = alpha · A(n × dh at aOff, stride lda) · B(n × dh at bOff, stride ldb)ᵀ.
     * The whole-vector columns are written straight into C; only the last, partial vector of
     * columns goes through scratch (a full-width store there would run into the next row or head).
     */
    private static void timesTransposed(float[] c, int cOff, float[] a, int aOff, int lda, float[] b, int bOff,
                                        int ldb, int n, int dh, float alpha) {
        int np = SmallGemm.padded(n);
        int nv = n / SmallGemm.VL * SmallGemm.VL;
        Scratch t = SCRATCH.get().fit(0, n * SmallGemm.VL);
        float[] bt = t.transposed(n, dh);
        gatherTransposed(bt, np, b, bOff, ldb, n, dh);
        if (nv > 0) SmallGemm.gemm(c, cOff, n, a, aOff, lda, 1, bt, 0, np, n, dh, nv, alpha);
        if (nv < n) {
            SmallGemm.gemm(t.out, 0, SmallGemm.VL, a, aOff, lda, 1, bt, nv, np, n, dh, SmallGemm.VL, alpha);
            scatter(c, cOff + nv, n, t.out, SmallGemm.VL, n, n - nv);
        }
    }

    /** S(B,H,N,N) = scale·Q·Kᵀ. */
    static void attnScoresFwd(Parallel par, float[] s, int sOff, float[] qkv, int qkvOff, int b, int n, int h, int dh,
                          float scale) {
        par.forEach(b * h, bh -> {
            Head hd = Head.of(qkvOff, bh, n, h, dh);
            timesTransposed(s, sOff + bh * n * n, qkv, hd.q(), hd.rowStride(), qkv, hd.k(), hd.rowStride(), n, dh, scale);
        });
    }

    /** O(B,N,H·Dh) = P·V per head. */
    static void attnContextFwd(Parallel par, float[] o, int oOff, float[] p, int pOff, float[] qkv, int qkvOff,
                           int b, int n, int h, int dh) {
        par.forEach(b * h, bh -> {
            Head hd = Head.of(qkvOff, bh, n, h, dh);
            int oRow = oOff + (bh / h) * n * h * dh + (bh % h) * dh;
            timesRows(o, oRow, h * dh, p, pOff + bh * n * n, n, 1, qkv, hd.v(), hd.rowStride(), n, dh, 1f);
        });
    }

    /** dP = dO·Vᵀ, and dV = Pᵀ·dO written into the v part of dqkv. */
    static void attnContextBwd(Parallel par, float[] dp, int dpOff, float[] dqkv, int dqkvOff, float[] dout, int doOff,
                           float[] p, int pOff, float[] qkv, int qkvOff, int b, int n, int h, int dh) {
        int d = h * dh;
        par.forEach(b * h, bh -> {
            Head hd = Head.of(qkvOff, bh, n, h, dh);
            Head dhd = Head.of(dqkvOff, bh, n, h, dh);
            int dO = doOff + (bh / h) * n * d + (bh % h) * dh;
            timesTransposed(dp, dpOff + bh * n * n, dout, dO, d, qkv, hd.v(), hd.rowStride(), n, dh, 1f);
            // Pᵀ: element (j, i) of the transpose is P[i·n + j], so row stride 1 and column stride n.
            timesRows(dqkv, dhd.v(), dhd.rowStride(), p, pOff + bh * n * n, 1, n, dout, dO, d, n, dh, 1f);
        });
    }

    /** dQ = scale·dS·K and dK = scale·dSᵀ·Q (into the q and k parts of dqkv). */
    static void attnScoresBwd(Parallel par, float[] dqkv, int dqkvOff, float[] ds, int dsOff, float[] qkv, int qkvOff,
                          int b, int n, int h, int dh, float scale) {
        par.forEach(b * h, bh -> {
            Head hd = Head.of(qkvOff, bh, n, h, dh);
            Head dhd = Head.of(dqkvOff, bh, n, h, dh);
            int s0 = dsOff + bh * n * n;
            timesRows(dqkv, dhd.q(), dhd.rowStride(), ds, s0, n, 1, qkv, hd.k(), hd.rowStride(), n, dh, scale);
            timesRows(dqkv, dhd.k(), dhd.rowStride(), ds, s0, 1, n, qkv, hd.q(), hd.rowStride(), n, dh, scale);
        });
    }
}
