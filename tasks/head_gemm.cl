// head_gemm.cl — the small per-head GEMM of attention.cl's CPU kernels, and the transposes and
// zero padding they need; attention.cl includes this file (KernelSources resolves the include, one
// level).
//
// A work-item computes the whole N×N or N×Dh products of a (b, h) head as small GEMMs (gemm_head),
// C = alpha · A·B with B's rows contiguous: RB rows of C × 2 vectors of AVW floats held in
// registers, each B vector loaded once per RB rows, A broadcast one scalar at a time through
// (row, column) strides, so Pᵀ and dSᵀ are read in place. Products that need Kᵀ or Vᵀ (S, dP) first
// copy that head's K or V transposed (8 × 8 blocks through registers) into the item's slot of a
// scratch buffer, rows padded with zeros to a multiple of 2·AVW (so S and dP rows are all whole
// blocks, the last stored in part).
// Sums run over p in order with fused multiply-adds (fma(), explicit: FP_CONTRACT stays off), then
// one multiplication by alpha: the order of java:0's SmallGemm. Rows past m in the last block are
// computed from row m-1 and never stored; partial column vectors are stored lane by lane; Dh-wide
// B operands with Dh not a multiple of 8 (whose rows run into the next head) get scalar column tails.
// Tunables (-D): AVW (8 or 16), RB (rows per block).

#ifndef AVW
#define AVW 16
#endif
#ifndef RB
#define RB 4
#endif
#if AVW == 16
#define VECF float16
#define VLOADW vload16
#define VSTOREW vstore16
#else
#define VECF float8
#define VLOADW vload8
#define VSTOREW vstore8
#endif

// The first n < 8 lanes of v to p[0..n).
void store_partial8(float8 v, int n, __global float* p) {
    float4 x = v.lo;
    if (n >= 4) { vstore4(v.lo, 0, p); p += 4; n -= 4; x = v.hi; }
    float2 y = x.lo;
    if (n >= 2) { vstore2(x.lo, 0, p); p += 2; n -= 2; y = x.hi; }
    if (n >= 1) p[0] = y.x;
}

// Columns [v, v + 2·AVW) of rows [i0, i0 + RB); only rows < m and columns < nc stored.
void block_wide(__global float* c, int ldc, __global const float* a, int ars, int acs, __global const float* b,
                int ldb, int i0, int m, int k, int v, int nc, float alpha) {
    VECF acc0[RB], acc1[RB];
    __global const float* ar[RB];
    #pragma unroll
    for (int r = 0; r < RB; r++) {
        acc0[r] = (VECF)(0.0f);
        acc1[r] = (VECF)(0.0f);
        ar[r] = a + min(i0 + r, m - 1) * ars;
    }
    __global const float* bp = b + v;
    for (int p = 0, ap = 0; p < k; p++, ap += acs, bp += ldb) {
        VECF b0 = VLOADW(0, bp), b1 = VLOADW(1, bp);
        #pragma unroll
        for (int r = 0; r < RB; r++) {
            VECF x = (VECF)(ar[r][ap]);
            acc0[r] = fma(x, b0, acc0[r]);
            acc1[r] = fma(x, b1, acc1[r]);
        }
    }
    if (v + 2 * AVW <= nc) {
        #pragma unroll
        for (int r = 0; r < RB; r++) {
            if (i0 + r < m) {
                __global float* cr = c + (i0 + r) * ldc + v;
                VSTOREW(alpha * acc0[r], 0, cr);
                VSTOREW(alpha * acc1[r], 1, cr);
            }
        }
    } else {
        for (int r = 0; r < RB; r++) {
            if (i0 + r < m) {
                __global float* cr = c + (i0 + r) * ldc + v;
                VECF x0 = alpha * acc0[r], x1 = alpha * acc1[r];
                float8 q[2 * AVW / 8];
#if AVW == 16
                q[0] = x0.lo; q[1] = x0.hi; q[2] = x1.lo; q[3] = x1.hi;
#else
                q[0] = x0; q[1] = x1;
#endif
                for (int u = 0; u < 2 * AVW / 8 && v + 8 * u < nc; u++) {
                    int w = min(8, nc - v - 8 * u);
                    if (w == 8) vstore8(q[u], 0, cr + 8 * u);
                    else store_partial8(q[u], w, cr + 8 * u);
                }
            }
        }
    }
}

// Columns [v, v + 8) of rows [i0, i0 + RB), only the first min(8, nc - v) columns stored.
void block_narrow(__global float* c, int ldc, __global const float* a, int ars, int acs, __global const float* b,
                  int ldb, int i0, int m, int k, int v, int nc, float alpha) {
    float8 acc[RB];
    __global const float* ar[RB];
    #pragma unroll
    for (int r = 0; r < RB; r++) {
        acc[r] = (float8)(0.0f);
        ar[r] = a + min(i0 + r, m - 1) * ars;
    }
    __global const float* bp = b + v;
    for (int p = 0, ap = 0; p < k; p++, ap += acs, bp += ldb) {
        float8 b0 = vload8(0, bp);
        #pragma unroll
        for (int r = 0; r < RB; r++) acc[r] = fma((float8)(ar[r][ap]), b0, acc[r]);
    }
    int w = min(8, nc - v);
    #pragma unroll
    for (int r = 0; r < RB; r++) {
        if (i0 + r < m) {
            __global float* cr = c + (i0 + r) * ldc + v;
            if (w == 8) vstore8(alpha * acc[r], 0, cr);
            else store_partial8(alpha * acc[r], w, cr);
        }
    }
}

// C(m × nc; row i at c + i·ldc) = alpha · Σ_p A(i, p)·B(p, ·), A(i, p) = a[i·ars + p·acs], B's row p at
// b + p·ldb and readable for nb ≥ nc columns (nb > nc: zeros, as in the transposed scratch copies):
// blocks of 2·AVW columns while B has them, then of 8, then single columns (Dh-wide B read in place,
// whose rows run on into the next head, with Dh not a multiple of 8).
void gemm_head(__global float* c, int ldc, __global const float* a, int ars, int acs, __global const float* b,
               int ldb, int m, int k, int nc, int nb, float alpha) {
    for (int i0 = 0; i0 < m; i0 += RB) {
        int v = 0;
        for (; v < nc && v + 2 * AVW <= nb; v += 2 * AVW) block_wide(c, ldc, a, ars, acs, b, ldb, i0, m, k, v, nc, alpha);
        for (; v < nc && v + 8 <= nb; v += 8) block_narrow(c, ldc, a, ars, acs, b, ldb, i0, m, k, v, nc, alpha);
        for (int i = i0; i < min(i0 + RB, m); i++) {
            for (int col = v; col < nc; col++) {
                float s = 0.0f;
                for (int p = 0; p < k; p++) s = fma(a[i * ars + p * acs], b[p * ldb + col], s);
                c[i * ldc + col] = alpha * s;
            }
        }
    }
}

// t(cols × np) = transpose of the rows × cols block at src (row stride ld): 8 × 8 blocks through
// registers (8 row loads, 8 column stores), scalar edges. Columns [rows, np) of t are not written.
void transpose_head(__global float* t, int np, __global const float* src, int ld, int rows, int cols) {
    int r = 0;
    for (; r + 8 <= rows; r += 8) {
        __global const float* s = src + r * ld;
        int q = 0;
        for (; q + 8 <= cols; q += 8) {
            float8 a0 = vload8(0, s + q), a1 = vload8(0, s + ld + q), a2 = vload8(0, s + 2 * ld + q);
            float8 a3 = vload8(0, s + 3 * ld + q), a4 = vload8(0, s + 4 * ld + q), a5 = vload8(0, s + 5 * ld + q);
            float8 a6 = vload8(0, s + 6 * ld + q), a7 = vload8(0, s + 7 * ld + q);
            __global float* d = t + q * np + r;
            vstore8((float8)(a0.s0, a1.s0, a2.s0, a3.s0, a4.s0, a5.s0, a6.s0, a7.s0), 0, d);
            vstore8((float8)(a0.s1, a1.s1, a2.s1, a3.s1, a4.s1, a5.s1, a6.s1, a7.s1), 0, d + np);
            vstore8((float8)(a0.s2, a1.s2, a2.s2, a3.s2, a4.s2, a5.s2, a6.s2, a7.s2), 0, d + 2 * np);
            vstore8((float8)(a0.s3, a1.s3, a2.s3, a3.s3, a4.s3, a5.s3, a6.s3, a7.s3), 0, d + 3 * np);
            vstore8((float8)(a0.s4, a1.s4, a2.s4, a3.s4, a4.s4, a5.s4, a6.s4, a7.s4), 0, d + 4 * np);
            vstore8((float8)(a0.s5, a1.s5, a2.s5, a3.s5, a4.s5, a5.s5, a6.s5, a7.s5), 0, d + 5 * np);
            vstore8((float8)(a0.s6, a1.s6, a2.s6, a3.s6, a4.s6, a5.s6, a6.s6, a7.s6), 0, d + 6 * np);
            vstore8((float8)(a0.s7, a1.s7, a2.s7, a3.s7, a4.s7, a5.s7, a6.s7, a7.s7), 0, d + 7 * np);
        }
        for (; q < cols; q++)
            for (int u = 0; u < 8; u++) t[q * np + r + u] = s[u * ld + q];
    }
    for (; r < rows; r++)
        for (int q = 0; q < cols; q++) t[q * np + r] = src[r * ld + q];
}

// Zeros in columns [rows, np) of t(cols × np).
void zero_pad(__global float* t, int np, int rows, int cols) {
    for (int q = 0; q < cols; q++)
        for (int r = rows; r < np; r++) t[q * np + r] = 0.0f;
}
