package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/softmax.cl: row softmax forward and backward, plain or at a temperature ({@code softmax_t_*}). {@link Tuning#rowGroup()} 0: one work-item
 * per row in groups of {@link Tuning#rowLocal()} (variant {@code item-per-row wg64}); otherwise one
 * work-group of rowGroup items per row with local-memory reductions ({@code group-per-row wg64}).
 */
final class SoftmaxBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.SOFTMAX_FWD, Op.SOFTMAX_BWD, Op.SOFTMAX_T_FWD, Op.SOFTMAX_T_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        Rows rows = Rows.of(ctx, c.i(0));
        return ctx.bound(rows.detail(), ctx.launch(c.op().kernelName() + rows.suffix(), rows.options(),
                ctx.args().signature(c), rows.range()));
    }

    /** The row-kernel variant of a device: kernel name suffix, build options, index space. */
    record Rows(String suffix, String options, NdRange range, String detail) {
        static Rows of(BindContext ctx, int rows) {
            int wg = ctx.tuning().rowGroup();
            if (wg > 0) {
                return new Rows("_wg", "-DWG=" + wg, NdRange.of((long) rows * wg, wg).exactly(), "group-per-row wg" + wg);
            }
            int local = ctx.tuning().rowLocal();
            return new Rows("", "", NdRange.of(rows, local), "item-per-row wg" + local);
        }
    }
}
