// pool.cl — global average pooling over tokens (the ViT's head input).
//   mean_pool_fwd: Y(B,D) = (Σ_t X(b,t,D)) · (1/N), summed in token order. Overwrites.
//   mean_pool_bwd: dX(B,N,D) = dY(B,D) · (1/N). Overwrites.
// Same float operations and order as the Java device (PatchKernels.meanPool*).
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints;
// padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

// One item per element of Y.
__kernel void mean_pool_fwd(__global float* Y, int Y_off, __global const float* X, int X_off, int B, int N, int D) {
    int i = get_global_id(0);
    if (i >= B * D) return;
    Y += Y_off; X += X_off;
    int b = i / D, k = i % D;
    float s = 0.0f;
    for (int t = 0; t < N; t++) s += X[(b * N + t) * D + k];
    Y[i] = s * (1.0f / N);
}

// One item per element of dX.
__kernel void mean_pool_bwd(__global float* dX, int dX_off, __global const float* dY, int dY_off, int B, int N, int D) {
    int i = get_global_id(0);
    if (i >= B * N * D) return;
    dX += dX_off; dY += dY_off;
    int b = i / (N * D), k = i % D;
    dX[i] = dY[b * D + k] * (1.0f / N);
}
