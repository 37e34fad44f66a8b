package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/** tasks/mlp.cl: GELU forward and backward, one item per element, the op's signature as is. */
final class MlpBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.GELU_FWD, Op.GELU_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int wg = ctx.tuning().elementwiseLocal();
        return ctx.bound("wg" + wg, ctx.launch(c.op().kernelName(), ctx.args().signature(c), NdRange.of(c.i(0), wg)));
    }
}
