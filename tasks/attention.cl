// attention.cl — the four products of attention, reading Q, K, V from qkv(B,N,3,H,Dh) (timm's
// layout; D = H·Dh, element (b, n, part, h, k) at ((b·N + n)·3 + part)·D + h·Dh + k).
//   attn_scores_fwd:  S(B,H,N,N) = scale · Q·Kᵀ per (b, h).
//   attn_scores_bwd:  dQ = scale · dS·K, dK = scale · dSᵀ·Q, into the q and k parts of dqkv.
//   attn_context_fwd: O(B,N,D) = P·V per (b, h), head h in columns [h·Dh, h·Dh + Dh).
//   attn_context_bwd: dP = dO·Vᵀ (attn_context_bwd_dp) and dV = Pᵀ·dO into the v part of dqkv
//                     (attn_context_bwd_dv): two launches.
// Every output element is computed by one work-item and written once (no atomics); results do
// not depend on the work-group size. 2-D index spaces: dimension 0 runs along the output's
// contiguous axis (j < N for S and dP; t < Dh, or blocks of 8 t, for O, dQ, dK, dV), dimension 1
// over rows. Two variants (Tuning.attnVector):
//   GPU (attnVector 1): the kernels below, one item per element, scalar loops in index order;
//       neighbouring items read neighbouring addresses (coalesced), the shared operand is uniform.
//   CPU (attnVector 8): the *_vec kernels at the end, explicit float8 (see there).
// Scaled products are scale·Σ (the scale applied once at the end, as java:0's SmallGemm does).
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints,
// then floats; padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

// Item (j, r) over (N, B·H·N), r = (b·H + h)·N + i: S(b,h,i,j) = scale · Σ_t Q(b,i,h,t)·K(b,j,h,t).
__kernel void attn_scores_fwd(__global float* S, int S_off, __global const float* qkv, int qkv_off,
                              int B, int N, int H, int Dh, float scale) {
    int j = get_global_id(0), r = get_global_id(1);
    if (j >= N || r >= B * H * N) return;
    S += S_off; qkv += qkv_off;
    int D = H * Dh;
    int e = r * N + j;
    int i = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    __global const float* q = qkv + ((b * N + i) * 3) * D + h * Dh;
    __global const float* k = qkv + ((b * N + j) * 3 + 1) * D + h * Dh;
    float s = 0.0f;
    for (int t = 0; t < Dh; t++) s += q[t] * k[t];
    S[e] = scale * s;
}

// Item (t, r) over (Dh, B·N·2·H), r = ((b·N + n)·2 + part)·H + h; the q and k parts of dqkv:
//   part 0: dQ(b,n,h,t) = scale · Σ_j dS(b,h,n,j)·K(b,j,h,t)
//   part 1: dK(b,n,h,t) = scale · Σ_i dS(b,h,i,n)·Q(b,i,h,t)
// The v part is left alone (attn_context_bwd writes it).
__kernel void attn_scores_bwd(__global float* dqkv, int dqkv_off, __global const float* dS, int dS_off,
                              __global const float* qkv, int qkv_off, int B, int N, int H, int Dh, float scale) {
    int t = get_global_id(0), r = get_global_id(1);
    int D = H * Dh;
    if (t >= Dh || r >= B * N * 2 * H) return;
    dqkv += dqkv_off; dS += dS_off; qkv += qkv_off;
    int h = r % H; r /= H;
    int part = r % 2; r /= 2;
    int n = r % N, b = r / N;
    __global const float* ds = dS + (b * H + h) * N * N;
    float s = 0.0f;
    if (part == 0) {
        __global const float* k = qkv + (b * N * 3 + 1) * D + h * Dh + t;  // K(b, 0, h, t); rows 3·D apart
        __global const float* row = ds + n * N;
        for (int j = 0; j < N; j++) s += row[j] * k[j * 3 * D];
    } else {
        __global const float* q = qkv + (b * N * 3) * D + h * Dh + t;      // Q(b, 0, h, t)
        __global const float* col = ds + n;
        for (int i = 0; i < N; i++) s += col[i * N] * q[i * 3 * D];
    }
    dqkv[((b * N + n) * 3 + part) * D + h * Dh + t] = scale * s;
}

// Item (t, r) over (Dh, B·N·H), r = (b·N + i)·H + h (O's layout): O(b,i,h,t) = Σ_j P(b,h,i,j)·V(b,j,h,t).
__kernel void attn_context_fwd(__global float* O, int O_off, __global const float* P, int P_off,
                               __global const float* qkv, int qkv_off, int B, int N, int H, int Dh) {
    int t = get_global_id(0), r = get_global_id(1);
    int D = H * Dh;
    if (t >= Dh || r >= B * N * H) return;
    O += O_off; P += P_off; qkv += qkv_off;
    int e = r * Dh + t;
    int h = r % H; r /= H;
    int i = r % N, b = r / N;
    __global const float* p = P + ((b * H + h) * N + i) * N;
    __global const float* v = qkv + (b * N * 3 + 2) * D + h * Dh + t;      // V(b, 0, h, t)
    float s = 0.0f;
    for (int j = 0; j < N; j++) s += p[j] * v[j * 3 * D];
    O[e] = s;
}

// Item (j, r) over (N, B·H·N), r = (b·H + h)·N + i: dP(b,h,i,j) = Σ_t dO(b,i,h,t)·V(b,j,h,t).
__kernel void attn_context_bwd_dp(__global float* dP, int dP_off, __global const float* dO, int dO_off,
                                  __global const float* qkv, int qkv_off, int B, int N, int H, int Dh) {
    int j = get_global_id(0), r = get_global_id(1);
    if (j >= N || r >= B * H * N) return;
    dP += dP_off; dO += dO_off; qkv += qkv_off;
    int D = H * Dh;
    int e = r * N + j;
    int i = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    __global const float* g = dO + (b * N + i) * D + h * Dh;
    __global const float* v = qkv + ((b * N + j) * 3 + 2) * D + h * Dh;
    float s = 0.0f;
    for (int t = 0; t < Dh; t++) s += g[t] * v[t];
    dP[e] = s;
}

// Item (t, r) over (Dh, B·N·H), r = (b·N + j)·H + h: dV(b,j,h,t) = Σ_i P(b,h,i,j)·dO(b,i,h,t), into
// the v part of dqkv.
__kernel void attn_context_bwd_dv(__global float* dqkv, int dqkv_off, __global const float* dO, int dO_off,
                                  __global const float* P, int P_off, int B, int N, int H, int Dh) {
    int t = get_global_id(0), r = get_global_id(1);
    int D = H * Dh;
    if (t >= Dh || r >= B * N * H) return;
    dqkv += dqkv_off; dO += dO_off; P += P_off;
    int h = r % H; r /= H;
    int j = r % N, b = r / N;
    __global const float* p = P + (b * H + h) * N * N + j;                 // P(b, h, 0, j); rows N apart
    __global const float* g = dO + b * N * D + h * Dh + t;                 // dO(b, 0, h, t); rows D apart
    float s = 0.0f;
    for (int i = 0; i < N; i++) s += p[i * N] * g[i * D];
    dqkv[((b * N + j) * 3 + 2) * D + h * Dh + t] = s;
}

// ---- CPU variant: explicit float8 vectors along the contiguous axis --------------------------------
// PoCL vectorises a work-group across items only when the kernel body has no loop of its own; these
// kernels do, so the vectors are written out: each item takes VW = 8 consecutive t of a Dh-wide
// output (a scalar tail when Dh is not a multiple of 8), or, for S and dP, 8 consecutive j whose
// Dh products run 8 at a time (lanes then added as a fixed tree, then the t tail in order).

#define VW 8

// out[jj·os] = alpha · Σ_t a[t]·b[jj·bs + t] for jj < nj ≤ 8: one item, up to 8 outputs sharing the
// row a (loaded once per 8 t, not once per output); per output, 8-lane partial sums over whole
// vectors of t, the lanes added as a fixed tree, then the tail of t in order.
void dots8(__global float* out, int os, __global const float* a, __global const float* b, int bs, int nj, int Dh,
           float alpha) {
    float8 acc[8];
    for (int jj = 0; jj < 8; jj++) acc[jj] = (float8)(0.0f);
    int w = Dh / VW * VW;
    for (int t = 0; t < w; t += VW) {
        float8 x = vload8(0, a + t);
        for (int jj = 0; jj < 8; jj++) if (jj < nj) acc[jj] += x * vload8(0, b + jj * bs + t);
    }
    for (int jj = 0; jj < 8; jj++) {
        if (jj >= nj) break;
        float8 v = acc[jj];
        float s = ((v.s0 + v.s1) + (v.s2 + v.s3)) + ((v.s4 + v.s5) + (v.s6 + v.s7));
        for (int t = w; t < Dh; t++) s += a[t] * b[jj * bs + t];
        out[jj * os] = alpha * s;
    }
}

// out[0..Dh) of one row, block tb: alpha · Σ_j w[j·ws] · m[j·ms + t] for t in [tb·VW, min(Dh, tb·VW + VW)).
void rows_times(__global float* out, __global const float* w, int ws, __global const float* m, int ms,
                int n, int Dh, int tb, float alpha) {
    int t0 = tb * VW;
    if (t0 + VW <= Dh) {
        float8 acc = (float8)(0.0f);
        for (int j = 0; j < n; j++) acc += w[j * ws] * vload8(0, m + j * ms + t0);
        vstore8(alpha * acc, 0, out + t0);
    } else {
        for (int t = t0; t < Dh; t++) {
            float s = 0.0f;
            for (int j = 0; j < n; j++) s += w[j * ws] * m[j * ms + t];
            out[t] = alpha * s;
        }
    }
}

// Item (jb, r) over (⌈N/8⌉, B·H·N): S(b,h,i,j) for j in [8·jb, min(N, 8·jb + 8)), as attn_scores_fwd.
__kernel void attn_scores_fwd_vec(__global float* S, int S_off, __global const float* qkv, int qkv_off,
                                  int B, int N, int H, int Dh, float scale) {
    int jb = get_global_id(0), r = get_global_id(1);
    int j = jb * 8;
    if (j >= N || r >= B * H * N) return;
    S += S_off; qkv += qkv_off;
    int D = H * Dh;
    int i = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    dots8(S + r * N + j, 1, qkv + ((b * N + i) * 3) * D + h * Dh, qkv + ((b * N + j) * 3 + 1) * D + h * Dh, 3 * D,
          min(8, N - j), Dh, scale);
}

// Item (tb, r) over (⌈Dh/8⌉, B·N·2·H), r = ((b·N + n)·2 + part)·H + h, as attn_scores_bwd.
__kernel void attn_scores_bwd_vec(__global float* dqkv, int dqkv_off, __global const float* dS, int dS_off,
                                  __global const float* qkv, int qkv_off, int B, int N, int H, int Dh, float scale) {
    int tb = get_global_id(0), r = get_global_id(1);
    if (tb * VW >= Dh || r >= B * N * 2 * H) return;
    dqkv += dqkv_off; dS += dS_off; qkv += qkv_off;
    int D = H * Dh;
    int h = r % H; r /= H;
    int part = r % 2; r /= 2;
    int n = r % N, b = r / N;
    __global const float* ds = dS + (b * H + h) * N * N;
    __global float* out = dqkv + ((b * N + n) * 3 + part) * D + h * Dh;
    if (part == 0) rows_times(out, ds + n * N, 1, qkv + (b * N * 3 + 1) * D + h * Dh, 3 * D, N, Dh, tb, scale);
    else rows_times(out, ds + n, N, qkv + (b * N * 3) * D + h * Dh, 3 * D, N, Dh, tb, scale);
}

// Item (tb, r) over (⌈Dh/8⌉, B·N·H), r = (b·N + i)·H + h, as attn_context_fwd.
__kernel void attn_context_fwd_vec(__global float* O, int O_off, __global const float* P, int P_off,
                                   __global const float* qkv, int qkv_off, int B, int N, int H, int Dh) {
    int tb = get_global_id(0), r = get_global_id(1);
    if (tb * VW >= Dh || r >= B * N * H) return;
    O += O_off; P += P_off; qkv += qkv_off;
    int D = H * Dh;
    int h = r % H, bi = r / H;
    int i = bi % N, b = bi / N;
    rows_times(O + r * Dh, P + ((b * H + h) * N + i) * N, 1, qkv + (b * N * 3 + 2) * D + h * Dh, 3 * D, N, Dh, tb, 1.0f);
}

// Item (jb, r) over (⌈N/8⌉, B·H·N): dP(b,h,i,j) for j in [8·jb, min(N, 8·jb + 8)), as attn_context_bwd_dp.
__kernel void attn_context_bwd_dp_vec(__global float* dP, int dP_off, __global const float* dO, int dO_off,
                                      __global const float* qkv, int qkv_off, int B, int N, int H, int Dh) {
    int jb = get_global_id(0), r = get_global_id(1);
    int j = jb * 8;
    if (j >= N || r >= B * H * N) return;
    dP += dP_off; dO += dO_off; qkv += qkv_off;
    int D = H * Dh;
    int i = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    dots8(dP + r * N + j, 1, dO + (b * N + i) * D + h * Dh, qkv + ((b * N + j) * 3 + 2) * D + h * Dh, 3 * D,
          min(8, N - j), Dh, 1.0f);
}

// Item (tb, r) over (⌈Dh/8⌉, B·N·H), r = (b·N + j)·H + h, as attn_context_bwd_dv.
__kernel void attn_context_bwd_dv_vec(__global float* dqkv, int dqkv_off, __global const float* dO, int dO_off,
                                      __global const float* P, int P_off, int B, int N, int H, int Dh) {
    int tb = get_global_id(0), r = get_global_id(1);
    if (tb * VW >= Dh || r >= B * N * H) return;
    dqkv += dqkv_off; dO += dO_off; P += P_off;
    int D = H * Dh;
    int h = r % H, bj = r / H;
    int j = bj % N, b = bj / N;
    rows_times(dqkv + ((b * N + j) * 3 + 2) * D + h * Dh, P + (b * H + h) * N * N + j, N, dO + b * N * D + h * Dh, D,
               N, Dh, tb, 1.0f);
}
