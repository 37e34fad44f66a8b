// mlp.cl — GELU, exact erf form, element-wise (the MLP's matmuls are in matmul.cl).
//   gelu_fwd: Y(n) = X·Φ(X),            Φ(x) = ½(1 + erf(x/√2))
//   gelu_bwd: dX(n) = dY·(Φ(X) + X·φ(X)), φ(x) = e^{−x²/2}/√(2π); overwrites dX.
// Uses OpenCL's erf() (≤ 16 ulp in the full profile); the Java device uses an A&S approximation
// (|error| ≤ 1.5e-7), so the two devices differ by about that, not bitwise.
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints;
// padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

#define INV_SQRT2 0.70710678118654752f
#define INV_SQRT_2PI 0.39894228040143268f

__kernel void gelu_fwd(__global float* Y, int Y_off, __global const float* X, int X_off, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    Y += Y_off; X += X_off;
    float x = X[i];
    Y[i] = 0.5f * x * (1.0f + erf(x * INV_SQRT2));
}

__kernel void gelu_bwd(__global float* dX, int dX_off, __global const float* dY, int dY_off,
                       __global const float* X, int X_off, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    dX += dX_off; dY += dY_off; X += X_off;
    float x = X[i];
    float cdf = 0.5f * (1.0f + erf(x * INV_SQRT2));
    float pdf = INV_SQRT_2PI * exp(-0.5f * x * x);
    dX[i] = dY[i] * (cdf + x * pdf);
}
