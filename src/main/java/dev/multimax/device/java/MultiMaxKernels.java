package dev.multimax.device.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row softmax, MultiMax = softmax(σ(x)) and the modulator σ alone, forward and backward.
 *
 * <p>σ(x) = x + t0·(r0−x)₊ + t1·(x−r1)₊ + t2·((r2−x)₊)² + t3·((x−r3)₊)², parameters
 * p = [r0, r1, r2, r3, t0, t1, t2, t3]. The row max is taken of σ(x), not x (σ can reorder
 * entries). The 8 parameter gradients are sums over every element: fp64 partials per fixed chunk
 * of rows, summed in chunk order, so the result does not depend on the thread count.
 */
final class MultiMaxKernels {
    /** Rows per parameter-gradient partial. */
    private static final int ROW_CHUNK = 64;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Concrete vector class; receivers are checked against it so C2 needs no type profile (see Matmul). */
    private static final Class<?> VC = S.vectorType();
    /** Elements per fp32 run of the parameter sums: each lane then sums 64 elements, as the scalar runs did. */
    private static final int RUN = 64 * VL;

    private MultiMaxKernels() {
    }

    static float sigma(float x, float[] p, int o) {
        float a0 = Math.max(p[o] - x, 0f);
        float a1 = Math.max(x - p[o + 1], 0f);
        float a2 = Math.max(p[o + 2] - x, 0f);
        float a3 = Math.max(x - p[o + 3], 0f);
        return x + p[o + 4] * a0 + p[o + 5] * a1 + p[o + 6] * a2 * a2 + p[o + 7] * a3 * a3;
    }

    /** P = softmax(S) per row of length cols. */
    static void softmaxFwd(Parallel par, float[] pr, int pOff, float[] s, int sOff, int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int in = sOff + r * cols;
                int out = pOff + r * cols;
                for (int j = 0; j < cols; j++) pr[out + j] = s[in + j];
            }
            normalizeRows(pr, pOff, r0, r1, cols);
        });
    }

    /** dS = P ⊙ (dP − ⟨P, dP⟩) per row. */
    static void softmaxBwd(Parallel par, float[] ds, int dsOff, float[] dp, int dpOff, float[] pr, int pOff,
                           int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int row = r * cols;
                float dot = 0;
                for (int j = 0; j < cols; j++) dot += pr[pOff + row + j] * dp[dpOff + row + j];
                for (int j = 0; j < cols; j++) {
                    ds[dsOff + row + j] = pr[pOff + row + j] * (dp[dpOff + row + j] - dot);
                }
            }
        });
    }

    /** P = softmax(invT · S) per row of length cols (softmax at temperature 1/invT). */
    static void softmaxTFwd(Parallel par, float[] pr, int pOff, float[] s, int sOff, int rows, int cols, float invT) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int in = sOff + r * cols;
                int out = pOff + r * cols;
                for (int j = 0; j < cols; j++) pr[out + j] = s[in + j] * invT;
            }
            normalizeRows(pr, pOff, r0, r1, cols);
        });
    }

    /** dS = invT · P ⊙ (dP − ⟨P, dP⟩) per row. */
    static void softmaxTBwd(Parallel par, float[] ds, int dsOff, float[] dp, int dpOff, float[] pr, int pOff,
                            int rows, int cols, float invT) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int row = r * cols;
                float dot = 0;
                for (int j = 0; j < cols; j++) dot += pr[pOff + row + j] * dp[dpOff + row + j];
                for (int j = 0; j < cols; j++) {
                    ds[dsOff + row + j] = pr[pOff + row + j] * (dp[dpOff + row + j] - dot) * invT;
                }
            }
        });
    }

    /** P = softmax(σ(S)) per row. */
    static void multimaxFwd(Parallel par, float[] pr, int pOff, float[] s, int sOff, float[] prm, int prmOff,
                            int rows, int cols) {
        par.forChunks(rows, ROW_CHUNK, (r0, r1) -> {
            sigmaRange(pr, pOff + r0 * cols, s, sOff + r0 * cols, (r1 - r0) * cols, prm, prmOff);
            normalizeRows(pr, pOff, r0, r1, cols);
        });
    }

    /**
     * In place, rows [r0, r1) of width cols: v = exp(v − max v) / Σ exp(v − max v). The exponentials
     * of the whole (contiguous) block go through one vectorised pass.
     */
    private static void normalizeRows(float[] v, int off, int r0, int r1, int cols) {
        float[] lanes = new float[VL];
        int whole = S.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int row = off + r * cols;
            // The max is exact whatever the order, so a vector of running maxima changes nothing.
            FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < whole; j += VL) {
                FloatVector x = FloatVector.fromArray(S, v, row + j);
                if (x.getClass() != VC || mv.getClass() != VC) throw notExact();
                mv = mv.max(x);
            }
            if (mv.getClass() != VC) throw notExact();
            mv.intoArray(lanes, 0);
            float max = Float.NEGATIVE_INFINITY;
            for (int l = 0; l < VL; l++) max = Math.max(max, lanes[l]);
            for (int j = whole; j < cols; j++) max = Math.max(max, v[row + j]);
            for (int j = 0; j < cols; j++) v[row + j] -= max;
        }
        VectorMath.expInPlace(v, off + r0 * cols, off + r1 * cols);
        for (int r = r0; r < r1; r++) {
            int row = off + r * cols;
            FloatVector acc = FloatVector.zero(S);
            for (int j = 0; j < whole; j += VL) {
                FloatVector x = FloatVector.fromArray(S, v, row + j);
                if (x.getClass() != VC || acc.getClass() != VC) throw notExact();
                acc = acc.add(x);
            }
            if (acc.getClass() != VC) throw notExact();
            acc.intoArray(lanes, 0);
            float sum = pairwise(lanes, 0, VL);
            for (int j = whole; j < cols; j++) sum += v[row + j];
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) v[row + j] *= inv;
        }
    }

    /** y[yOff + i] = σ(x[xOff + i]) for i < len, whole vectors then a scalar tail (same operation order). */
    private static void sigmaRange(float[] y, int yOff, float[] x, int xOff, int len, float[] p, int o) {
        float r0 = p[o], r1 = p[o + 1], r2 = p[o + 2], r3 = p[o + 3];
        float t0 = p[o + 4], t1 = p[o + 5], t2 = p[o + 6], t3 = p[o + 7];
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += VL) {
            FloatVector xi = FloatVector.fromArray(S, x, xOff + i);
            if (xi.getClass() != VC) throw notExact();
            FloatVector a0 = xi.neg().add(r0).max(0f);
            FloatVector a1 = xi.sub(r1).max(0f);
            FloatVector a2 = xi.neg().add(r2).max(0f);
            FloatVector a3 = xi.sub(r3).max(0f);
            xi.add(a0.mul(t0)).add(a1.mul(t1)).add(a2.mul(t2).mul(a2)).add(a3.mul(t3).mul(a3)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] = sigma(x[xOff + i], p, o);
    }

    /** dS and the 8 parameter sums from dP (upstream gradient of P), the saved P and S. */
    static void multimaxBwd(Parallel par, float[] ds, int dsOff, float[] dprm, int dprmOff, float[] dp, int dpOff,
                            float[] pr, int pOff, float[] s, int sOff, float[] prm, int prmOff, int rows, int cols) {
        int chunks = (rows + ROW_CHUNK - 1) / ROW_CHUNK;
        double[] partial = new double[chunks * 8];
        par.forEach(chunks, c -> {
            int r0 = c * ROW_CHUNK;
            int r1 = Math.min(rows, r0 + ROW_CHUNK);
            // u = P ⊙ (dP − ⟨P, dP⟩) per row, written to ds; then σ' and the sums over the whole chunk.
            float[] lanes = new float[VL];
            for (int r = r0; r < r1; r++) {
                int row = r * cols;
                float dot = dot(pr, pOff + row, dp, dpOff + row, cols, lanes);
                for (int j = 0; j < cols; j++) {
                    ds[dsOff + row + j] = pr[pOff + row + j] * (dp[dpOff + row + j] - dot);
                }
            }
            modulateBackRange(ds, dsOff + r0 * cols, ds, dsOff + r0 * cols, s, sOff + r0 * cols, (r1 - r0) * cols,
                    prm, prmOff, partial, c * 8);
        });
        finishParamGrads(partial, chunks, dprm, dprmOff, prm, prmOff);
    }

    /** y = σ(x) element-wise. */
    static void modulateFwd(Parallel par, float[] y, int yOff, float[] x, int xOff, float[] prm, int prmOff, int n) {
        par.forChunks(n, 16384, (i0, i1) -> {
            for (int i = i0; i < i1; i++) y[yOff + i] = sigma(x[xOff + i], prm, prmOff);
        });
    }

    /** dx = dy ⊙ σ'(x) and the 8 parameter sums, from dy = ∂L/∂σ(x). */
    static void modulateBwd(Parallel par, float[] dx, int dxOff, float[] dprm, int dprmOff, float[] dy, int dyOff,
                            float[] x, int xOff, float[] prm, int prmOff, int n) {
        int chunk = ROW_CHUNK * 64;
        int chunks = (n + chunk - 1) / chunk;
        double[] partial = new double[chunks * 8];
        par.forEach(chunks, c -> {
            int i0 = c * chunk;
            int len = Math.min(n, i0 + chunk) - i0;
            modulateBackRange(dx, dxOff + i0, dy, dyOff + i0, x, xOff + i0, len, prm, prmOff, partial, c * 8);
        });
        finishParamGrads(partial, chunks, dprm, dprmOff, prm, prmOff);
    }

    /**
     * Σ a[ao + j]·b[bo + j] for j < n: one vector accumulator (a scalar chain was latency-bound),
     * its lanes added pairwise in a fixed order (not reduceLanes, whose order may differ between
     * the intrinsic and the Java fallback), then the scalar tail.
     */
    private static float dot(float[] a, int ao, float[] b, int bo, int n, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += VL) {
            FloatVector x = FloatVector.fromArray(S, a, ao + j);
            FloatVector y = FloatVector.fromArray(S, b, bo + j);
            if (x.getClass() != VC || y.getClass() != VC || acc.getClass() != VC) throw notExact();
            acc = x.fma(y, acc);
        }
        if (acc.getClass() != VC) throw notExact();
        acc.intoArray(lanes, 0);
        float sum = pairwise(lanes, 0, VL);
        for (; j < n; j++) sum += a[ao + j] * b[bo + j];
        return sum;
    }

    /** lanes[from..from+n) summed as a balanced tree (n a power of two). */
    private static float pairwise(float[] v, int from, int n) {
        return n == 1 ? v[from] : pairwise(v, from, n / 2) + pairwise(v, from + n / 2, n / 2);
    }

    private static AssertionError notExact() {
        return new AssertionError("vector is not a " + VC.getName());
    }

    /**
     * dx[i] = u[i]·σ'(x[i]) for {@code len} elements (dx may alias u), and into {@code sums[so..so+8)}
     * the raw sums Σu·I0, Σu·I1, Σu·a2, Σu·a3, Σu·a0, Σu·a1, Σu·a2², Σu·a3² (indicators strict:
     * (u)₊' at 0 is 0). Whole vectors: fp32 vector accumulators per run of RUN elements, lanes then
     * added in fp64 in lane order; the scalar tail has its own fp32 sums.
     */
    private static void modulateBackRange(float[] dx, int dxOff, float[] u, int uOff, float[] x, int xOff, int len,
                                          float[] p, int o, double[] sums, int so) {
        float r0 = p[o], r1 = p[o + 1], r2 = p[o + 2], r3 = p[o + 3];
        float t0 = p[o + 4], t1 = p[o + 5], t2 = p[o + 6], t3 = p[o + 7];
        double[] s = new double[8];
        float[] lanes = new float[8 * VL];
        int whole = S.loopBound(len);
        for (int start = 0; start < whole; start += RUN) {
            FloatVector f0 = FloatVector.zero(S), f1 = FloatVector.zero(S), f2 = FloatVector.zero(S);
            FloatVector f3 = FloatVector.zero(S), f4 = FloatVector.zero(S), f5 = FloatVector.zero(S);
            FloatVector f6 = FloatVector.zero(S), f7 = FloatVector.zero(S);
            for (int i = start, end = Math.min(whole, start + RUN); i < end; i += VL) {
                FloatVector xi = FloatVector.fromArray(S, x, xOff + i);
                FloatVector ui = FloatVector.fromArray(S, u, uOff + i);
                if (xi.getClass() != VC || ui.getClass() != VC || f0.getClass() != VC || f1.getClass() != VC
                        || f2.getClass() != VC || f3.getClass() != VC || f4.getClass() != VC || f5.getClass() != VC
                        || f6.getClass() != VC || f7.getClass() != VC) {
                    throw notExact();
                }
                FloatVector a0 = xi.neg().add(r0).max(0f);
                FloatVector a1 = xi.sub(r1).max(0f);
                FloatVector a2 = xi.neg().add(r2).max(0f);
                FloatVector a3 = xi.sub(r3).max(0f);
                // Indicators without masks or branches: min(a·2¹⁰⁰, 1), as in the scalar tail below.
                FloatVector i0 = ui.mul(a0.mul(0x1p100f).min(1f));
                FloatVector i1 = ui.mul(a1.mul(0x1p100f).min(1f));
                FloatVector ua2 = ui.mul(a2);
                FloatVector ua3 = ui.mul(a3);
                f0 = f0.add(i0);
                f1 = f1.add(i1);
                f2 = f2.add(ua2);
                f3 = f3.add(ua3);
                f4 = f4.add(ui.mul(a0));
                f5 = f5.add(ui.mul(a1));
                f6 = f6.add(ua2.mul(a2));
                f7 = f7.add(ua3.mul(a3));
                ui.sub(i0.mul(t0)).add(i1.mul(t1)).add(ui.mul(2f).mul(a3.mul(t3).sub(a2.mul(t2))))
                        .intoArray(dx, dxOff + i);
            }
            if (f0.getClass() != VC || f1.getClass() != VC || f2.getClass() != VC || f3.getClass() != VC
                    || f4.getClass() != VC || f5.getClass() != VC || f6.getClass() != VC || f7.getClass() != VC) {
                throw notExact();
            }
            f0.intoArray(lanes, 0);
            f1.intoArray(lanes, VL);
            f2.intoArray(lanes, 2 * VL);
            f3.intoArray(lanes, 3 * VL);
            f4.intoArray(lanes, 4 * VL);
            f5.intoArray(lanes, 5 * VL);
            f6.intoArray(lanes, 6 * VL);
            f7.intoArray(lanes, 7 * VL);
            for (int k = 0; k < 8; k++) {
                for (int l = 0; l < VL; l++) s[k] += lanes[k * VL + l];
            }
        }
        float f0 = 0, f1 = 0, f2 = 0, f3 = 0, f4 = 0, f5 = 0, f6 = 0, f7 = 0;
        for (int i = whole; i < len; i++) {
            float xi = x[xOff + i];
            float ui = u[uOff + i];
            float a0 = Math.max(r0 - xi, 0f);
            float a1 = Math.max(xi - r1, 0f);
            float a2 = Math.max(r2 - xi, 0f);
            float a3 = Math.max(xi - r3, 0f);
            // u·[a > 0] without a branch (random signs mispredict, it halved the time): min(a·2¹⁰⁰, 1)
            // is 0 at a = 0 and exactly 1 for a ≥ 2⁻¹⁰⁰; only inputs and thresholds both below
            // 2⁻⁷⁶ in magnitude could give a smaller positive a (a fractional indicator, immaterial).
            float i0 = ui * Math.min(a0 * 0x1p100f, 1f);
            float i1 = ui * Math.min(a1 * 0x1p100f, 1f);
            f0 += i0;
            f1 += i1;
            f2 += ui * a2;
            f3 += ui * a3;
            f4 += ui * a0;
            f5 += ui * a1;
            f6 += ui * a2 * a2;
            f7 += ui * a3 * a3;
            dx[dxOff + i] = ui - t0 * i0 + t1 * i1 + 2f * ui * (t3 * a3 - t2 * a2);
        }
        sums[so] = s[0] + f0;
        sums[so + 1] = s[1] + f1;
        sums[so + 2] = s[2] + f2;
        sums[so + 3] = s[3] + f3;
        sums[so + 4] = s[4] + f4;
        sums[so + 5] = s[5] + f5;
        sums[so + 6] = s[6] + f6;
        sums[so + 7] = s[7] + f7;
    }

    /** Sums partials in chunk order and applies the chain-rule factors of the ranges. */
    private static void finishParamGrads(double[] partial, int chunks, float[] dprm, int o, float[] p, int po) {
        double[] sum = new double[8];
        for (int c = 0; c < chunks; c++) {
            for (int k = 0; k < 8; k++) sum[k] += partial[c * 8 + k];
        }
        dprm[o] = (float) (p[po + 4] * sum[0]);
        dprm[o + 1] = (float) (-p[po + 5] * sum[1]);
        dprm[o + 2] = (float) (2 * p[po + 6] * sum[2]);
        dprm[o + 3] = (float) (-2 * p[po + 7] * sum[3]);
        dprm[o + 4] = (float) sum[4];
        dprm[o + 5] = (float) sum[5];
        dprm[o + 6] = (float) sum[6];
        dprm[o + 7] = (float) sum[7];
    }
}
