package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/layernorm.cl. Forward: one launch, per row (statistics then Y). Backward: dX per row,
 * then dw and db as a deterministic two-pass column sum (partials per chunk of
 * {@link Tuning#reduceRows()} rows into scratch, then a sum over chunks in chunk order; one pass
 * straight into dw, db when one chunk covers all rows). Row kernels come in two variants by
 * {@link Tuning#rowGroup()}: 0 = {@code rows} (one item per row, no local memory: CPU) and
 * {@code wg<RG>} (a work-group per row reducing in local memory: GPU). Row sums accumulate in
 * double when the device has fp64 and the tuning allows it ({@code fp64}), else in compensated float.
 */
final class LayerNormBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.LAYERNORM_FWD, Op.LAYERNORM_BWD, Op.RESIDUAL_LAYERNORM_FWD, Op.LAYERNORM_BWD_ADD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int m = c.i(0), n = c.i(1);
        Tuning t = ctx.tuning();
        boolean fp64 = t.fp64() && ctx.info().fp64();
        int rg = t.rowGroup();
        int rows = t.reduceRows();
        int wg = t.elementwiseLocal();
        String opts = (fp64 ? "-DMM_FP64 " : "") + "-DROWS=" + rows + (rg > 1 ? " -DRG=" + rg : "");
        String rowVariant = (rg > 1 ? "wg" + rg : "rows wg" + wg) + (fp64 ? " fp64" : " fp32");
        // rows variant: one item per row in groups of wg; wg variant: exactly one group of rg per row
        NdRange rowRange = rg > 1 ? NdRange.of((long) Math.max(m, 1) * rg, rg).exactly() : NdRange.of(m, wg);
        String suffix = rg > 1 ? "_wg" : "_rows";
        if (c.op() == Op.LAYERNORM_FWD || c.op() == Op.RESIDUAL_LAYERNORM_FWD) {
            return ctx.bound(rowVariant, ctx.launch(c.op().kernelName() + suffix, opts, ctx.args().signature(c), rowRange));
        }
        // dX, dw, db, dY, X, mean, rstd, w; dX += the gradient for layernorm_bwd_add
        int add = c.op() == Op.LAYERNORM_BWD_ADD ? 1 : 0;
        int chunks = Math.max(1, (m + rows - 1) / rows);
        if (rg <= 1) return chunkedBackward(ctx, c, opts, rowVariant, rows, chunks, wg, add);
        Launch dx = ctx.launch("layernorm_bwd_dx_wg", opts,
                ctx.args().buffer(c.buffer(0)).buffers(c, 3, 8).i(m).i(n).i(add), rowRange);
        NdRange partialRange = NdRange.of(n, chunks, wg, 1);
        if (chunks == 1) {
            Launch cols = ctx.launch("layernorm_bwd_partial", opts,
                    ctx.args().buffers(c, 1, 3).buffers(c, 3, 7).i(m).i(n), partialRange);
            return ctx.bound(rowVariant + ", 1pass rows" + rows, dx, cols);
        }
        long bytes = (long) chunks * n * Float.BYTES;
        Scratch pw = ctx.scratch("dw partials (" + chunks + "×" + n + ")", bytes);
        Scratch pb = ctx.scratch("db partials (" + chunks + "×" + n + ")", bytes);
        Launch partial = ctx.launch("layernorm_bwd_partial", opts,
                ctx.args().buffer(pw).buffer(pb).buffers(c, 3, 7).i(m).i(n), partialRange);
        Launch sum = ctx.launch("layernorm_bwd_sum", opts,
                ctx.args().buffers(c, 1, 3).buffer(pw).buffer(pb).i(n).i(chunks), NdRange.of(n, wg));
        return ctx.bound(rowVariant + ", 2pass rows" + rows, dx, partial, sum);
    }

    /** CPU: one launch computes dX and the column partials per chunk of rows; then the partials are summed in chunk order. */
    private static Bound chunkedBackward(BindContext ctx, KernelCall c, String opts, String rowVariant, int rows, int chunks,
                                         int wg, int add) {
        int n = c.i(1);
        NdRange range = NdRange.of(chunks, 1);
        String detail = rowVariant.replace("rows wg" + wg, "chunk rows" + rows);
        if (chunks == 1) {
            return ctx.bound(detail + ", 1pass", ctx.launch("layernorm_bwd_chunk", opts, ctx.args().signature(c).i(add), range));
        }
        long bytes = (long) chunks * n * Float.BYTES;
        Scratch pw = ctx.scratch("dw partials (" + chunks + "×" + n + ")", bytes);
        Scratch pb = ctx.scratch("db partials (" + chunks + "×" + n + ")", bytes);
        Launch pass1 = ctx.launch("layernorm_bwd_chunk", opts, ctx.args().buffer(c.buffer(0)).buffer(pw).buffer(pb)
                .buffers(c, 3, 8).ints(c).i(add), range);
        Launch sum = ctx.launch("layernorm_bwd_sum", opts,
                ctx.args().buffers(c, 1, 3).buffer(pw).buffer(pb).i(n).i(chunks), NdRange.of(n, wg));
        return ctx.bound(detail + ", 2pass", pass1, sum);
    }
}
