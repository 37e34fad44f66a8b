package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/mlp.cl: GELU forward and backward, the op's signature as is: 16 elements per item on CPUs
 * ({@link Tuning#elementVector()}), else one item per element.
 */
final class MlpBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.GELU_FWD, Op.GELU_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int wg = ctx.tuning().elementwiseLocal();
        if (ctx.tuning().elementVector() == 16) {
            return ctx.bound("float16 wg" + wg, ctx.launch(c.op().kernelName() + "_vec", ctx.args().signature(c),
                    NdRange.of((c.i(0) + 15L) / 16, wg)));
        }
        return ctx.bound("wg" + wg, ctx.launch(c.op().kernelName(), ctx.args().signature(c), NdRange.of(c.i(0), wg)));
    }
}
