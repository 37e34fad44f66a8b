package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/linear.cl: bias forward (one item per element, grid (N, M)) and the bias gradient as a two-pass column
 * sum (partials per chunk of {@link Tuning#reduceRows()} rows into a scratch buffer, then a sum
 * over chunks; one pass straight into db when one chunk covers all rows).
 */
final class LinearBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.BIAS_ADD_FWD, Op.BIAS_ADD_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int m = c.i(0), n = c.i(1);
        int wg = ctx.tuning().elementwiseLocal();
        if (c.op() == Op.BIAS_ADD_FWD) {
            // 32 columns per group row: divides the model's widths (96, 288, 384) and wastes little on others
            int lx = Math.min(32, wg), ly = Math.max(1, wg / lx);
            return ctx.bound("2d wg(" + lx + "," + ly + ")",
                    ctx.launch("bias_add_fwd", ctx.args().signature(c), NdRange.of(n, m, lx, ly)));
        }
        int rows = ctx.tuning().reduceRows();
        String opts = "-DROWS=" + rows;
        int chunks = Math.max(1, (m + rows - 1) / rows);
        // grid (columns, chunks): columns are the contiguous axis, so they go in dimension 0
        NdRange partialRange = NdRange.of(n, chunks, wg, 1);
        if (chunks == 1) {
            return ctx.bound("1pass rows" + rows + " wg" + wg,
                    ctx.launch("bias_add_bwd_partial", opts, ctx.args().signature(c), partialRange));
        }
        Scratch partial = ctx.scratch("bias partials (" + chunks + "×" + n + ")", (long) chunks * n * Float.BYTES);
        Launch pass1 = ctx.launch("bias_add_bwd_partial", opts,
                ctx.args().buffer(partial).buffer(c.buffer(1)).i(m).i(n), partialRange);
        Launch pass2 = ctx.launch("chunk_column_sum", opts,
                ctx.args().buffer(c.buffer(0)).buffer(partial).i(n).i(chunks), NdRange.of(n, wg));
        return ctx.bound("2pass rows" + rows + " wg" + wg, pass1, pass2);
    }
}
