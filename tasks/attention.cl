// attention.cl — the four products of attention, reading Q, K, V from qkv(B,N,3,H,Dh) (timm's
// layout; D = H·Dh, element (b, n, part, h, k) at ((b·N + n)·3 + part)·D + h·Dh + k).
//   attn_scores_fwd:  S(B,H,N,N) = scale · Q·Kᵀ per (b, h).
//   attn_scores_bwd:  dQ = scale · dS·K, dK = scale · dSᵀ·Q, into the q and k parts of dqkv.
//   attn_context_fwd: O(B,N,D) = P·V per (b, h), head h in columns [h·Dh, h·Dh + Dh).
//   attn_context_bwd: dP = dO·Vᵀ and dV = Pᵀ·dO into the v part of dqkv.
// Every output element is computed by one work-item and written once (no atomics); results do
// not depend on the work-group size or the number of items. Two variants (Tuning.attnVector):
//   GPU (attnVector 1): the kernels below, one item per element, scalar loops in index order;
//       neighbouring items read neighbouring addresses (coalesced), the shared operand is uniform.
//       2-D index spaces: dimension 0 runs along the output's contiguous axis (j < N for S and dP;
//       t < Dh for O, dQ, dK, dV), dimension 1 over rows. The context backward is two launches
//       (attn_context_bwd_dp, attn_context_bwd_dv).
//   CPU (attnVector 8 or 16): the *_tile kernels at the end, whole (b, h) heads per item,
//       register-tiled with float8/float16 along the output's contiguous axis (see there).
// Scaled products are scale·Σ (the scale applied once at the end, as java:0's SmallGemm does).
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints,
// then floats; padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

#include "row_softmax.cl"
#include "sigma.cl"

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

// ---- CPU variant: register-tiled per-head products ---------------------------------------------------
// (gemm_head, transpose_head and zero_pad: head_gemm.cl)
#include "head_gemm.cl"

// Each kernel: item g of G (the global size) takes heads bh = g, g + G, g + 2G, … < B·H; S and dP use
// the item's slot of T (scratch, G·Dh·Np floats, Np = N rounded up to 2·AVW) for Kᵀ or Vᵀ, reused
// for each of its heads (so it stays in cache).

// S(b,h) = scale · Q·Kᵀ.
__kernel void attn_scores_fwd_tile(__global float* S, int S_off, __global const float* qkv, int qkv_off,
                                   int B, int N, int H, int Dh, float scale, __global float* T, int T_off) {
    S += S_off; qkv += qkv_off; T += T_off;
    int D = H * Dh, np = (N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW);
    __global float* kt = T + get_global_id(0) * Dh * np;
    zero_pad(kt, np, N, Dh);
    for (int bh = get_global_id(0); bh < B * H; bh += get_global_size(0)) {
        __global const float* q = qkv + (bh / H) * N * 3 * D + (bh % H) * Dh;
        transpose_head(kt, np, q + D, 3 * D, N, Dh);
        gemm_head(S + bh * N * N, N, q, 3 * D, 1, kt, np, N, Dh, N, np, scale);
    }
}

// dQ = scale · dS·K and dK = scale · dSᵀ·Q, into the q and k parts of dqkv.
__kernel void attn_scores_bwd_tile(__global float* dqkv, int dqkv_off, __global const float* dS, int dS_off,
                                   __global const float* qkv, int qkv_off, int B, int N, int H, int Dh, float scale) {
    dqkv += dqkv_off; dS += dS_off; qkv += qkv_off;
    int D = H * Dh;
    for (int bh = get_global_id(0); bh < B * H; bh += get_global_size(0)) {
        int head = (bh / H) * N * 3 * D + (bh % H) * Dh;
        __global const float* ds = dS + bh * N * N;
        gemm_head(dqkv + head, 3 * D, ds, N, 1, qkv + head + D, 3 * D, N, N, Dh, Dh, scale);
        gemm_head(dqkv + head + D, 3 * D, ds, 1, N, qkv + head, 3 * D, N, N, Dh, Dh, scale);
    }
}

// O(b, ·, h, ·) = P·V.
__kernel void attn_context_fwd_tile(__global float* O, int O_off, __global const float* P, int P_off,
                                    __global const float* qkv, int qkv_off, int B, int N, int H, int Dh) {
    O += O_off; P += P_off; qkv += qkv_off;
    int D = H * Dh;
    for (int bh = get_global_id(0); bh < B * H; bh += get_global_size(0)) {
        int b = bh / H, h = bh % H;
        gemm_head(O + b * N * D + h * Dh, D, P + bh * N * N, N, 1, qkv + b * N * 3 * D + 2 * D + h * Dh, 3 * D, N, N,
                  Dh, Dh, 1.0f);
    }
}

// dP = dO·Vᵀ (Vᵀ through T), and dV = Pᵀ·dO into the v part of dqkv.
__kernel void attn_context_bwd_tile(__global float* dP, int dP_off, __global float* dqkv, int dqkv_off,
                                    __global const float* dO, int dO_off, __global const float* P, int P_off,
                                    __global const float* qkv, int qkv_off, int B, int N, int H, int Dh,
                                    __global float* T, int T_off) {
    dP += dP_off; dqkv += dqkv_off; dO += dO_off; P += P_off; qkv += qkv_off; T += T_off;
    int D = H * Dh, np = (N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW);
    __global float* vt = T + get_global_id(0) * Dh * np;
    zero_pad(vt, np, N, Dh);
    for (int bh = get_global_id(0); bh < B * H; bh += get_global_size(0)) {
        int b = bh / H, h = bh % H;
        int head = b * N * 3 * D + 2 * D + h * Dh;
        __global const float* g = dO + b * N * D + h * Dh;
        transpose_head(vt, np, qkv + head, 3 * D, N, Dh);
        gemm_head(dP + bh * N * N, N, g, D, 1, vt, np, N, Dh, N, np, 1.0f);
        gemm_head(dqkv + head, 3 * D, P + bh * N * N, 1, N, g, D, N, N, Dh, Dh, 1.0f);
    }
}

// ---- Fused attention: scores, the row activation and the context in one launch ---------------------
//   attn_multimax_fwd: S = scale·Q·Kᵀ, P = softmax(σ(S)) per row, O = P·V; S and P are kept for the backward.
//   attn_softmax_fwd:  the same with P = softmax(S) (S is not kept: the backward needs only P).
//   attn_multimax_bwd: dV = Pᵀ·dO, dP = dO·Vᵀ, dS = σ'(S) ⊙ P ⊙ (dP − ⟨P, dP⟩) per row with σ's 8
//                      raw sums, dQ = scale·dS·K, dK = scale·dSᵀ·Q; all of dqkv written.
//   attn_softmax_bwd:  the same with dS = P ⊙ (dP − ⟨P, dP⟩).
// The products, the rows and their order are those of the unfused kernels (attention.cl, multimax.cl,
// softmax.cl), so on CPUs the fused forward computes what the unfused one does, and the backward
// differs only in the order of σ's parameter sums (per head, not per row). What changes is that a
// head's S, P, dP and dS stay in cache between products, and a layer takes 4 launches instead of 8
// (GPU kernels: 5 instead of 9).
// σ's parameter sums: pass 1 here (per head on CPUs, per row on GPUs, in order, into R), passes 2-3
// are sigma.cl's params_partial / params_finish, as for multimax_bwd.
//
// CPU (*_tile): one item per (b, h) head at a time (heads g, g + G, …), the products register-tiled
// by gemm_head; the item's scratch slot holds Kᵀ or Vᵀ (Dh × Np) and, backward, the head's dP/dS (N × N).
// GPU: one item per query row (b, h, i): scores, σ and softmax over the row, then its output row;
// the backward's column products (dK, dV) are a second launch, one item per key row. No local-memory
// tiles and no online softmax over key blocks yet: the whole row of S and P is written to global memory.

// Scratch floats per item of the CPU kernels: Kᵀ/Vᵀ (Dh × Np), then N × N (the backward's dP/dS).
int fused_slot(int N, int Dh) {
    return Dh * ((N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW)) + N * N;
}

// Head bh: S (when modulate; else the scores go straight to P), P and O.
void attn_fwd_head(__global float* O, __global float* S, __global float* P, __global const float* qkv,
                   __global float* kt, int bh, int N, int H, int Dh, float scale, bool modulate, mm_params prm) {
    int D = H * Dh, np = (N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW);
    int b = bh / H, h = bh % H;
    __global const float* q = qkv + b * N * 3 * D + h * Dh;
    __global float* s = (modulate ? S : P) + bh * N * N;
    __global float* p = P + bh * N * N;
    transpose_head(kt, np, q + D, 3 * D, N, Dh);
    gemm_head(s, N, q, 3 * D, 1, kt, np, N, Dh, N, np, scale);
    for (int i = 0; i < N; i++) {
        if (modulate) multimax_row(p + i * N, s + i * N, N, prm);
        else normalize_row(p + i * N, N);
    }
    gemm_head(O + b * N * D + h * Dh, D, p, N, 1, q + 2 * D, 3 * D, N, N, Dh, Dh, 1.0f);
}

__kernel void attn_multimax_fwd_tile(__global float* O, int O_off, __global float* S, int S_off, __global float* P, int P_off,
                                     __global const float* qkv, int qkv_off, __global const float* params, int params_off,
                                     int B, int N, int H, int Dh, float scale, __global float* T, int T_off) {
    O += O_off; S += S_off; P += P_off; qkv += qkv_off; T += T_off;
    int np = (N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW);
    __global float* kt = T + get_global_id(0) * fused_slot(N, Dh);
    zero_pad(kt, np, N, Dh);
    mm_params prm = load_params(params + params_off);
    for (int bh = get_global_id(0); bh < B * H; bh += get_global_size(0))
        attn_fwd_head(O, S, P, qkv, kt, bh, N, H, Dh, scale, true, prm);
}

__kernel void attn_softmax_fwd_tile(__global float* O, int O_off, __global float* P, int P_off, __global const float* qkv,
                                    int qkv_off, int B, int N, int H, int Dh, float scale, __global float* T, int T_off) {
    O += O_off; P += P_off; qkv += qkv_off; T += T_off;
    int np = (N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW);
    __global float* kt = T + get_global_id(0) * fused_slot(N, Dh);
    zero_pad(kt, np, N, Dh);
    mm_params none = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    for (int bh = get_global_id(0); bh < B * H; bh += get_global_size(0))
        attn_fwd_head(O, P, P, qkv, kt, bh, N, H, Dh, scale, false, none);
}

// Head bh: all of dqkv's head; σ's raw sums (when modulate) added into acc. vt and dp: the item's slot.
void attn_bwd_head(__global float* dqkv, __global const float* dO, __global const float* P, __global const float* S,
                   __global const float* qkv, __global float* vt, __global float* dp, int bh, int N, int H, int Dh,
                   float scale, bool modulate, mm_params prm, float* acc) {
    int D = H * Dh, np = (N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW);
    int b = bh / H, h = bh % H;
    int head = b * N * 3 * D + h * Dh;
    __global const float* g = dO + b * N * D + h * Dh;
    __global const float* p = P + bh * N * N;
    transpose_head(vt, np, qkv + head + 2 * D, 3 * D, N, Dh);
    gemm_head(dp, N, g, D, 1, vt, np, N, Dh, N, np, 1.0f);                     // dP = dO·Vᵀ
    gemm_head(dqkv + head + 2 * D, 3 * D, p, 1, N, g, D, N, N, Dh, Dh, 1.0f);  // dV = Pᵀ·dO
    for (int i = 0; i < N; i++) {                                              // dS over dP
        if (modulate) multimax_back_row(dp + i * N, dp + i * N, p + i * N, S + bh * N * N + i * N, N, prm, acc);
        else softmax_back_row(dp + i * N, dp + i * N, p + i * N, N);
    }
    gemm_head(dqkv + head, 3 * D, dp, N, 1, qkv + head + D, 3 * D, N, N, Dh, Dh, scale);  // dQ = scale·dS·K
    gemm_head(dqkv + head + D, 3 * D, dp, 1, N, qkv + head, 3 * D, N, N, Dh, Dh, scale);  // dK = scale·dSᵀ·Q
}

// R(B·H, 8): σ's raw sums per head.
__kernel void attn_multimax_bwd_tile(__global float* dqkv, int dqkv_off, __global const float* dO, int dO_off,
                                     __global const float* P, int P_off, __global const float* S, int S_off,
                                     __global const float* qkv, int qkv_off, __global const float* params, int params_off,
                                     int B, int N, int H, int Dh, float scale, __global float* T, int T_off,
                                     __global float* R, int R_off) {
    dqkv += dqkv_off; dO += dO_off; P += P_off; S += S_off; qkv += qkv_off; T += T_off; R += R_off;
    int np = (N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW);
    __global float* vt = T + get_global_id(0) * fused_slot(N, Dh);
    zero_pad(vt, np, N, Dh);
    mm_params prm = load_params(params + params_off);
    for (int bh = get_global_id(0); bh < B * H; bh += get_global_size(0)) {
        float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
        attn_bwd_head(dqkv, dO, P, S, qkv, vt, vt + Dh * np, bh, N, H, Dh, scale, true, prm, acc);
        for (int k = 0; k < 8; k++) R[bh * 8 + k] = acc[k];
    }
}

__kernel void attn_softmax_bwd_tile(__global float* dqkv, int dqkv_off, __global const float* dO, int dO_off,
                                    __global const float* P, int P_off, __global const float* qkv, int qkv_off,
                                    int B, int N, int H, int Dh, float scale, __global float* T, int T_off) {
    dqkv += dqkv_off; dO += dO_off; P += P_off; qkv += qkv_off; T += T_off;
    int np = (N + 2 * AVW - 1) / (2 * AVW) * (2 * AVW);
    __global float* vt = T + get_global_id(0) * fused_slot(N, Dh);
    zero_pad(vt, np, N, Dh);
    mm_params none = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};  // unused: no σ
    for (int bh = get_global_id(0); bh < B * H; bh += get_global_size(0))
        attn_bwd_head(dqkv, dO, P, P, qkv, vt, vt + Dh * np, bh, N, H, Dh, scale, false, none, acc);
}

// ---- GPU: one item per query row r = (b·H + h)·N + i ------------------------------------------------

// Row r of S (when modulate), P and O.
void attn_fwd_row(__global float* O, __global float* S, __global float* P, __global const float* qkv, int r,
                  int N, int H, int Dh, float scale, bool modulate, mm_params prm) {
    int D = H * Dh;
    int i = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    __global const float* q = qkv + ((b * N + i) * 3) * D + h * Dh;
    __global const float* k = qkv + (b * N * 3 + 1) * D + h * Dh;  // K(b, 0, h, ·); rows 3·D apart
    __global float* p = P + r * N;
    float m = -INFINITY;
    for (int j = 0; j < N; j++) {
        float x = 0.0f;
        for (int t = 0; t < Dh; t++) x += q[t] * k[j * 3 * D + t];
        x = scale * x;
        if (modulate) {
            S[r * N + j] = x;
            x = sigma(x, prm);
        }
        p[j] = x;
        m = fmax(m, x);
    }
    float sum = 0.0f;
    for (int j = 0; j < N; j++) {
        float e = exp(p[j] - m);
        p[j] = e;
        sum += e;
    }
    float inv = 1.0f / sum;
    for (int j = 0; j < N; j++) p[j] *= inv;
    __global const float* v = k + D;  // V(b, 0, h, ·)
    for (int t = 0; t < Dh; t++) {
        float o = 0.0f;
        for (int j = 0; j < N; j++) o += p[j] * v[j * 3 * D + t];
        O[(b * N + i) * D + h * Dh + t] = o;
    }
}

__kernel void attn_multimax_fwd(__global float* O, int O_off, __global float* S, int S_off, __global float* P, int P_off,
                                __global const float* qkv, int qkv_off, __global const float* params, int params_off,
                                int B, int N, int H, int Dh, float scale) {
    int r = get_global_id(0);
    if (r >= B * H * N) return;
    attn_fwd_row(O + O_off, S + S_off, P + P_off, qkv + qkv_off, r, N, H, Dh, scale, true, load_params(params + params_off));
}

__kernel void attn_softmax_fwd(__global float* O, int O_off, __global float* P, int P_off, __global const float* qkv,
                               int qkv_off, int B, int N, int H, int Dh, float scale) {
    int r = get_global_id(0);
    if (r >= B * H * N) return;
    mm_params none = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    attn_fwd_row(O + O_off, P + P_off, P + P_off, qkv + qkv_off, r, N, H, Dh, scale, false, none);
}

// Row r: dP into DS's row, then dS over it (σ's raw sums into acc when modulate), then dQ of query i.
void attn_bwd_row(__global float* dqkv, __global float* DS, __global const float* dO, __global const float* P,
                  __global const float* S, __global const float* qkv, int r, int N, int H, int Dh, float scale,
                  bool modulate, mm_params prm, float* acc) {
    int D = H * Dh;
    int i = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    __global const float* g = dO + (b * N + i) * D + h * Dh;
    __global const float* k = qkv + (b * N * 3 + 1) * D + h * Dh;  // K(b, 0, h, ·); rows 3·D apart
    __global const float* v = k + D;
    __global float* ds = DS + r * N;
    for (int j = 0; j < N; j++) {
        float x = 0.0f;
        for (int t = 0; t < Dh; t++) x += g[t] * v[j * 3 * D + t];
        ds[j] = x;
    }
    if (modulate) multimax_back_row(ds, ds, P + r * N, S + r * N, N, prm, acc);
    else softmax_back_row(ds, ds, P + r * N, N);
    __global float* dq = dqkv + ((b * N + i) * 3) * D + h * Dh;
    for (int t = 0; t < Dh; t++) {
        float x = 0.0f;
        for (int j = 0; j < N; j++) x += ds[j] * k[j * 3 * D + t];
        dq[t] = scale * x;
    }
}

// DS(B·H·N, N): scratch for dS; R(B·H·N, 8): σ's raw sums per row.
__kernel void attn_multimax_bwd_rows(__global float* dqkv, int dqkv_off, __global const float* dO, int dO_off,
                                     __global const float* P, int P_off, __global const float* S, int S_off,
                                     __global const float* qkv, int qkv_off, __global const float* params, int params_off,
                                     int B, int N, int H, int Dh, float scale, __global float* DS, int DS_off,
                                     __global float* R, int R_off) {
    int r = get_global_id(0);
    if (r >= B * H * N) return;
    float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    attn_bwd_row(dqkv + dqkv_off, DS + DS_off, dO + dO_off, P + P_off, S + S_off, qkv + qkv_off, r, N, H, Dh, scale, true,
                 load_params(params + params_off), acc);
    for (int k = 0; k < 8; k++) R[R_off + r * 8 + k] = acc[k];
}

__kernel void attn_softmax_bwd_rows(__global float* dqkv, int dqkv_off, __global const float* dO, int dO_off,
                                    __global const float* P, int P_off, __global const float* qkv, int qkv_off,
                                    int B, int N, int H, int Dh, float scale, __global float* DS, int DS_off) {
    int r = get_global_id(0);
    if (r >= B * H * N) return;
    mm_params none = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};  // unused: no σ
    attn_bwd_row(dqkv + dqkv_off, DS + DS_off, dO + dO_off, P + P_off, P + P_off, qkv + qkv_off, r, N, H, Dh, scale, false,
                 none, acc);
}

// Item over key rows r = (b·H + h)·N + j: dK(b,j,h,·) = scale·Σ_i dS(b,h,i,j)·Q(b,i,h,·) and
// dV(b,j,h,·) = Σ_i P(b,h,i,j)·dO(b,i,h,·), after attn_*_bwd_rows wrote DS.
__kernel void attn_fused_bwd_kv(__global float* dqkv, int dqkv_off, __global const float* DS, int DS_off,
                                __global const float* dO, int dO_off, __global const float* P, int P_off,
                                __global const float* qkv, int qkv_off, int B, int N, int H, int Dh, float scale) {
    int r = get_global_id(0);
    if (r >= B * H * N) return;
    dqkv += dqkv_off; DS += DS_off; dO += dO_off; P += P_off; qkv += qkv_off;
    int D = H * Dh;
    int j = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    __global const float* ds = DS + bh * N * N + j;  // dS(b, h, 0, j); rows N apart
    __global const float* p = P + bh * N * N + j;
    __global const float* q = qkv + (b * N * 3) * D + h * Dh;  // Q(b, 0, h, ·); rows 3·D apart
    __global const float* g = dO + b * N * D + h * Dh;          // dO(b, 0, h, ·); rows D apart
    __global float* dk = dqkv + ((b * N + j) * 3 + 1) * D + h * Dh;
    for (int t = 0; t < Dh; t++) {
        float sk = 0.0f, sv = 0.0f;
        for (int i = 0; i < N; i++) {
            sk += ds[i * N] * q[i * 3 * D + t];
            sv += p[i * N] * g[i * D + t];
        }
        dk[t] = scale * sk;
        dk[D + t] = sv;
    }
}
