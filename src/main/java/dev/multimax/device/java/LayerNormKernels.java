package dev.multimax.device.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNorm over the last axis: forward saves mean and 1/std per row for the backward. The
 * forward's row statistics use eight independent fp64 accumulators (latency-bound otherwise);
 * the backward runs on whole vectors of a row with a scalar tail.
 */
final class LayerNormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Concrete vector class; receivers are checked against it so C2 needs no type profile (see Matmul). */
    private static final Class<?> VC = S.vectorType();

    private LayerNormKernels() {
    }

    private static AssertionError notExact() {
        return new AssertionError("vector is not a " + VC.getName());
    }

    static void layernormFwd(Parallel par, float[] y, int yOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                    float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, int m, int c, float eps) {
        par.forChunks(m, 32, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int row = xOff + r * c;
                float mu = sum(x, row, c, 0f) / c;
                float var = sumOfSquares(x, row, c, mu) / c;
                float rs = (float) (1.0 / Math.sqrt(var + eps));
                mean[meanOff + r] = mu;
                rstd[rstdOff + r] = rs;
                int out = yOff + r * c;
                int j = 0;
                for (int end = S.loopBound(c); j < end; j += VL) {
                    FloatVector xv = FloatVector.fromArray(S, x, row + j);
                    FloatVector wv = FloatVector.fromArray(S, w, wOff + j);
                    FloatVector bv = FloatVector.fromArray(S, b, bOff + j);
                    if (xv.getClass() != VC || wv.getClass() != VC || bv.getClass() != VC) throw notExact();
                    xv.sub(mu).mul(rs).mul(wv).add(bv).intoArray(y, out + j);
                }
                for (; j < c; j++) y[out + j] = (x[row + j] - mu) * rs * w[wOff + j] + b[bOff + j];
            }
        });
    }

    /**
     * dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·w; dw = Σ dy·x̂, db = Σ dy over rows
     * (fp32 partials per fixed row chunk, summed in chunk order).
     */
    static void layernormBwd(Parallel par, float[] dx, int dxOff, float[] dw, int dwOff, float[] db, int dbOff,
                    float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
                    float[] w, int wOff, int m, int c) {
        backward(par, dx, dxOff, dw, dwOff, db, dbOff, dy, dyOff, x, xOff, mean, meanOff, rstd, rstdOff, w, wOff, m, c, false);
    }

    /** As {@link #layernormBwd}, with dX += the gradient ({@code residual_add}'s addition) instead of dX = it. */
    static void layernormBwdAdd(Parallel par, float[] dx, int dxOff, float[] dw, int dwOff, float[] db, int dbOff,
                                float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff, float[] rstd,
                                int rstdOff, float[] w, int wOff, int m, int c) {
        backward(par, dx, dxOff, dw, dwOff, db, dbOff, dy, dyOff, x, xOff, mean, meanOff, rstd, rstdOff, w, wOff, m, c, true);
    }

    private static void backward(Parallel par, float[] dx, int dxOff, float[] dw, int dwOff, float[] db, int dbOff,
                                 float[] dy, int dyOff, float[] x, int xOff, float[] mean, int meanOff, float[] rstd,
                                 int rstdOff, float[] w, int wOff, int m, int c, boolean add) {
        int chunk = LinearKernels.ROW_CHUNK;
        int chunks = (m + chunk - 1) / chunk;
        float[] partW = new float[chunks * c];
        float[] partB = new float[chunks * c];
        par.forEach(chunks, k -> {
            float[] lanes = new float[2 * VL];
            int p = k * c;
            int cv = S.loopBound(c);
            for (int r = k * chunk, end = Math.min(m, r + chunk); r < end; r++) {
                int row = r * c;
                float mu = mean[meanOff + r];
                float rs = rstd[rstdOff + r];
                FloatVector accG = FloatVector.zero(S);
                FloatVector accGx = FloatVector.zero(S);
                int j = 0;
                for (; j < cv; j += VL) {
                    FloatVector g = FloatVector.fromArray(S, dy, dyOff + row + j);
                    FloatVector xv = FloatVector.fromArray(S, x, xOff + row + j);
                    FloatVector wv = FloatVector.fromArray(S, w, wOff + j);
                    FloatVector pw = FloatVector.fromArray(S, partW, p + j);
                    FloatVector pb = FloatVector.fromArray(S, partB, p + j);
                    if (g.getClass() != VC || xv.getClass() != VC || wv.getClass() != VC || pw.getClass() != VC
                            || pb.getClass() != VC || accG.getClass() != VC || accGx.getClass() != VC) {
                        throw notExact();
                    }
                    FloatVector xh = xv.sub(mu).mul(rs);
                    FloatVector gh = g.mul(wv);
                    accG = accG.add(gh);
                    accGx = gh.fma(xh, accGx);
                    g.fma(xh, pw).intoArray(partW, p + j);
                    pb.add(g).intoArray(partB, p + j);
                }
                if (accG.getClass() != VC || accGx.getClass() != VC) throw notExact();
                // Lanes summed in a fixed scalar order (reduceLanes' order may differ between
                // the intrinsic and the Java fallback, which would break bitwise reproducibility).
                accG.intoArray(lanes, 0);
                accGx.intoArray(lanes, VL);
                float sumG = 0;
                float sumGx = 0;
                for (int l = 0; l < VL; l++) {
                    sumG += lanes[l];
                    sumGx += lanes[VL + l];
                }
                for (; j < c; j++) {
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
                j = 0;
                for (; j < cv; j += VL) {
                    FloatVector g = FloatVector.fromArray(S, dy, dyOff + row + j);
                    FloatVector xv = FloatVector.fromArray(S, x, xOff + row + j);
                    FloatVector wv = FloatVector.fromArray(S, w, wOff + j);
                    if (g.getClass() != VC || xv.getClass() != VC || wv.getClass() != VC) throw notExact();
                    FloatVector xh = xv.sub(mu).mul(rs);
                    FloatVector d = g.mul(wv).sub(meanG).sub(xh.mul(meanGx)).mul(rs);
                    if (add) {
                        FloatVector before = FloatVector.fromArray(S, dx, dxOff + row + j);
                        if (before.getClass() != VC || d.getClass() != VC) throw notExact();
                        d = before.add(d);
                    }
                    d.intoArray(dx, dxOff + row + j);
                }
                for (; j < c; j++) {
                    float xh = (x[xOff + row + j] - mu) * rs;
                    float gh = dy[dyOff + row + j] * w[wOff + j];
                    float d = rs * (gh - meanG - xh * meanGx);
                    dx[dxOff + row + j] = add ? dx[dxOff + row + j] + d : d;
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

    /** Σ (a[off + j] − shift) for j < n, eight fp64 accumulators (statistics feed every gradient). */
    private static float sum(float[] a, int off, int n, float shift) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            s0 += a[off + j] - shift;
            s1 += a[off + j + 1] - shift;
            s2 += a[off + j + 2] - shift;
            s3 += a[off + j + 3] - shift;
            s4 += a[off + j + 4] - shift;
            s5 += a[off + j + 5] - shift;
            s6 += a[off + j + 6] - shift;
            s7 += a[off + j + 7] - shift;
        }
        for (; j < n; j++) s0 += a[off + j] - shift;
        return (float) (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }

    /** Σ (a[off + j] − mu)², eight accumulators (two-pass variance: no cancellation). */
    private static float sumOfSquares(float[] a, int off, int n, float mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            float d0 = a[off + j] - mu, d1 = a[off + j + 1] - mu, d2 = a[off + j + 2] - mu, d3 = a[off + j + 3] - mu;
            float d4 = a[off + j + 4] - mu, d5 = a[off + j + 5] - mu, d6 = a[off + j + 6] - mu, d7 = a[off + j + 7] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        for (; j < n; j++) {
            float d = a[off + j] - mu;
            s0 += d * d;
        }
        return (float) (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }

    /** X += R ({@code residual_add}'s addition), then {@link #layernormFwd}. */
    static void residualLayernormFwd(Parallel par, float[] x, int xOff, float[] y, int yOff, float[] mean, int meanOff,
                                     float[] rstd, int rstdOff, float[] r, int rOff, float[] w, int wOff, float[] b, int bOff,
                                     int m, int c, float eps) {
        par.forChunks(m * c, 1 << 16, (i0, i1) -> {
            for (int i = i0; i < i1; i++) x[xOff + i] = x[xOff + i] + r[rOff + i];
        });
        layernormFwd(par, y, yOff, mean, meanOff, rstd, rstdOff, x, xOff, w, wOff, b, bOff, m, c, eps);
    }

}
