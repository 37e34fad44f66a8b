// mlp.cl — GELU, exact erf form, element-wise (the MLP's matmuls are in matmul.cl).
//   gelu_fwd: Y(n) = X·Φ(X),            Φ(x) = ½(1 + erf(x/√2))
//   gelu_bwd: dX(n) = dY·(Φ(X) + X·φ(X)), φ(x) = e^{−x²/2}/√(2π); overwrites dX.
// Φ comes from the same Abramowitz & Stegun 7.1.26 form as the Java device (|error of erf| ≤ 1.5e-7):
// q = ½·erfc(|x|/√2) = ½·t·poly(t)·e^{−x²/2} with t = 1/(1 + p·|x|/√2), Φ = 1 − q for x ≥ 0, else q.
// Why not OpenCL's erf(): PoCL calls it as a scalar library function per element, and one GELU
// over the MLP's activations took ~25 ms against ~1 ms here; the exp() is shared with φ.
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints;
// padded global sizes with guards; FP_CONTRACT OFF (the fma() calls are explicit, as in Java).
#pragma OPENCL FP_CONTRACT OFF

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
