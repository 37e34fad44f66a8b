package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/mlp.cl: GELU forward and backward, the op's signature as is: 16 elements per item on CPUs
 * ({@link Tuning#elementVector()}), else one item per element. fc1's bias fused with GELU: forward
 * one item per element, or per 16 elements on CPUs when rows are whole blocks of 16; backward linear.cl's two-pass column
 * sum (items over (columns, chunks of {@link Tuning#reduceRows()} rows), then the chunks in order),
 * each item computing the dF it sums.
 */
final class MlpBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.GELU_FWD, Op.GELU_BWD, Op.BIAS_GELU_FWD, Op.GELU_BIAS_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int wg = ctx.tuning().elementwiseLocal();
        boolean vec = ctx.tuning().elementVector() == 16;
        if (c.op() == Op.BIAS_GELU_FWD || c.op() == Op.GELU_BIAS_BWD) return bindFused(ctx, c, wg, vec);
        if (vec) {
            return ctx.bound("float16 wg" + wg, ctx.launch(c.op().kernelName() + "_vec", ctx.args().signature(c),
                    NdRange.of((c.i(0) + 15L) / 16, wg)));
        }
        return ctx.bound("wg" + wg, ctx.launch(c.op().kernelName(), ctx.args().signature(c), NdRange.of(c.i(0), wg)));
    }

    private static Bound bindFused(BindContext ctx, KernelCall c, int wg, boolean vec) {
        int m = c.i(0), n = c.i(1);
        long cols = vec ? (n + 15L) / 16 : n;
        String suffix = vec ? "_vec" : "";
        String width = vec ? "float16 " : "";
        int rows = ctx.tuning().reduceRows();
        String opts = "-DROWS=" + rows;
        if (c.op() == Op.BIAS_GELU_FWD) {
            if (vec && n % 16 == 0) {  // 16-element blocks never straddle a row: one bias vector each
                return ctx.bound("float16 wg" + wg, ctx.launch("bias_gelu_fwd_vec", opts, ctx.args().signature(c),
                        NdRange.of((long) m * n / 16, wg)));
            }
            int lx = Math.min(32, wg), ly = Math.max(1, wg / lx);
            return ctx.bound("2d wg(" + lx + "," + ly + ")",
                    ctx.launch("bias_gelu_fwd", opts, ctx.args().signature(c), NdRange.of(n, m, lx, ly)));
        }
        // buffers: dF, db, dG, F, b
        int chunks = Math.max(1, (m + rows - 1) / rows);
        NdRange partialRange = NdRange.of(cols, chunks, (int) Math.min(cols, wg), 1);
        if (chunks == 1) {
            return ctx.bound(width + "1pass rows" + rows, ctx.launch("gelu_bias_bwd_partial" + suffix, opts,
                    ctx.args().signature(c), partialRange));
        }
        Scratch partial = ctx.scratch("bias partials (" + chunks + "×" + n + ")", (long) chunks * n * Float.BYTES);
        Launch pass1 = ctx.launch("gelu_bias_bwd_partial" + suffix, opts, ctx.args().buffer(c.buffer(0)).buffer(partial)
                .buffers(c, 2, 5).ints(c), partialRange);
        Launch pass2 = ctx.launch("chunk_column_sum", opts, ctx.args().buffer(c.buffer(1)).buffer(partial).i(n).i(chunks),
                NdRange.of(n, wg));
        return ctx.bound(width + "2pass rows" + rows, pass1, pass2);
    }
}
