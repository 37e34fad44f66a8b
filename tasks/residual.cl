// residual.cl — residual connections: Z(n) = X(n) + Y(n), used forward and backward.
//
// Conventions of every tasks/*.cl file (docs/DESIGN.md, "OpenCL device"):
// - Each buffer argument is a pair (global T* X, int X_off): X_off is the element offset of the
//   slice the task passes; a kernel starts with X += X_off. Buffers come in the op's catalog order
//   (outputs, inputs, weights; Op.java), then the op's ints, then its floats, then anything extra.
// - Global sizes are padded up to the work-group size (PoCL has no non-uniform groups): every
//   kernel guards with its real extent and returns early for padding items.
// - FP_CONTRACT OFF: no silent fusing of a*b+c, so results match the Java device's float ops.
// - OpenCL C 1.2, builds on its own; tunables are #ifndef/#define with defaults.
#pragma OPENCL FP_CONTRACT OFF

// Z may alias X or Y (in-place residual): no restrict.
__kernel void residual_add(__global float* Z, int Z_off, __global const float* X, int X_off,
                           __global const float* Y, int Y_off, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    Z += Z_off; X += X_off; Y += Y_off;
    Z[i] = X[i] + Y[i];
}
