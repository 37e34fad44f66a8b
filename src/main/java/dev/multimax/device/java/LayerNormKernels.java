package dev.multimax.device.java;

/** LayerNorm over the last axis: forward saves mean and 1/std per row for the backward. */
final class LayerNormKernels {
    private LayerNormKernels() {
    }

    static void fwd(Parallel par, float[] y, int yOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                    float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, int m, int c, float eps) {
        par.forChunks(m, 32, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int row = xOff + r * c;
                double s = 0;
                for (int j = 0; j < c; j++) s += x[row + j];
                float mu = (float) (s / c);
                double ss = 0;
                for (int j = 0; j < c; j++) {
                    float d = x[row + j] - mu;
                    ss += d * d;
                }
                float rs = (float) (1.0 / Math.sqrt(ss / c + eps));
                mean[meanOff + r] = mu;
                rstd[rstdOff + r] = rs;
                int out = yOff + r * c;
                for (int j = 0; j < c; j++) y[out + j] = (x[row + j] - mu) * rs * w[wOff + j] + b[bOff + j];
            }
        });
    }

    /**
     * dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·w; dw = Σ dy·x̂, db = Σ dy over rows
     * (fp32 partials per fixed row chunk, summed in chunk order).
     */
    static void bwd(Parallel par, float[] dx, int dxOff, float[] dw, int dwOff, float[] db, int dbOff,
                    float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                    float[] w, int wOff, int m, int c) {
        int chunk = LinearKernels.ROW_CHUNK;
        int chunks = (m + chunk - 1) / chunk;
        float[] partW = new float[chunks * c];
        float[] partB = new float[chunks * c];
        par.forEach(chunks, k -> {
            int p = k * c;
            for (int r = k * chunk, end = Math.min(m, r + chunk); r < end; r++) {
                int row = r * c;
                float mu = mean[meanOff + r];
                float rs = rstd[rstdOff + r];
                float sumG = 0;
                float sumGx = 0;
                for (int j = 0; j < c; j++) {
                    float g = dy[dyOff + row + j];
                    float xh = (x[xOff + row + j] - mu) * rs;
                    float gh = g * w[wOff + j];
                    sumG += gh;
                    sumGx += gh * xh;
                    partW[p + j] += g * xh;
                    partB[p + j] += g;
                }
                float meanG = sumG / c;
                float meanGx = sumGx / c;
                for (int j = 0; j < c; j++) {
                    float xh = (x[xOff + row + j] - mu) * rs;
                    float gh = dy[dyOff + row + j] * w[wOff + j];
                    dx[dxOff + row + j] = rs * (gh - meanG - xh * meanGx);
                }
            }
        });
        for (int j = 0; j < c; j++) {
            float sw = 0;
            float sb = 0;
            for (int k = 0; k < chunks; k++) {
                sw += partW[k * c + j];
                sb += partB[k * c + j];
            }
            dw[dwOff + j] = sw;
            db[dbOff + j] = sb;
        }
    }
}
