// patch.cl — the ViT's input end: patch extraction and the positional embedding.
//   patchify:      patches(B·N, C·P·P) from images(B,C,H,W), N = (H/P)·(W/P); row b·N + (py·W/P + px),
//                  column c·P·P + ky·P + kx (a Conv2d weight (D,C,P,P) flattened): the patch
//                  embedding is then one matmul. Overwrites.
//   pos_embed_fwd: X(B,N,D) += pos(N,D).
//   pos_embed_bwd: dpos(N,D) = Σ_b dX(b,N,D), summed in batch order (deterministic). Overwrites.
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints;
// padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

// One item per element of patches.
__kernel void patchify(__global float* patches, int patches_off, __global const float* images, int images_off,
                       int B, int C, int H, int W, int P) {
    int gw = W / P;
    int n = (H / P) * gw;
    int cols = C * P * P;
    int i = get_global_id(0);
    if (i >= B * n * cols) return;
    patches += patches_off; images += images_off;
    int row = i / cols, col = i % cols;
    int b = row / n, t = row % n;
    int ch = col / (P * P), ky = (col / P) % P, kx = col % P;
    int y = (t / gw) * P + ky, x = (t % gw) * P + kx;
    patches[i] = images[((b * C + ch) * H + y) * W + x];
}

// One item per element of X.
__kernel void pos_embed_fwd(__global float* X, int X_off, __global const float* pos, int pos_off, int B, int N, int D) {
    int i = get_global_id(0);
    if (i >= B * N * D) return;
    X += X_off; pos += pos_off;
    X[i] += pos[i % (N * D)];
}

// One item per element of dpos.
__kernel void pos_embed_bwd(__global float* dpos, int dpos_off, __global const float* dX, int dX_off, int B, int N, int D) {
    int nd = N * D;
    int i = get_global_id(0);
    if (i >= nd) return;
    dpos += dpos_off; dX += dX_off;
    float s = 0.0f;
    for (int b = 0; b < B; b++) s += dX[b * nd + i];
    dpos[i] = s;
}
