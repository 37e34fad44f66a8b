// attention.cl — the four products of attention, reading Q, K, V from qkv(B,N,3,H,Dh) (timm's
// layout; D = H·Dh, element (b, n, part, h, k) at ((b·N + n)·3 + part)·D + h·Dh + k).
//   attn_scores_fwd:  S(B,H,N,N) = scale · Q·Kᵀ per (b, h).
//   attn_scores_bwd:  dQ = scale · dS·K, dK = scale · dSᵀ·Q, into the q and k parts of dqkv.
//   attn_context_fwd: O(B,N,D) = P·V per (b, h), head h in columns [h·Dh, h·Dh + Dh).
//   attn_context_bwd: dP = dO·Vᵀ (attn_context_bwd_dp) and dV = Pᵀ·dO into the v part of dqkv
//                     (attn_context_bwd_dv): two launches.
// One work-item per output element, each summing its N or Dh products in index order, so every
// element is written exactly once (no atomics) and the result does not depend on the group size.
// Scaled products are scale·Σ (the scale applied once at the end, as java:0's SmallGemm does).
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints,
// then floats; padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

// Item i over (B,H,N,N): S(b,h,i,j) = scale · Σ_k Q(b,i,h,k)·K(b,j,h,k).
__kernel void attn_scores_fwd(__global float* S, int S_off, __global const float* qkv, int qkv_off,
                              int B, int N, int H, int Dh, float scale) {
    int e = get_global_id(0);
    if (e >= B * H * N * N) return;
    S += S_off; qkv += qkv_off;
    int D = H * Dh;
    int j = e % N, r = e / N;
    int i = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    __global const float* q = qkv + ((b * N + i) * 3) * D + h * Dh;
    __global const float* k = qkv + ((b * N + j) * 3 + 1) * D + h * Dh;
    float s = 0.0f;
    for (int t = 0; t < Dh; t++) s += q[t] * k[t];
    S[e] = scale * s;
}

// Item over (B,N,2,H,Dh), the q and k parts of dqkv:
//   part 0: dQ(b,n,h,t) = scale · Σ_j dS(b,h,n,j)·K(b,j,h,t)
//   part 1: dK(b,n,h,t) = scale · Σ_i dS(b,h,i,n)·Q(b,i,h,t)
// The v part is left alone (attn_context_bwd writes it).
__kernel void attn_scores_bwd(__global float* dqkv, int dqkv_off, __global const float* dS, int dS_off,
                              __global const float* qkv, int qkv_off, int B, int N, int H, int Dh, float scale) {
    int e = get_global_id(0);
    int D = H * Dh;
    if (e >= B * N * 2 * D) return;
    dqkv += dqkv_off; dS += dS_off; qkv += qkv_off;
    int t = e % Dh, r = e / Dh;
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

// Item over (B,N,H,Dh) = O's layout: O(b,i,h,t) = Σ_j P(b,h,i,j)·V(b,j,h,t).
__kernel void attn_context_fwd(__global float* O, int O_off, __global const float* P, int P_off,
                               __global const float* qkv, int qkv_off, int B, int N, int H, int Dh) {
    int e = get_global_id(0);
    int D = H * Dh;
    if (e >= B * N * D) return;
    O += O_off; P += P_off; qkv += qkv_off;
    int t = e % Dh, r = e / Dh;
    int h = r % H; r /= H;
    int i = r % N, b = r / N;
    __global const float* p = P + ((b * H + h) * N + i) * N;
    __global const float* v = qkv + (b * N * 3 + 2) * D + h * Dh + t;      // V(b, 0, h, t)
    float s = 0.0f;
    for (int j = 0; j < N; j++) s += p[j] * v[j * 3 * D];
    O[e] = s;
}

// Item over (B,H,N,N): dP(b,h,i,j) = Σ_t dO(b,i,h,t)·V(b,j,h,t).
__kernel void attn_context_bwd_dp(__global float* dP, int dP_off, __global const float* dO, int dO_off,
                                  __global const float* qkv, int qkv_off, int B, int N, int H, int Dh) {
    int e = get_global_id(0);
    if (e >= B * H * N * N) return;
    dP += dP_off; dO += dO_off; qkv += qkv_off;
    int D = H * Dh;
    int j = e % N, r = e / N;
    int i = r % N, bh = r / N;
    int b = bh / H, h = bh % H;
    __global const float* g = dO + (b * N + i) * D + h * Dh;
    __global const float* v = qkv + ((b * N + j) * 3 + 2) * D + h * Dh;
    float s = 0.0f;
    for (int t = 0; t < Dh; t++) s += g[t] * v[t];
    dP[e] = s;
}

// Item over (B,N,H,Dh): dV(b,j,h,t) = Σ_i P(b,h,i,j)·dO(b,i,h,t), into the v part of dqkv.
__kernel void attn_context_bwd_dv(__global float* dqkv, int dqkv_off, __global const float* dO, int dO_off,
                                  __global const float* P, int P_off, int B, int N, int H, int Dh) {
    int e = get_global_id(0);
    int D = H * Dh;
    if (e >= B * N * D) return;
    dqkv += dqkv_off; dO += dO_off; P += P_off;
    int t = e % Dh, r = e / Dh;
    int h = r % H; r /= H;
    int j = r % N, b = r / N;
    __global const float* p = P + (b * H + h) * N * N + j;                 // P(b, h, 0, j); rows N apart
    __global const float* g = dO + b * N * D + h * Dh + t;                 // dO(b, 0, h, t); rows D apart
    float s = 0.0f;
    for (int i = 0; i < N; i++) s += p[i * N] * g[i * D];
    dqkv[((b * N + j) * 3 + 2) * D + h * Dh + t] = s;
}
