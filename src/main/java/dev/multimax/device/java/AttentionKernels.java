package dev.multimax.device.java;

import java.util.Arrays;

/**
 * The matmuls of attention, one (batch, head) pair per work item, reading Q, K, V straight from
 * the qkv projection's output in timm's layout (B, N, 3, H, Dh). Each product goes through
 * {@link SmallGemm}: the right-hand operand is first gathered (or transposed) into contiguous,
 * zero-padded per-thread scratch, the result is computed into scratch and copied to its strided place.
 */
final class AttentionKernels {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private AttentionKernels() {
    }

    /** Per-thread buffers: two operands and a result. */
    private static final class Scratch {
        float[] lhs = new float[0];
        float[] rhs = new float[0];
        float[] out = new float[0];

        Scratch fit(int lhsSize, int rhsSize, int outSize) {
            if (lhs.length < lhsSize) lhs = new float[lhsSize];
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

    /** dst(cols × rows, padded to np) = transpose of the rows × cols block of src at off, stride ld. */
    private static void gatherTransposed(float[] dst, int np, float[] src, int off, int ld, int rows, int cols) {
        for (int c = 0; c < cols; c++) Arrays.fill(dst, c * np + rows, c * np + np, 0f);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) dst[c * np + r] = src[off + r * ld + c];
        }
    }

    /** Copies the first cols of each np-wide scratch row to dst rows at off, stride ld. */
    private static void scatter(float[] dst, int off, int ld, float[] src, int np, int rows, int cols) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, r * np, dst, off + r * ld, cols);
    }

    /** S(B,H,N,N) = scale·Q·Kᵀ. */
    static void scoresFwd(Parallel par, float[] s, int sOff, float[] qkv, int qkvOff, int b, int n, int h, int dh,
                          float scale) {
        int np = SmallGemm.padded(n);
        par.forEach(b * h, bh -> {
            Head hd = Head.of(qkvOff, bh, n, h, dh);
            Scratch t = SCRATCH.get().fit(0, dh * np, n * np);
            gatherTransposed(t.rhs, np, qkv, hd.k(), hd.rowStride(), n, dh);
            SmallGemm.gemm(t.out, qkv, hd.q(), hd.rowStride(), t.rhs, n, dh, np, scale);
            scatter(s, sOff + bh * n * n, n, t.out, np, n, n);
        });
    }

    /** O(B,N,H·Dh) = P·V per head. */
    static void contextFwd(Parallel par, float[] o, int oOff, float[] p, int pOff, float[] qkv, int qkvOff,
                           int b, int n, int h, int dh) {
        int dp = SmallGemm.padded(dh);
        par.forEach(b * h, bh -> {
            Head hd = Head.of(qkvOff, bh, n, h, dh);
            Scratch t = SCRATCH.get().fit(0, n * dp, n * dp);
            gather(t.rhs, dp, qkv, hd.v(), hd.rowStride(), n, dh);
            SmallGemm.gemm(t.out, p, pOff + bh * n * n, n, t.rhs, n, n, dp, 1f);
            scatter(o, oOff + (bh / h) * n * h * dh + (bh % h) * dh, h * dh, t.out, dp, n, dh);
        });
    }

    /** dP = dO·Vᵀ, and dV = Pᵀ·dO written into the v part of dqkv. */
    static void contextBwd(Parallel par, float[] dp, int dpOff, float[] dqkv, int dqkvOff, float[] dout, int doOff,
                           float[] p, int pOff, float[] qkv, int qkvOff, int b, int n, int h, int dh) {
        int np = SmallGemm.padded(n);
        int dpad = SmallGemm.padded(dh);
        int d = h * dh;
        par.forEach(b * h, bh -> {
            Head hd = Head.of(qkvOff, bh, n, h, dh);
            Head dhd = Head.of(dqkvOff, bh, n, h, dh);
            int dO = doOff + (bh / h) * n * d + (bh % h) * dh;
            Scratch t = SCRATCH.get().fit(n * n, Math.max(dh * np, n * dpad), Math.max(n * np, n * dpad));
            gatherTransposed(t.rhs, np, qkv, hd.v(), hd.rowStride(), n, dh);
            SmallGemm.gemm(t.out, dout, dO, d, t.rhs, n, dh, np, 1f);
            scatter(dp, dpOff + bh * n * n, n, t.out, np, n, n);
            gatherTransposed(t.lhs, n, p, pOff + bh * n * n, n, n, n);
            gather(t.rhs, dpad, dout, dO, d, n, dh);
            SmallGemm.gemm(t.out, t.lhs, 0, n, t.rhs, n, n, dpad, 1f);
            scatter(dqkv, dhd.v(), dhd.rowStride(), t.out, dpad, n, dh);
        });
    }

    /** dQ = scale·dS·K and dK = scale·dSᵀ·Q (into the q and k parts of dqkv). */
    static void scoresBwd(Parallel par, float[] dqkv, int dqkvOff, float[] ds, int dsOff, float[] qkv, int qkvOff,
                          int b, int n, int h, int dh, float scale) {
        int dpad = SmallGemm.padded(dh);
        par.forEach(b * h, bh -> {
            Head hd = Head.of(qkvOff, bh, n, h, dh);
            Head dhd = Head.of(dqkvOff, bh, n, h, dh);
            Scratch t = SCRATCH.get().fit(n * n, n * dpad, n * dpad);
            gather(t.rhs, dpad, qkv, hd.k(), hd.rowStride(), n, dh);
            SmallGemm.gemm(t.out, ds, dsOff + bh * n * n, n, t.rhs, n, n, dpad, scale);
            scatter(dqkv, dhd.q(), dhd.rowStride(), t.out, dpad, n, dh);
            gatherTransposed(t.lhs, n, ds, dsOff + bh * n * n, n, n, n);
            gather(t.rhs, dpad, qkv, hd.q(), hd.rowStride(), n, dh);
            SmallGemm.gemm(t.out, t.lhs, 0, n, t.rhs, n, n, dpad, scale);
            scatter(dqkv, dhd.k(), dhd.rowStride(), t.out, dpad, n, dh);
        });
    }
}
