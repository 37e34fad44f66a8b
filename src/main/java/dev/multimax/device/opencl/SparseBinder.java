package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/sparse.cl: sparsemax, 1.5-entmax and evidential softmax rows. One variant for every
 * device type: one work-item per row in groups of {@link Tuning#rowLocal()}, no local memory
 * (the forwards find τ by bisection and a closed form on the support, several passes over a row).
 */
final class SparseBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.SPARSEMAX_FWD, Op.SPARSEMAX_BWD, Op.ENTMAX15_FWD, Op.ENTMAX15_BWD, Op.EVSOFTMAX_FWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int local = ctx.tuning().rowLocal();
        return ctx.bound("item-per-row wg" + local, ctx.launch(c.op().kernelName(), "", ctx.args().signature(c),
                NdRange.of(c.i(0), local)));
    }
}
