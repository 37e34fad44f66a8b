package dev.multimax.check;

import dev.multimax.device.Op;
import dev.multimax.device.ref.RefMultiMax;
import dev.multimax.device.ref.RefNorm;
import dev.multimax.device.ref.RefRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random cases for every op of the catalog: odd, non-round shapes (1-column rows, 197 tokens,
 * sizes that no tile divides), values that are never all zeros or round. Ops that need only their
 * shape get {@link #generic} cases from the catalog's extents; the others have their own, with
 * inputs that are consistent where an op needs it (P on the simplex and equal to the forward of S, LayerNorm's saved
 * mean and rstd, labels in range). Entries are kept at least {@link #KINK} away from a kink (σ's
 * ranges, the support threshold of sparsemax and entmax, the mask of evsoftmax): there the fp32 and
 * float64 answers may legitimately take different branches.
 */
public final class OpSamples {
    /** The least distance of an input from a kink. */
    static final double KINK = 1e-3;

    /** (B, N, H, Dh): odd token counts (49 of mnist-vit, 197 of DeiT), Dh not a multiple of 8. */
    private static final int[][] ATTENTION_SHAPES = {{3, 17, 2, 12}, {2, 49, 3, 8}, {1, 197, 1, 16}, {2, 9, 2, 5}};

    private final Random rng;

    public OpSamples(long seed) {
        this.rng = new Random(seed);
    }

    /** The cases of {@code op}, a few per op, different for every seed. */
    public List<OpSample> of(Op op) {
        List<OpSample> out = new ArrayList<>();
        switch (op) {
            case MATMUL -> {
                for (int ta = 0; ta < 2; ta++) {
                    for (int tb = 0; tb < 2; tb++) out.add(matmul(37, 29, 53, ta, tb, 0));
                }
                out.add(matmul(45, 61, 33, 0, 1, 1));
                out.add(matmul(130, 97, 200, 0, 0, 0));
            }
            case MATMUL_BIAS -> {
                for (int[] mnk : new int[][] {{37, 29, 53}, {130, 97, 200}, {64, 96, 32}, {3, 1, 5}}) {
                    int m = mnk[0];
                    int n = mnk[1];
                    int k = mnk[2];
                    out.add(sample(op, ints(mnk), floats(), uniform(m * n, 1), uniform(m * k, 1), uniform(n * k, 1), uniform(n, 1)));
                }
            }
            case LAYERNORM_FWD -> {
                for (int[] mc : new int[][] {{37, 97}, {5, 3}, {129, 1}}) {
                    int m = mc[0];
                    int c = mc[1];
                    out.add(sample(op, ints(m, c), floats(1e-5f), uniform(m * c, 1), uniform(m, 1), uniform(m, 1),
                            shifted(m * c, 2, 0.7), around(c, 1, 0.3), uniform(c, 0.5)));
                }
            }
            case RESIDUAL_LAYERNORM_FWD -> {
                for (int[] mc : new int[][] {{37, 97}, {5, 3}, {129, 1}}) {
                    int m = mc[0];
                    int c = mc[1];
                    out.add(sample(op, ints(m, c), floats(1e-5f), shifted(m * c, 1, 0.3), uniform(m * c, 1), uniform(m, 1),
                            uniform(m, 1), shifted(m * c, 1, 0.4), around(c, 1, 0.3), uniform(c, 0.5)));
                }
            }
            case LAYERNORM_BWD, LAYERNORM_BWD_ADD -> {
                for (int[] mc : new int[][] {{37, 97}, {1031, 13}}) out.add(layerNormBwd(op, mc[0], mc[1]));
            }
            case SOFTMAX_FWD, SOFTMAX_T_FWD -> {
                for (int[] rc : ROWS) {
                    float[] f = op == Op.SOFTMAX_FWD ? floats() : floats(1.7f);
                    out.add(sample(op, ints(rc[0], rc[1]), f, uniform(rc[0] * rc[1], 1), uniform(rc[0] * rc[1], 3)));
                }
            }
            case SOFTMAX_BWD, SOFTMAX_T_BWD -> {
                for (int[] rc : ROWS) {
                    int n = rc[0] * rc[1];
                    float[] p = rowsOf(n, 3, (pp, s) -> RefRows.softmaxFwd(pp, s, rc[0], rc[1]));
                    float[] f = op == Op.SOFTMAX_BWD ? floats() : floats(0.6f);
                    out.add(sample(op, ints(rc[0], rc[1]), f, uniform(n, 1), uniform(n, 1), p));
                }
            }
            case MULTIMAX_FWD, MULTIMAX_BWD -> {
                for (int[] rc : ROWS) out.add(multimax(op, rc[0], rc[1]));
            }
            case MODULATE_FWD, MODULATE_BWD -> {
                for (int n : new int[] {1, 1001, 5000}) out.add(modulate(op, n));
                if (op == Op.MODULATE_BWD) out.add(modulate(op, 1_000_003)); // parameter sums over a million elements
            }
            case ATTN_SCORES_FWD, ATTN_SCORES_BWD, ATTN_CONTEXT_FWD, ATTN_CONTEXT_BWD -> {
                for (int[] s : ATTENTION_SHAPES) out.add(attention(op, s));
            }
            case BIAS_GELU_FWD, GELU_BIAS_BWD -> {
                // 16-column blocks with tails, and more than one chunk of rows for the bias sums
                for (int[] mn : new int[][] {{1, 1}, {13, 7}, {300, 16}, {1031, 37}}) {
                    int n = mn[0] * mn[1];
                    out.add(op == Op.BIAS_GELU_FWD
                            ? sample(op, ints(mn), floats(), uniform(n, 1), uniform(n, 3), uniform(mn[1], 1))
                            : sample(op, ints(mn), floats(), uniform(n, 1), uniform(mn[1], 1), uniform(n, 1), uniform(n, 3),
                                    uniform(mn[1], 1)));
                }
            }
            case ATTN_MULTIMAX_FWD, ATTN_MULTIMAX_BWD, ATTN_SOFTMAX_FWD, ATTN_SOFTMAX_BWD -> {
                for (int[] s : ATTENTION_SHAPES) out.add(fusedAttention(op, s));
            }
            case PATCHIFY -> {
                out.add(sample(op, ints(3, 2, 14, 21, 7), floats(), uniform(3 * 6 * 49 * 2, 1), uniform(3 * 2 * 14 * 21, 1)));
                out.add(sample(op, ints(2, 1, 28, 28, 4), floats(), uniform(2 * 49 * 16, 1), uniform(2 * 28 * 28, 1)));
            }
            case CROSS_ENTROPY, NLL_PROBS -> {
                out.add(loss(op, 13, 10, 11));
                out.add(loss(op, 5, 101, 5));
                out.add(loss(op, 4, 1, 2));
                if (op == Op.NLL_PROBS) out.add(nllOnSparsemax(9, 7, 8));
            }
            case NONFINITE_CHECK -> {
                out.add(nonfinite(1f, -1));
                out.add(nonfinite(1f, 3));
                out.add(nonfinite(Float.POSITIVE_INFINITY, -1));
            }
            case ADAMW -> {
                out.add(adamw(1003, 700, 0f));
                out.add(adamw(1003, 700, 1f));
            }
            case SPARSEMAX_FWD, SPARSEMAX_BWD, ENTMAX15_FWD, ENTMAX15_BWD, EVSOFTMAX_FWD -> {
                for (int[] rc : ROWS) {
                    out.add(sparse(op, rc[0], rc[1], 0f));
                    if (op == Op.EVSOFTMAX_FWD) out.add(sparse(op, rc[0], rc[1], 1e-6f));
                }
                out.add(edgeRows(op));
            }
            default -> out.addAll(generic(op));
        }
        return out;
    }

    /** Odd values for the int arguments of {@link #generic} cases, per case. */
    private static final int[][] GENERIC_SIZES = {{1}, {3, 7, 13, 29}, {5, 17, 97, 131}};
    /** The most elements a generic case's largest buffer may span. */
    private static final long GENERIC_MAX = 1 << 20;

    /**
     * Cases of an op that needs nothing but its shape (element-wise ops, sums over an axis, bias and
     * position adds): every int argument 1, then odd sizes drawn per argument, every buffer random
     * in [−2, 2) at its extent. An op that has int buffers, flags or constrained values needs its own
     * cases above; asking for generic ones is an error saying so.
     */
    private List<OpSample> generic(Op op) {
        for (Op.Buffer b : op.buffers()) {
            if (b.isInt()) throw new IllegalStateException(op.kernelName() + " has an int buffer (" + b.name()
                    + "): give it its own cases in OpSamples");
        }
        List<OpSample> out = new ArrayList<>();
        for (int[] sizes : GENERIC_SIZES) {
            int[] ints = new int[op.intNames().size()];
            long largest;
            do {
                for (int i = 0; i < ints.length; i++) ints[i] = sizes[rng.nextInt(sizes.length)];
                largest = 0;
                for (int k = 0; k < op.buffers().size(); k++) largest = Math.max(largest, op.extent(k, ints));
            } while (largest > GENERIC_MAX);
            Object[] data = new Object[op.buffers().size()];
            for (int k = 0; k < data.length; k++) data[k] = uniform((int) op.extent(k, ints), 2);
            float[] f = new float[op.floatNames().size()];
            for (int i = 0; i < f.length; i++) f[i] = (float) (0.5 + rng.nextDouble());
            out.add(sample(op, ints.clone(), f, data));
        }
        return out;
    }

    /** rows × cols of the row ops: one column, a mnist-vit attention row, a DeiT one (197 tokens). */
    private static final int[][] ROWS = {{7, 1}, {9, 49}, {3, 197}, {40, 10}};

    private OpSample matmul(int m, int n, int k, int ta, int tb, int acc) {
        return sample(Op.MATMUL, ints(m, n, k, ta, tb, acc), floats(), uniform(m * n, 1), uniform(m * k, 1), uniform(k * n, 1));
    }

    /** dX's initial content is random too: layernorm_bwd overwrites it, layernorm_bwd_add adds to it. */
    private OpSample layerNormBwd(Op op, int m, int c) {
        float[] x = shifted(m * c, 2, -0.4);
        float[] w = around(c, 1, 0.3);
        double[] mean = new double[m];
        double[] rstd = new double[m];
        RefNorm.layernormFwd(new double[m * c], mean, rstd, doubles(x), doubles(w), new double[c], m, c, 1e-5);
        return sample(op, ints(m, c), floats(), uniform(m * c, 1), uniform(c, 1), uniform(c, 1),
                uniform(m * c, 1), x, floats(mean), floats(rstd), w);
    }

    /**
     * One case of {@code op} at the given ints, for benchmarks: the attention ops at (B, N, H, Dh),
     * softmax and MultiMax rows at (rows, cols).
     */
    public OpSample atShape(Op op, int[] ints) {
        return switch (op) {
            case ATTN_MULTIMAX_FWD, ATTN_MULTIMAX_BWD, ATTN_SOFTMAX_FWD, ATTN_SOFTMAX_BWD -> fusedAttention(op, ints);
            case ATTN_SCORES_FWD, ATTN_SCORES_BWD, ATTN_CONTEXT_FWD, ATTN_CONTEXT_BWD -> attention(op, ints);
            case MULTIMAX_FWD, MULTIMAX_BWD -> multimax(op, ints[0], ints[1]);
            case SOFTMAX_FWD -> sample(op, ints, floats(), uniform(ints[0] * ints[1], 1), uniform(ints[0] * ints[1], 3));
            case SOFTMAX_BWD -> {
                int n = ints[0] * ints[1];
                yield sample(op, ints, floats(), uniform(n, 1), uniform(n, 1),
                        rowsOf(n, 3, (pp, s) -> RefRows.softmaxFwd(pp, s, ints[0], ints[1])));
            }
            default -> throw new IllegalArgumentException("no case at a given shape for " + op.kernelName());
        };
    }

    /** params = ranges r0..r3 around (−1.3, 0.9, −0.6, 1.4), ts in [−0.6, 0.9]: every piece of σ active on [−3, 3]. */
    private float[] multimaxParams() {
        float[] p = new float[8];
        double[] r = {-1.3, 0.9, -0.6, 1.4};
        for (int i = 0; i < 4; i++) p[i] = (float) (r[i] + 0.2 * (rng.nextDouble() - 0.5));
        for (int i = 4; i < 8; i++) p[i] = (float) (-0.6 + 1.5 * rng.nextDouble());
        return p;
    }

    /** n values in [−3, 3], none within KINK of a range. */
    private float[] awayFromRanges(int n, float[] params) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            do {
                x[i] = (float) ((rng.nextDouble() * 2 - 1) * 3);
            } while (nearAny(x[i], params[0], params[1], params[2], params[3]));
        }
        return x;
    }

    private static boolean nearAny(double x, double... kinks) {
        for (double k : kinks) {
            if (Math.abs(x - k) < KINK) return true;
        }
        return false;
    }

    private OpSample multimax(Op op, int rows, int cols) {
        int n = rows * cols;
        float[] params = multimaxParams();
        float[] s = awayFromRanges(n, params);
        if (op == Op.MULTIMAX_FWD) return sample(op, ints(rows, cols), floats(), uniform(n, 1), s, params);
        double[] p = new double[n];
        RefMultiMax.multimaxFwd(p, doubles(s), doubles(params), rows, cols);
        return sample(op, ints(rows, cols), floats(), uniform(n, 1), uniform(8, 1), uniform(n, 1), floats(p), s, params);
    }

    private OpSample modulate(Op op, int n) {
        float[] params = multimaxParams();
        float[] x = awayFromRanges(n, params);
        if (op == Op.MODULATE_FWD) return sample(op, ints(n), floats(), uniform(n, 1), x, params);
        return sample(op, ints(n), floats(), uniform(n, 1), uniform(8, 1), uniform(n, 1), x, params);
    }

    private OpSample attention(Op op, int[] s) {
        int b = s[0];
        int n = s[1];
        int h = s[2];
        int dh = s[3];
        int qkv = b * n * 3 * h * dh;
        int scores = b * h * n * n;
        int heads = b * n * h * dh;
        float scale = (float) (1 / Math.sqrt(dh));
        float[] probs = rowsOf(scores, 2, (p, x) -> RefRows.softmaxFwd(p, x, b * h * n, n));
        return switch (op) {
            case ATTN_SCORES_FWD -> sample(op, ints(s), floats(scale), uniform(scores, 1), uniform(qkv, 1));
            case ATTN_SCORES_BWD -> sample(op, ints(s), floats(scale), uniform(qkv, 1), uniform(scores, 0.1), uniform(qkv, 1));
            case ATTN_CONTEXT_FWD -> sample(op, ints(s), floats(), uniform(heads, 1), probs, uniform(qkv, 1));
            default -> sample(op, ints(s), floats(), uniform(scores, 1), uniform(qkv, 1), uniform(heads, 1), probs,
                    uniform(qkv, 1));
        };
    }

    /**
     * The fused attention ops. Forward: qkv in (−2, 2), so that scale·Q·Kᵀ reaches every piece of σ
     * (σ is continuous, so a score next to a range is no kink for the forward). Backward: S away from
     * the ranges and P its MultiMax (or P a softmax row), as a forward would have kept them.
     */
    private OpSample fusedAttention(Op op, int[] s) {
        int b = s[0];
        int n = s[1];
        int h = s[2];
        int qkv = b * n * 3 * h * s[3];
        int scores = b * h * n * n;
        int heads = b * n * h * s[3];
        float scale = (float) (1 / Math.sqrt(s[3]));
        return switch (op) {
            case ATTN_MULTIMAX_FWD -> sample(op, ints(s), floats(scale), uniform(heads, 1), uniform(scores, 1),
                    uniform(scores, 1), uniform(qkv, 2), multimaxParams());
            case ATTN_SOFTMAX_FWD -> sample(op, ints(s), floats(scale), uniform(heads, 1), uniform(scores, 1), uniform(qkv, 2));
            case ATTN_MULTIMAX_BWD -> {
                float[] params = multimaxParams();
                float[] sc = awayFromRanges(scores, params);
                double[] p = new double[scores];
                RefMultiMax.multimaxFwd(p, doubles(sc), doubles(params), b * h * n, n);
                yield sample(op, ints(s), floats(scale), uniform(qkv, 1), uniform(8, 1), uniform(heads, 1), floats(p), sc,
                        uniform(qkv, 1), params);
            }
            default -> sample(op, ints(s), floats(scale), uniform(qkv, 1), uniform(heads, 1),
                    rowsOf(scores, 2, (p, x) -> RefRows.softmaxFwd(p, x, b * h * n, n)), uniform(qkv, 1));
        };
    }

    /** Cross-entropy on logits, or NLL on softmax rows (one row's label pushed below NLL's floor). */
    private OpSample loss(Op op, int b, int k, int valid) {
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = rng.nextInt(k);
        float[] in = uniform(b * k, 4);
        if (op == Op.NLL_PROBS) {
            if (k > 1) in[labels[0]] = -60; // p[label] ≈ 1e-27: loss at the floor, gradient 0
            in = rowsOf(in, (p, s) -> RefRows.softmaxFwd(p, s, b, k));
        }
        return sample(op, ints(b, k), floats(), uniform(b * k, 1), uniform(2, 1), in, labels, new float[] {valid});
    }

    /** NLL on sparsemax rows: exact zeros, so some labels have probability 0 (loss at the floor, no gradient). */
    private OpSample nllOnSparsemax(int b, int k, int valid) {
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = rng.nextInt(k);
        float[] s = uniform(b * k, 3);
        for (int r = 0; r < b; r++) awayFromThreshold(Op.SPARSEMAX_FWD, s, r * k, k);
        float[] p = rowsOf(s, (pp, ss) -> RefRows.sparsemaxFwd(pp, ss, b, k));
        p[labels[0]] = 0; // row 0's label outside the support, whatever the draw
        OpSample x = sample(Op.NLL_PROBS, ints(b, k), floats(), uniform(b * k, 1), uniform(2, 1), p, labels,
                new float[] {valid});
        return new OpSample(x.op(), x.shape() + " sparsemax rows", x.ints(), x.floats(), x.data());
    }

    /** Five gradient tensors over 1003 elements, the third empty; a NaN in tensor {@code nanIn} (−1: none). */
    private OpSample nonfinite(float loss, int nanIn) {
        int[] ranges = {0, 200, 450, 450, 800, 1003};
        float[] g = uniform(1003, 5);
        if (nanIn >= 0) {
            g[ranges[nanIn] + 17] = Float.NaN;
            g[ranges[nanIn + 1] - 3] = Float.NEGATIVE_INFINITY;
        }
        return new OpSample(Op.NONFINITE_CHECK, "tensors=5 n=1003" + (nanIn >= 0 ? " NaN in tensor " + nanIn : "")
                + (Float.isFinite(loss) ? "" : " loss=Inf"), ints(5, 1003), floats(), List.of(uniform(2, 1),
                new float[] {loss}, g, ranges));
    }

    private OpSample adamw(int n, int nDecay, float flag) {
        float[] v = uniform(n, 1e-3);
        for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]) + 1e-7f;
        OpSample s = sample(Op.ADAMW, ints(n, nDecay), floats(0.9f, 0.999f, 1e-8f, 0.05f), uniform(n, 1),
                uniform(n, 0.03), uniform(n, 0.01), v, new float[] {3e-3f, 7}, new float[] {flag, flag == 0 ? -1 : 2});
        return flag == 0 ? s : new OpSample(s.op(), s.shape() + " skipped", s.ints(), s.floats(), s.data());
    }

    /** Rows of S kept KINK away from the op's threshold; for a backward, P is the forward of S and dP random. */
    private OpSample sparse(Op op, int rows, int cols, float maskedWeight) {
        int n = rows * cols;
        float[] s = uniform(n, 3);
        for (int r = 0; r < rows; r++) awayFromThreshold(op, s, r * cols, cols);
        if (op == Op.EVSOFTMAX_FWD) {
            OpSample x = sample(op, ints(rows, cols), floats(maskedWeight), uniform(n, 1), s);
            return new OpSample(op, x.shape() + " maskedWeight=" + maskedWeight, x.ints(), x.floats(), x.data());
        }
        if (op == Op.SPARSEMAX_FWD || op == Op.ENTMAX15_FWD) return sample(op, ints(rows, cols), floats(), uniform(n, 1), s);
        double[] p = new double[n];
        if (op == Op.SPARSEMAX_BWD) RefRows.sparsemaxFwd(p, doubles(s), rows, cols);
        else RefRows.entmax15Fwd(p, doubles(s), rows, cols);
        return sample(op, ints(rows, cols), floats(), uniform(n, 1), uniform(n, 1), floats(p));
    }

    /**
     * Rows the sparse kernels treat specially: all equal (every entry in the support, or none
     * masked), one dominant entry (a support of one), all far below 0 but one.
     */
    private OpSample edgeRows(Op op) {
        float[] s = {0, 0, 0, 0, 0, 10, 0, -3, 1, 2, -40, -40, -40, -40, -39.5f};
        float[] f = op == Op.EVSOFTMAX_FWD ? floats(1e-6f) : floats();
        if (op != Op.SPARSEMAX_BWD && op != Op.ENTMAX15_BWD) {
            OpSample x = sample(op, ints(3, 5), f, uniform(15, 1), s);
            return new OpSample(op, x.shape() + " edge rows", x.ints(), x.floats(), x.data());
        }
        double[] p = new double[15];
        if (op == Op.SPARSEMAX_BWD) RefRows.sparsemaxFwd(p, doubles(s), 3, 5);
        else RefRows.entmax15Fwd(p, doubles(s), 3, 5);
        OpSample x = sample(op, ints(3, 5), f, uniform(15, 1), uniform(15, 1), floats(p));
        return new OpSample(op, x.shape() + " edge rows", x.ints(), x.floats(), x.data());
    }

    /** Redraws entries of the row s[o, o + cols) that lie within KINK of its threshold, until none do. */
    private void awayFromThreshold(Op op, float[] s, int o, int cols) {
        for (int round = 0; round < 100; round++) {
            double[] row = new double[cols];
            for (int j = 0; j < cols; j++) row[j] = s[o + j];
            boolean moved = false;
            for (int j = 0; j < cols; j++) {
                double gap = switch (op) {
                    case SPARSEMAX_FWD, SPARSEMAX_BWD -> row[j] - RefRows.sparsemaxThreshold(row, 0, cols);
                    case ENTMAX15_FWD, ENTMAX15_BWD -> row[j] / 2 - RefRows.entmax15Threshold(row, 0, cols);
                    default -> row[j] - RefRows.evsoftmaxMean(row, 0, cols);
                };
                if (Math.abs(gap) < KINK && cols > 1) {
                    s[o + j] = (float) ((rng.nextDouble() * 2 - 1) * 3);
                    moved = true;
                }
            }
            if (!moved) return;
        }
        throw new IllegalStateException("could not draw a row of " + cols + " away from the threshold of " + op);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private OpSample sample(Op op, int[] ints, float[] floats, Object... data) {
        return new OpSample(op, OpSample.describe(op, ints), ints, floats, List.of(data));
    }

    /** Uniform in [−scale, scale): never all zeros, never round. */
    private float[] uniform(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        return a;
    }

    /** Uniform in [offset − scale, offset + scale). */
    private float[] shifted(int n, double scale, double offset) {
        float[] a = uniform(n, scale);
        for (int i = 0; i < n; i++) a[i] += (float) offset;
        return a;
    }

    private float[] around(int n, double center, double spread) {
        return shifted(n, spread, center);
    }

    private interface RowForward {
        void apply(double[] p, double[] s);
    }

    /** The float64 forward of random S of n elements, rounded to float (inputs P consistent with an S). */
    private float[] rowsOf(int n, double scale, RowForward f) {
        return rowsOf(uniform(n, scale), f);
    }

    private static float[] rowsOf(float[] s, RowForward f) {
        double[] p = new double[s.length];
        f.apply(p, doubles(s));
        return floats(p);
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static int[] ints(int... v) {
        return v;
    }

    private static float[] floats(float... v) {
        return v;
    }
}
