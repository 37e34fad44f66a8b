// matmul.cl — C(M,N) = op(A)·op(B), or C += op(A)·op(B) when accumulate; with -DBIAS (matmul_bias)
// C = A·Bᵀ + bias(N), the bias added to each accumulator as C is stored (one fp32 addition, as
// bias_add_fwd after the product): the kernels take (bias, bias_off) after their other arguments.
// A is stored (M,K), or (K,M) when transA; B is stored (K,N), or (N,K) when transB. Row-major.
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer, then ints; padded
// global sizes with guards; FP_CONTRACT OFF (products and sums are fused only where fma() says so).
//
// Two variants; MatmulBinder picks one from Tuning by device type:
//
//   CPU (PoCL) "reg": matmul_reg. One work-item computes a TM×32 block of C in 2·TM float16
//   registers, no local memory: per k it broadcasts TM scalars of op(A) and loads one 32-wide row
//   of op(B). op(B) is read as 32-column panels: element (p, j) of panel q = j/32 is at
//   B[q·bPanel + p·bRow + j%32]. The binder either passes B itself (not transposed, N a multiple of
//   32: bPanel = 32, bRow = N) or first runs pack_b_panels into a scratch buffer of zero-padded
//   panels (bPanel = 32·K, bRow = 32), so the inner loop has no column guards. Rows of A past M are
//   clamped to row M-1 (read, never stored), so the inner loop has no row guards either.
//   Split K (few blocks of C, long K: the weight gradients): grid dimension 2 is a chunk of kc
//   values of p; chunk z writes its partial product to C + z·M·N of a scratch buffer (accumulate 0),
//   and matmul_sum_chunks adds the chunks in order into C: deterministic, no atomics.
//
//   GPU "local": matmul_tiled. A work-group of LX×LY items computes a BM×BN tile of C through
//   TK-deep tiles of op(A) and op(B) staged in local memory; each item owns a WM×WN micro-tile with
//   a stride of LY rows / LX columns (coalesced stores, conflict-free local reads). Loads past the
//   matrix edges read 0. The grid is whole groups (no padding items), so every item reaches the
//   barriers.
#pragma OPENCL FP_CONTRACT OFF

#ifndef TM
#define TM 8
#endif
#ifndef BM
#define BM 64
#endif
#ifndef BN
#define BN 64
#endif
#ifndef TK
#define TK 16
#endif
#ifndef LX
#define LX 16
#endif
#ifndef LY
#define LY 16
#endif
#define WM (BM / LY)
#define WN (BN / LX)

// P: ceil(N/32) panels of K×32, panel q holding columns [32q, 32q+32) of op(B), zeros past N.
// Grid (32·ceil(N/32), K): item (j, p).
__kernel void pack_b_panels(__global float* P, int P_off, __global const float* B, int B_off,
                            int N, int K, int transB) {
    int j = get_global_id(0);
    int p = get_global_id(1);
    int panels = (N + 31) / 32;
    if (j >= panels * 32 || p >= K) return;
    P += P_off; B += B_off;
    float v = 0.0f;
    if (j < N) v = transB ? B[j * K + p] : B[p * N + j];
    P[(j / 32) * 32 * K + p * 32 + (j % 32)] = v;
}

// One row r of the register block: C(i0+r, j0..j0+31) accumulators c<r>a, c<r>b.
#define ROW_DECL(r) float16 c##r##a = (float16)(0.0f), c##r##b = (float16)(0.0f); \
    const __global float* a##r = A + min(i0 + r, M - 1) * sRow;
#define ROW_FMA(r) { float16 av = (float16)(a##r[ap]); c##r##a = fma(av, b0, c##r##a); c##r##b = fma(av, b1, c##r##b); }
#define ROW_STORE(r) if (i0 + r < M) store_row(C + (i0 + r) * N + j0, c##r##a, c##r##b, N - j0, accumulate, bias);

// bias: the 32 columns' bias (read only where the row has them), or 0.
static inline void store_row(__global float* c, float16 x, float16 y, int cols, int accumulate, __global const float* bias) {
    if (bias && cols >= 32) {
        x = x + vload16(0, bias);
        y = y + vload16(0, bias + 16);
    }
    if (cols >= 32) {
        if (accumulate) {
            x = vload16(0, c) + x;
            y = vload16(0, c + 16) + y;
        }
        vstore16(x, 0, c);
        vstore16(y, 0, c + 16);
        return;
    }
    float t[32];
    vstore16(x, 0, t);
    vstore16(y, 0, t + 16);
    for (int j = 0; j < cols; j++) {
        float v = bias ? t[j] + bias[j] : t[j];
        c[j] = accumulate ? c[j] + v : v;
    }
}

// Grid (ceil(N/32), ceil(M/TM), chunks): item (jt, it, z) computes C rows [TM·it, +TM) × columns
// [32·jt, +32) over p in [z·kc, min(K, z·kc + kc)).
__kernel void matmul_reg(__global float* C, int C_off, __global const float* A, int A_off,
                         __global const float* B, int B_off, int M, int N, int K, int transA,
                         int accumulate, int bPanel, int bRow, int kc
#ifdef BIAS
                         , __global const float* bias_base, int bias_off
#endif
                         ) {
    int jt = get_global_id(0);
    int it = get_global_id(1);
    int z = get_global_id(2);
    int j0 = jt * 32, i0 = it * TM;
    int p0 = z * kc;
    if (j0 >= N || i0 >= M || (z > 0 && p0 >= K)) return;
    C += C_off + z * M * N; A += A_off; B += B_off;
    // op(A)(i, p) = A[i·sRow + p·sCol]
    int sRow = transA ? 1 : K;
    int sCol = transA ? M : 1;
    A += p0 * sCol;
    const __global float* b = B + jt * bPanel + p0 * bRow;
    int kEnd = min(K - p0, kc);
#ifdef BIAS
    __global const float* bias = bias_base + bias_off + j0;  // the binder never splits K with a bias
#else
    __global const float* bias = 0;
#endif
    ROW_DECL(0) ROW_DECL(1) ROW_DECL(2) ROW_DECL(3)
#if TM == 8
    ROW_DECL(4) ROW_DECL(5) ROW_DECL(6) ROW_DECL(7)
#elif TM != 4
#error TM must be 4 or 8
#endif
    for (int p = 0; p < kEnd; p++) {
        float16 b0 = vload16(0, b);
        float16 b1 = vload16(0, b + 16);
        b += bRow;
        int ap = p * sCol;
        ROW_FMA(0) ROW_FMA(1) ROW_FMA(2) ROW_FMA(3)
#if TM == 8
        ROW_FMA(4) ROW_FMA(5) ROW_FMA(6) ROW_FMA(7)
#endif
    }
    ROW_STORE(0) ROW_STORE(1) ROW_STORE(2) ROW_STORE(3)
#if TM == 8
    ROW_STORE(4) ROW_STORE(5) ROW_STORE(6) ROW_STORE(7)
#endif
}

// C(n) (+)= Σ_z P(z, n) over the chunks, in chunk order.
__kernel void matmul_sum_chunks(__global float* C, int C_off, __global const float* P, int P_off, int n, int chunks,
                                int accumulate) {
    int i = get_global_id(0);
    if (i >= n) return;
    C += C_off; P += P_off;
    float s = P[i];
    for (int z = 1; z < chunks; z++) s += P[z * n + i];
    C[i] = accumulate ? C[i] + s : s;
}

// Grid (ceil(N/BN)·LX, ceil(M/BM)·LY), work-groups of exactly LX×LY.
__kernel void matmul_tiled(__global float* C, int C_off, __global const float* A, int A_off,
                           __global const float* B, int B_off, int M, int N, int K, int transA,
                           int transB, int accumulate
#ifdef BIAS
                           , __global const float* bias, int bias_off
#endif
                           ) {
    __local float As[TK][BM + 1];  // As[p][i] = op(A)(i0 + i, p0 + p)
    __local float Bs[TK][BN + 1];  // Bs[p][j] = op(B)(p0 + p, j0 + j)
    C += C_off; A += A_off; B += B_off;
    int tx = get_local_id(0), ty = get_local_id(1);
    int tid = ty * LX + tx;
    int i0 = get_group_id(1) * BM, j0 = get_group_id(0) * BN;
    float acc[WM][WN];
    for (int u = 0; u < WM; u++)
        for (int v = 0; v < WN; v++) acc[u][v] = 0.0f;
    for (int p0 = 0; p0 < K; p0 += TK) {
        // consecutive items read consecutive addresses in either layout
        for (int e = tid; e < TK * BM; e += LX * LY) {
            int i = transA ? e % BM : e / TK;
            int p = transA ? e / BM : e % TK;
            int gi = i0 + i, gp = p0 + p;
            As[p][i] = (gi < M && gp < K) ? (transA ? A[gp * M + gi] : A[gi * K + gp]) : 0.0f;
        }
        for (int e = tid; e < TK * BN; e += LX * LY) {
            int j = transB ? e / TK : e % BN;
            int p = transB ? e % TK : e / BN;
            int gj = j0 + j, gp = p0 + p;
            Bs[p][j] = (gj < N && gp < K) ? (transB ? B[gj * K + gp] : B[gp * N + gj]) : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TK; p++) {
            float a[WM], bv[WN];
            for (int u = 0; u < WM; u++) a[u] = As[p][ty + u * LY];
            for (int v = 0; v < WN; v++) bv[v] = Bs[p][tx + v * LX];
            for (int u = 0; u < WM; u++)
                for (int v = 0; v < WN; v++) acc[u][v] = fma(a[u], bv[v], acc[u][v]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int u = 0; u < WM; u++) {
        int i = i0 + ty + u * LY;
        if (i >= M) continue;
        for (int v = 0; v < WN; v++) {
            int j = j0 + tx + v * LX;
            if (j >= N) continue;
            float x = acc[u][v];
#ifdef BIAS
            x = x + bias[bias_off + j];
#endif
            C[i * N + j] = accumulate ? C[i * N + j] + x : x;
        }
    }
}
