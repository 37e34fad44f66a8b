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

#include "row_softmax.cl"
#include "sigma.cl"

// ---- CPU variant: one work-item per row ---------------------------------------------------------

// One row per item; float8 over whole vectors, then the scalar tail (PoCL does not vectorise a
// kernel across items when it has loops of its own; σ and exp dominate).
__kernel void multimax_fwd(__global float* P, int P_off, __global const float* S, int S_off,
                           __global const float* params, int params_off, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    P += P_off + r * cols; S += S_off + r * cols;
    multimax_row(P, S, cols, load_params(params + params_off));
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
    float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    multimax_back_row(dS, dP, P, S, cols, load_params(params + params_off), acc);
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

// Passes 2 and 3 of the parameter sums: params_partial, params_finish (sigma.cl).
