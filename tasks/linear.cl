// linear.cl — bias of a Linear layer: forward Y(M,N) += b(N); backward db(N) = Σ_m dY(m,N).
// (The Linear's matmuls are in matmul.cl.)
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints;
// padded global sizes with guards; FP_CONTRACT OFF.
//
// The backward is a deterministic two-pass column sum, no atomics:
//   pass 1, bias_add_bwd_partial: grid (N, chunks); item (j, c) sums rows [c·R, min(M, c·R+R)) of
//           column j in row order into P(c, j) (R = ROWS, the rows per chunk, a build option);
//   pass 2, chunk_column_sum: item j sums P(0..chunks-1, j) in chunk order into db(j).
// With one chunk the host runs pass 1 straight into db. The order of additions is the Java
// device's (LinearKernels.biasAddBwd with ROW_CHUNK = ROWS), so results agree bit for bit.
#pragma OPENCL FP_CONTRACT OFF

#ifndef ROWS
#define ROWS 256
#endif

// Y(M,N) += b(N): grid (N, M), one item per element of Y; columns in dimension 0 so that
// neighbouring items share a row (no i % N per element: PoCL's integer division is not vectorised).
__kernel void bias_add_fwd(__global float* Y, int Y_off, __global const float* b, int b_off, int M, int N) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j >= N || r >= M) return;
    Y += Y_off; b += b_off;
    Y[r * N + j] += b[j];
}

// P(chunks, N): P(c, j) = Σ_{r in chunk c} dY(r, j). P may be db itself when chunks == 1.
__kernel void bias_add_bwd_partial(__global float* P, int P_off, __global const float* dY, int dY_off, int M, int N) {
    int j = get_global_id(0);
    int c = get_global_id(1);
    if (j >= N || (c > 0 && c * ROWS >= M)) return;  // chunk 0 always writes (M = 0: zeros)
    P += P_off; dY += dY_off;
    int end = min(M, c * ROWS + ROWS);
    float s = 0.0f;
    for (int r = c * ROWS; r < end; r++) s += dY[r * N + j];
    P[c * N + j] = s;
}

// Pass 2: chunk_column_sum (chunk_sum.cl).
#include "chunk_sum.cl"
