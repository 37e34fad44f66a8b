package dev.multimax.device.java;

import java.util.Arrays;

/** Patch extraction, positional embedding and token mean-pooling (the ends of the ViT). */
final class PatchKernels {
    private PatchKernels() {
    }

    /**
     * patches(B·N, C·P·P) from images(B,C,H,W): row b·N + (py·W/P + px), column c·P·P + ky·P + kx,
     * the order of a Conv2d weight (D, C, P, P) flattened, so the patch embedding is one matmul.
     */
    static void patchify(Parallel par, float[] patches, int pOff, float[] img, int iOff, int b, int c, int hgt,
                         int wid, int p) {
        int gw = wid / p;
        int n = (hgt / p) * gw;
        int cols = c * p * p;
        par.forEach(b, bi -> {
            for (int t = 0; t < n; t++) {
                int py = t / gw;
                int px = t % gw;
                int row = pOff + (bi * n + t) * cols;
                for (int ch = 0; ch < c; ch++) {
                    for (int ky = 0; ky < p; ky++) {
                        int src = iOff + ((bi * c + ch) * hgt + py * p + ky) * wid + px * p;
                        System.arraycopy(img, src, patches, row + (ch * p + ky) * p, p);
                    }
                }
            }
        });
    }

    /** x(B,N,D) += pos(N,D). */
    static void posEmbedFwd(Parallel par, float[] x, int xOff, float[] pos, int posOff, int b, int n, int d) {
        int nd = n * d;
        par.forEach(b, bi -> {
            int base = xOff + bi * nd;
            for (int i = 0; i < nd; i++) x[base + i] += pos[posOff + i];
        });
    }

    /** dpos(N,D) = Σ_b dx(b,N,D), summed in batch order. */
    static void posEmbedBwd(Parallel par, float[] dpos, int dpOff, float[] dx, int dxOff, int b, int n, int d) {
        par.forEach(n, t -> {
            int out = dpOff + t * d;
            Arrays.fill(dpos, out, out + d, 0f);
            for (int bi = 0; bi < b; bi++) {
                int src = dxOff + (bi * n + t) * d;
                for (int k = 0; k < d; k++) dpos[out + k] += dx[src + k];
            }
        });
    }

    /** y(B,D) = mean over N of x(B,N,D). */
    static void meanPoolFwd(Parallel par, float[] y, int yOff, float[] x, int xOff, int b, int n, int d) {
        float inv = 1f / n;
        par.forEach(b, bi -> {
            int out = yOff + bi * d;
            Arrays.fill(y, out, out + d, 0f);
            for (int t = 0; t < n; t++) {
                int src = xOff + (bi * n + t) * d;
                for (int k = 0; k < d; k++) y[out + k] += x[src + k];
            }
            for (int k = 0; k < d; k++) y[out + k] *= inv;
        });
    }

    /** dx(B,N,D) = dy(B,D)/N. */
    static void meanPoolBwd(Parallel par, float[] dx, int dxOff, float[] dy, int dyOff, int b, int n, int d) {
        float inv = 1f / n;
        par.forEach(b, bi -> {
            for (int t = 0; t < n; t++) {
                int out = dxOff + (bi * n + t) * d;
                for (int k = 0; k < d; k++) dx[out + k] = dy[dyOff + bi * d + k] * inv;
            }
        });
    }
}
