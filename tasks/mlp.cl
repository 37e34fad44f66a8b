// mlp.cl — GELU, exact erf form, element-wise (the MLP's matmuls are in matmul.cl).
//   gelu_fwd: Y(n) = X·Φ(X),            Φ(x) = ½(1 + erf(x/√2))
//   gelu_bwd: dX(n) = dY·(Φ(X) + X·φ(X)), φ(x) = e^{−x²/2}/√(2π); overwrites dX.
//   bias_gelu_fwd: G(M,N) = GELU(F + b(N)): fc1's bias and GELU in one pass (= bias_add_fwd, gelu_fwd);
//                  F (fc1's product without bias) is not written: the backward adds b again.
//   gelu_bias_bwd: dF = dG·GELU'(F + b), and db(N) = Σ_m dF(m,N): GELU's backward and fc1's bias gradient
//                  in one pass (= gelu_bwd, bias_add_bwd), the column sums in linear.cl's two-pass order
//                  (ROWS rows per chunk in row order, then the chunks in order), so db agrees bit for bit.
// Φ comes from the same Abramowitz & Stegun 7.1.26 form as the Java device (|error of erf| ≤ 1.5e-7):
// q = ½·erfc(|x|/√2) = ½·t·poly(t)·e^{−x²/2} with t = 1/(1 + p·|x|/√2), Φ = 1 − q for x ≥ 0, else q.
// Why not OpenCL's erf(): PoCL calls it as a scalar library function per element, and one GELU
// over the MLP's activations took ~25 ms against ~1 ms here; the exp() is shared with φ.
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints;
// padded global sizes with guards; FP_CONTRACT OFF (the fma() calls are explicit, as in Java).
#pragma OPENCL FP_CONTRACT OFF

#ifndef ROWS
#define ROWS 256
#endif

#define INV_SQRT2 0.70710678118654752f
#define INV_SQRT_2PI 0.39894228040143268f
#define AS_P 0.3275911f
#define AS_A1 0.254829592f
#define AS_A2 (-0.284496736f)
#define AS_A3 1.421413741f
#define AS_A4 (-1.453152027f)
#define AS_A5 1.061405429f

// Φ(x) given e = e^{−x²/2}.
static inline float normal_cdf(float x, float e) {
    float t = 1.0f / fma(fabs(x) * INV_SQRT2, AS_P, 1.0f);
    float poly = fma(fma(fma(fma(t, AS_A5, AS_A4), t, AS_A3), t, AS_A2), t, AS_A1) * t;
    float q = poly * e * 0.5f;
    return x >= 0.0f ? 1.0f - q : q;
}

__kernel void gelu_fwd(__global float* Y, int Y_off, __global const float* X, int X_off, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    Y += Y_off; X += X_off;
    float x = X[i];
    Y[i] = x * normal_cdf(x, exp(x * x * -0.5f));
}

__kernel void gelu_bwd(__global float* dX, int dX_off, __global const float* dY, int dY_off,
                       __global const float* X, int X_off, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    dX += dX_off; dY += dY_off; X += X_off;
    float x = X[i];
    float e = exp(x * x * -0.5f);
    dX[i] = fma(x, e * INV_SQRT_2PI, normal_cdf(x, e)) * dY[i];
}

// ---- CPU variant: 16 elements per item ------------------------------------------------------------
// PoCL vectorises this file's one-element kernels across work-items, but not their exp(), which
// stays a scalar library call per element; spelling the vectors out gets the float16 exp. Item i
// takes elements [16·i, 16·i + 16), the last item a scalar tail. Same formulas as above.

static inline float16 normal_cdf16(float16 x, float16 e) {
    float16 t = 1.0f / fma(fabs(x) * INV_SQRT2, (float16)(AS_P), (float16)(1.0f));
    float16 poly = fma(fma(fma(fma(t, (float16)(AS_A5), (float16)(AS_A4)), t, (float16)(AS_A3)), t, (float16)(AS_A2)),
                       t, (float16)(AS_A1)) * t;
    float16 q = poly * e * 0.5f;
    return select(q, 1.0f - q, x >= 0.0f);
}

__kernel void gelu_fwd_vec(__global float* Y, int Y_off, __global const float* X, int X_off, int n) {
    int i = get_global_id(0) * 16;
    if (i >= n) return;
    Y += Y_off + i; X += X_off + i;
    if (i + 16 <= n) {
        float16 x = vload16(0, X);
        vstore16(x * normal_cdf16(x, exp(x * x * -0.5f)), 0, Y);
    } else {
        for (int k = 0; k < n - i; k++) {
            float x = X[k];
            Y[k] = x * normal_cdf(x, exp(x * x * -0.5f));
        }
    }
}

__kernel void gelu_bwd_vec(__global float* dX, int dX_off, __global const float* dY, int dY_off,
                           __global const float* X, int X_off, int n) {
    int i = get_global_id(0) * 16;
    if (i >= n) return;
    dX += dX_off + i; dY += dY_off + i; X += X_off + i;
    if (i + 16 <= n) {
        float16 x = vload16(0, X);
        float16 e = exp(x * x * -0.5f);
        vstore16(fma(x, e * INV_SQRT_2PI, normal_cdf16(x, e)) * vload16(0, dY), 0, dX);
    } else {
        for (int k = 0; k < n - i; k++) {
            float x = X[k];
            float e = exp(x * x * -0.5f);
            dX[k] = fma(x, e * INV_SQRT_2PI, normal_cdf(x, e)) * dY[k];
        }
    }
}

// ---- fc1's bias and GELU fused ---------------------------------------------------------------------

// GELU'(x)·g.
static inline float gelu_back(float g, float x) {
    float e = exp(x * x * -0.5f);
    return fma(x, e * INV_SQRT_2PI, normal_cdf(x, e)) * g;
}

// Item (j, r) over (N, M).
__kernel void bias_gelu_fwd(__global float* G, int G_off, __global const float* F, int F_off, __global const float* b,
                            int b_off, int M, int N) {
    int j = get_global_id(0), r = get_global_id(1);
    if (j >= N || r >= M) return;
    G += G_off; F += F_off; b += b_off;
    float x = F[r * N + j] + b[j];
    G[r * N + j] = x * normal_cdf(x, exp(x * x * -0.5f));
}

// Item (j, c) over (N, chunks): dF over rows [c·ROWS, min(M, c·ROWS + ROWS)) of column j, and their
// sum into P(c, j) (P may be db itself with one chunk).
__kernel void gelu_bias_bwd_partial(__global float* dF, int dF_off, __global float* P, int P_off, __global const float* dG,
                                    int dG_off, __global const float* F, int F_off, __global const float* b, int b_off,
                                    int M, int N) {
    int j = get_global_id(0), c = get_global_id(1);
    if (j >= N || (c > 0 && c * ROWS >= M)) return;  // chunk 0 always writes (M = 0: zeros)
    dF += dF_off; P += P_off; dG += dG_off; F += F_off;
    float bj = b[b_off + j];
    int end = min(M, c * ROWS + ROWS);
    float s = 0.0f;
    for (int r = c * ROWS; r < end; r++) {
        float d = gelu_back(dG[r * N + j], F[r * N + j] + bj);
        dF[r * N + j] = d;
        s += d;
    }
    P[c * N + j] = s;
}

// CPU, N a multiple of 16: item i takes elements [16·i, 16·i + 16) of F and G, which lie in one
// row (columns j = 16·i mod N onwards), float16 (the vector exp), as gelu_fwd_vec.
__kernel void bias_gelu_fwd_vec(__global float* G, int G_off, __global const float* F, int F_off, __global const float* b,
                                int b_off, int M, int N) {
    int i = get_global_id(0) * 16;
    if (i >= M * N) return;
    G += G_off + i; F += F_off + i; b += b_off + i % N;
    float16 x = vload16(0, F) + vload16(0, b);
    vstore16(x * normal_cdf16(x, exp(x * x * -0.5f)), 0, G);
}

// CPU: item (q, c) over (ceil(N/16), chunks): columns [16q, 16q + 16) of the chunk's rows, float16.
__kernel void gelu_bias_bwd_partial_vec(__global float* dF, int dF_off, __global float* P, int P_off,
                                        __global const float* dG, int dG_off, __global const float* F, int F_off,
                                        __global const float* b, int b_off, int M, int N) {
    int j = get_global_id(0) * 16, c = get_global_id(1);
    if (j >= N || (c > 0 && c * ROWS >= M)) return;
    dF += dF_off + j; P += P_off + c * N + j; dG += dG_off + j; F += F_off + j; b += b_off + j;
    int end = min(M, c * ROWS + ROWS);
    if (j + 16 <= N) {
        float16 bj = vload16(0, b);
        float16 s = (float16)(0.0f);
        for (int r = c * ROWS; r < end; r++) {
            float16 x = vload16(0, F + r * N) + bj;
            float16 e = exp(x * x * -0.5f);
            float16 d = fma(x, e * INV_SQRT_2PI, normal_cdf16(x, e)) * vload16(0, dG + r * N);
            vstore16(d, 0, dF + r * N);
            s += d;
        }
        vstore16(s, 0, P);
    } else {
        for (int k = 0; k < N - j; k++) {
            float s = 0.0f;
            for (int r = c * ROWS; r < end; r++) {
                float d = gelu_back(dG[r * N + k], F[r * N + k] + b[k]);
                dF[r * N + k] = d;
                s += d;
            }
            P[k] = s;
        }
    }
}

// Pass 2 of the bias sums: chunk_column_sum (chunk_sum.cl).
#include "chunk_sum.cl"
