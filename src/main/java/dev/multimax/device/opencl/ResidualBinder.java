package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/** tasks/residual.cl: one item per element, the op's signature as is. */
final class ResidualBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.RESIDUAL_ADD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int wg = ctx.tuning().elementwiseLocal();
        return ctx.bound("wg" + wg, ctx.launch("residual_add", ctx.args().signature(c), NdRange.of(c.i(0), wg)));
    }
}
