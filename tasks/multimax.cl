// multimax.cl — the MultiMax modulator σ and MultiMax = softmax(σ(·)) over rows, forward and backward.
//   σ(x) = x + t0·(r0−x)₊ + t1·(x−r1)₊ + t2·((r2−x)₊)² + t3·((x−r3)₊)², params(8) = [r0..r3, t0..t3].
//   multimax_fwd: P = softmax(σ(S)) per row; the max subtracted is the row max of σ(S), not of S.
//   multimax_bwd: u = P ⊙ (dP − ⟨P, dP⟩), dS = u ⊙ σ'(S), and dparams(8) from 8 sums over ALL elements.
//   modulate_fwd: Y = σ(X) element-wise (the classifier output).
//   modulate_bwd: dX = dY ⊙ σ'(X), and dparams(8) from the same 8 sums with u = dY.
//
// The 8 sums (raw, before the chain-rule factors of the ranges), in this order:
//   Σu·I0, Σu·I1, Σu·a2, Σu·a3, Σu·a0, Σu·a1, Σu·a2², Σu·a3²   (I strict: (v)₊' at 0 is 0)
// dparams = [t0·Σ0, −t1·Σ1, 2·t2·Σ2, −2·t3·Σ3, Σ4, Σ5, Σ6, Σ7]. They are reduced deterministically,
// in fp32, with no atomics, over a fixed tree:
//   pass 1: per row (multimax_bwd_rows*) or per CHUNK elements (modulate_bwd_chunks): 8 sums in
//           index order into a scratch R(count, 8);
//   pass 2: params_partial: per GROUP consecutive entries of R, summed in order, into Q(chunks, 8)
//           (skipped by the binder when count ≤ GROUP);
//   pass 3: params_finish: 8 items, each sums its column of Q in chunk order and applies the factor.
//
// Variants (Tuning.rowGroup): one work-item per row (CPU, no local memory), or one work-group of WG
// items per row with tree reductions in local memory (*_wg, GPU; also run on PoCL by the tests).
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints;
// padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

#ifndef WG
#define WG 64
#endif
#ifndef CHUNK
#define CHUNK 64
#endif
#ifndef GROUP
#define GROUP 64
#endif

typedef struct { float r0, r1, r2, r3, t0, t1, t2, t3; } mm_params;

mm_params load_params(__global const float* p) {
    mm_params q = {p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]};
    return q;
}

float sigma(float x, mm_params p) {
    float a0 = fmax(p.r0 - x, 0.0f);
    float a1 = fmax(x - p.r1, 0.0f);
    float a2 = fmax(p.r2 - x, 0.0f);
    float a3 = fmax(x - p.r3, 0.0f);
    return x + p.t0 * a0 + p.t1 * a1 + p.t2 * a2 * a2 + p.t3 * a3 * a3;
}

// dσ for upstream u at x, adding the 8 raw sums into acc[0..7]; returns u·σ'(x).
float sigma_back(float u, float x, mm_params p, float* acc) {
    float a0 = fmax(p.r0 - x, 0.0f);
    float a1 = fmax(x - p.r1, 0.0f);
    float a2 = fmax(p.r2 - x, 0.0f);
    float a3 = fmax(x - p.r3, 0.0f);
    float i0 = a0 > 0.0f ? u : 0.0f;
    float i1 = a1 > 0.0f ? u : 0.0f;
    float ua2 = u * a2, ua3 = u * a3;
    acc[0] += i0;
    acc[1] += i1;
    acc[2] += ua2;
    acc[3] += ua3;
    acc[4] += u * a0;
    acc[5] += u * a1;
    acc[6] += ua2 * a2;
    acc[7] += ua3 * a3;
    return u - p.t0 * i0 + p.t1 * i1 + 2.0f * u * (p.t3 * a3 - p.t2 * a2);
}

// ---- CPU variant: one work-item per row ---------------------------------------------------------

float8 sigma8(float8 x, mm_params p) {
    float8 a0 = fmax(p.r0 - x, 0.0f);
    float8 a1 = fmax(x - p.r1, 0.0f);
    float8 a2 = fmax(p.r2 - x, 0.0f);
    float8 a3 = fmax(x - p.r3, 0.0f);
    return x + p.t0 * a0 + p.t1 * a1 + p.t2 * a2 * a2 + p.t3 * a3 * a3;
}

#include "row_softmax.cl"

// One row per item; float8 over whole vectors, then the scalar tail (PoCL does not vectorise a
// kernel across items when it has loops of its own; σ and exp dominate).
__kernel void multimax_fwd(__global float* P, int P_off, __global const float* S, int S_off,
                           __global const float* params, int params_off, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    P += P_off + r * cols; S += S_off + r * cols;
    mm_params p = load_params(params + params_off);
    int w = cols / 8 * 8;
    float8 m8 = (float8)(-INFINITY);
    for (int j = 0; j < w; j += 8) {
        float8 s = sigma8(vload8(0, S + j), p);
        vstore8(s, 0, P + j);
        m8 = fmax(m8, s);
    }
    float m = max8(m8);
    for (int j = w; j < cols; j++) {
        float s = sigma(S[j], p);
        P[j] = s;
        m = fmax(m, s);
    }
    exp_normalize_row(P, cols, m);
}

// dS and R(rows, 8): the 8 raw sums of row r.
__kernel void multimax_bwd_rows(__global float* dS, int dS_off, __global float* R, int R_off,
                                __global const float* dP, int dP_off, __global const float* P, int P_off,
                                __global const float* S, int S_off, __global const float* params, int params_off,
                                int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    dS += dS_off + r * cols; dP += dP_off + r * cols; P += P_off + r * cols; S += S_off + r * cols;
    R += R_off + r * 8;
    mm_params p = load_params(params + params_off);
    float dot = 0.0f;
    for (int j = 0; j < cols; j++) dot += P[j] * dP[j];
    float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    for (int j = 0; j < cols; j++) dS[j] = sigma_back(P[j] * (dP[j] - dot), S[j], p, acc);
    for (int k = 0; k < 8; k++) R[k] = acc[k];
}

// ---- GPU variant: one work-group of WG items per row, local-memory trees --------------------------

#include "group_reduce.cl"

__kernel void multimax_fwd_wg(__global float* P, int P_off, __global const float* S, int S_off,
                              __global const float* params, int params_off, int rows, int cols) {
    __local float red[WG];
    int r = get_group_id(0), l = get_local_id(0);
    // No early return before barriers (PoCL mis-compiles it): a group past the last row (none,
    // with the binder's exact global size) runs its loops zero times.
    if (r >= rows) { r = 0; cols = 0; }
    P += P_off + r * cols; S += S_off + r * cols;
    mm_params p = load_params(params + params_off);
    float m = -INFINITY;
    for (int j = l; j < cols; j += WG) {
        float s = sigma(S[j], p);
        P[j] = s;
        m = fmax(m, s);
    }
    m = group_max(red, m);
    float sum = 0.0f;
    for (int j = l; j < cols; j += WG) {  // each item reads back only what it wrote
        float e = exp(P[j] - m);
        P[j] = e;
        sum += e;
    }
    float inv = 1.0f / group_sum(red, sum);
    for (int j = l; j < cols; j += WG) P[j] *= inv;
}

__kernel void multimax_bwd_rows_wg(__global float* dS, int dS_off, __global float* R, int R_off,
                                   __global const float* dP, int dP_off, __global const float* P, int P_off,
                                   __global const float* S, int S_off, __global const float* params, int params_off,
                                   int rows, int cols) {
    __local float red[WG];
    int r = get_group_id(0), l = get_local_id(0);
    bool valid = r < rows;
    if (!valid) { r = 0; cols = 0; }  // see above: no return before a barrier
    dS += dS_off + r * cols; dP += dP_off + r * cols; P += P_off + r * cols; S += S_off + r * cols;
    R += R_off + r * 8;
    mm_params p = load_params(params + params_off);
    float dot = 0.0f;
    for (int j = l; j < cols; j += WG) dot += P[j] * dP[j];
    dot = group_sum(red, dot);
    float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    for (int j = l; j < cols; j += WG) dS[j] = sigma_back(P[j] * (dP[j] - dot), S[j], p, acc);
    for (int k = 0; k < 8; k++) {
        float s = group_sum(red, acc[k]);
        if (l == 0 && valid) R[k] = s;
    }
}

// ---- the modulator alone ------------------------------------------------------------------------

__kernel void modulate_fwd(__global float* Y, int Y_off, __global const float* X, int X_off,
                           __global const float* params, int params_off, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    Y += Y_off; X += X_off;
    Y[i] = sigma(X[i], load_params(params + params_off));
}

// dX for elements [c·CHUNK, min(n, c·CHUNK + CHUNK)) and R(chunks, 8): their 8 raw sums.
__kernel void modulate_bwd_chunks(__global float* dX, int dX_off, __global float* R, int R_off,
                                  __global const float* dY, int dY_off, __global const float* X, int X_off,
                                  __global const float* params, int params_off, int n) {
    int c = get_global_id(0);
    if (c > 0 && c * CHUNK >= n) return;  // chunk 0 always writes its (possibly empty) sums
    dX += dX_off; dY += dY_off; X += X_off; R += R_off + c * 8;
    mm_params p = load_params(params + params_off);
    float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int end = min(n, c * CHUNK + CHUNK);
    for (int i = c * CHUNK; i < end; i++) dX[i] = sigma_back(dY[i], X[i], p, acc);
    for (int k = 0; k < 8; k++) R[k] = acc[k];
}

// ---- passes 2 and 3 of the parameter sums ---------------------------------------------------------

// Item (c, k) over (chunks, 8): Q(c, k) = Σ R(t, k) for t in [c·GROUP, min(count, c·GROUP + GROUP)), in order.
__kernel void params_partial(__global float* Q, int Q_off, __global const float* R, int R_off, int count) {
    int e = get_global_id(0);
    int c = e / 8, k = e % 8;
    if (c * GROUP >= count) return;
    Q += Q_off; R += R_off;
    int end = min(count, c * GROUP + GROUP);
    float s = 0.0f;
    for (int t = c * GROUP; t < end; t++) s += R[t * 8 + k];
    Q[e] = s;
}

// Item k < 8: dparams(k) = factor_k · Σ_c Q(c, k), in chunk order.
__kernel void params_finish(__global float* dparams, int dparams_off, __global const float* Q, int Q_off,
                            __global const float* params, int params_off, int chunks) {
    int k = get_global_id(0);
    if (k >= 8) return;
    dparams += dparams_off; Q += Q_off; params += params_off;
    float s = 0.0f;
    for (int c = 0; c < chunks; c++) s += Q[c * 8 + k];
    float f = 1.0f;
    if (k == 0) f = params[4];
    else if (k == 1) f = -params[5];
    else if (k == 2) f = 2.0f * params[6];
    else if (k == 3) f = -2.0f * params[7];
    dparams[k] = f * s;
}
