package dev.multimax.device.ref;

/** ref:0's patch embedding pieces and global average pooling. */
public final class RefPatch {
    private RefPatch() {
    }

    /**
     * patches(B·N, C·P·P) from images(B,C,H,W): patch t = (py, px) in row-major order of the
     * (H/P)×(W/P) grid; within a patch, channel, then row, then column.
     */
    public static void patchify(double[] patches, double[] images, int b, int c, int hgt, int wid, int p) {
        int gw = wid / p;
        int n = (hgt / p) * gw;
        int cols = c * p * p;
        for (int bi = 0; bi < b; bi++) {
            for (int t = 0; t < n; t++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int ky = 0; ky < p; ky++) {
                        for (int kx = 0; kx < p; kx++) {
                            int y = (t / gw) * p + ky;
                            int x = (t % gw) * p + kx;
                            patches[(bi * n + t) * cols + (ch * p + ky) * p + kx] = images[((bi * c + ch) * hgt + y) * wid + x];
                        }
                    }
                }
            }
        }
    }

    /** X(B,N,D) += pos(N,D). */
    public static void posEmbedFwd(double[] x, double[] pos, int b, int n, int d) {
        for (int bi = 0; bi < b; bi++) {
            for (int i = 0; i < n * d; i++) x[bi * n * d + i] += pos[i];
        }
    }

    /** dpos(N,D) = Σ_b dX(b,N,D). */
    public static void posEmbedBwd(double[] dpos, double[] dx, int b, int n, int d) {
        for (int i = 0; i < n * d; i++) {
            double sum = 0;
            for (int bi = 0; bi < b; bi++) sum += dx[bi * n * d + i];
            dpos[i] = sum;
        }
    }

    /** Y(B,D) = (1/N)·Σ_n X(B,n,D). */
    public static void meanPoolFwd(double[] y, double[] x, int b, int n, int d) {
        for (int bi = 0; bi < b; bi++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int t = 0; t < n; t++) sum += x[(bi * n + t) * d + j];
                y[bi * d + j] = sum / n;
            }
        }
    }

    /** dX(B,n,D) = dY(B,D)/N for every token n. */
    public static void meanPoolBwd(double[] dx, double[] dy, int b, int n, int d) {
        for (int bi = 0; bi < b; bi++) {
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < d; j++) dx[(bi * n + t) * d + j] = dy[bi * d + j] / n;
            }
        }
    }
}
