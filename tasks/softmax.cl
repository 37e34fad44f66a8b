// softmax.cl — row softmax over the last axis of (rows, cols), forward and backward.
//   softmax_fwd: P = exp(S − max S) / Σ exp(S − max S) per row (the reciprocal of the sum times each).
//   softmax_bwd: dS = P ⊙ (dP − ⟨P, dP⟩) per row.
// Two variants, chosen by the binder from Tuning.rowGroup:
//   *_fwd / *_bwd (rowGroup 0, CPU): one work-item per row, no local memory; the forward's loops
//       run on float8 (PoCL does not vectorise a kernel across items when it has loops of its own).
//   *_wg (rowGroup = WG > 0, GPU): one work-group of WG items per row; item l takes columns
//       l, l + WG, …; max and sums by a tree in local memory (fixed shape: deterministic for a WG).
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints;
// padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

#ifndef WG
#define WG 64
#endif

#include "row_softmax.cl"

__kernel void softmax_fwd(__global float* P, int P_off, __global const float* S, int S_off, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    P += P_off + r * cols; S += S_off + r * cols;
    for (int j = 0; j < cols; j++) P[j] = S[j];
    normalize_row(P, cols);
}

__kernel void softmax_bwd(__global float* dS, int dS_off, __global const float* dP, int dP_off,
                          __global const float* P, int P_off, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    dS += dS_off + r * cols; dP += dP_off + r * cols; P += P_off + r * cols;
    softmax_back_row(dS, dP, P, cols);
}

// ---- GPU variant: one work-group per row ------------------------------------------------------

#include "group_reduce.cl"

__kernel void softmax_fwd_wg(__global float* P, int P_off, __global const float* S, int S_off, int rows, int cols) {
    __local float red[WG];
    int r = get_group_id(0), l = get_local_id(0);
    // No early return before barriers (PoCL mis-compiles it): a group past the last row (none,
    // with the binder's exact global size) runs its loops zero times.
    if (r >= rows) { r = 0; cols = 0; }
    P += P_off + r * cols; S += S_off + r * cols;
    float m = -INFINITY;
    for (int j = l; j < cols; j += WG) m = fmax(m, S[j]);
    m = group_max(red, m);
    float sum = 0.0f;
    for (int j = l; j < cols; j += WG) {
        float e = exp(S[j] - m);
        P[j] = e;
        sum += e;
    }
    float inv = 1.0f / group_sum(red, sum);
    for (int j = l; j < cols; j += WG) P[j] *= inv;  // each item rescales what it wrote
}

__kernel void softmax_bwd_wg(__global float* dS, int dS_off, __global const float* dP, int dP_off,
                             __global const float* P, int P_off, int rows, int cols) {
    __local float red[WG];
    int r = get_group_id(0), l = get_local_id(0);
    if (r >= rows) { r = 0; cols = 0; }  // see above: no return before a barrier
    dS += dS_off + r * cols; dP += dP_off + r * cols; P += P_off + r * cols;
    float dot = 0.0f;
    for (int j = l; j < cols; j += WG) dot += P[j] * dP[j];
    dot = group_sum(red, dot);
    for (int j = l; j < cols; j += WG) dS[j] = P[j] * (dP[j] - dot);
}

// ---- softmax at a temperature: softmax_t_* take the float invTemperature after the ints --------
//   softmax_t_fwd: P = softmax(invT · S); softmax_t_bwd: dS = invT · P ⊙ (dP − ⟨P, dP⟩).

__kernel void softmax_t_fwd(__global float* P, int P_off, __global const float* S, int S_off, int rows, int cols,
                            float invT) {
    int r = get_global_id(0);
    if (r >= rows) return;
    P += P_off + r * cols; S += S_off + r * cols;
    for (int j = 0; j < cols; j++) P[j] = S[j] * invT;
    normalize_row(P, cols);
}

__kernel void softmax_t_bwd(__global float* dS, int dS_off, __global const float* dP, int dP_off,
                            __global const float* P, int P_off, int rows, int cols, float invT) {
    int r = get_global_id(0);
    if (r >= rows) return;
    dS += dS_off + r * cols; dP += dP_off + r * cols; P += P_off + r * cols;
    float dot = 0.0f;
    for (int j = 0; j < cols; j++) dot += P[j] * dP[j];
    for (int j = 0; j < cols; j++) dS[j] = P[j] * (dP[j] - dot) * invT;
}

__kernel void softmax_t_fwd_wg(__global float* P, int P_off, __global const float* S, int S_off, int rows, int cols,
                               float invT) {
    __local float red[WG];
    int r = get_group_id(0), l = get_local_id(0);
    if (r >= rows) { r = 0; cols = 0; }  // no return before a barrier
    P += P_off + r * cols; S += S_off + r * cols;
    float m = -INFINITY;
    for (int j = l; j < cols; j += WG) m = fmax(m, S[j] * invT);
    m = group_max(red, m);
    float sum = 0.0f;
    for (int j = l; j < cols; j += WG) {
        float e = exp(S[j] * invT - m);
        P[j] = e;
        sum += e;
    }
    float inv = 1.0f / group_sum(red, sum);
    for (int j = l; j < cols; j += WG) P[j] *= inv;
}

__kernel void softmax_t_bwd_wg(__global float* dS, int dS_off, __global const float* dP, int dP_off,
                               __global const float* P, int P_off, int rows, int cols, float invT) {
    __local float red[WG];
    int r = get_group_id(0), l = get_local_id(0);
    if (r >= rows) { r = 0; cols = 0; }
    dS += dS_off + r * cols; dP += dP_off + r * cols; P += P_off + r * cols;
    float dot = 0.0f;
    for (int j = l; j < cols; j += WG) dot += P[j] * dP[j];
    dot = group_sum(red, dot);
    for (int j = l; j < cols; j += WG) dS[j] = P[j] * (dP[j] - dot) * invT;
}
