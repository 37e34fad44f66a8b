package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/optimizer.cl: AdamW as two launches, {@code adamw_prepare} (the step's bias corrections,
 * once, into a 4-float scratch) then {@code adamw} (one item per parameter).
 */
final class OptimizerBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.ADAMW);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        boolean fp64 = ctx.info().fp64();
        String opts = fp64 ? "-DMM_FP64" : "";
        int wg = ctx.tuning().elementwiseLocal();
        Scratch coef = ctx.scratch("adamw coefficients", 4 * Float.BYTES);
        Launch prepare = ctx.launch("adamw_prepare", opts,
                ctx.args().buffer(coef).buffer(c.buffer(4)).f(c.f(0)).f(c.f(1)).f(c.f(3)), NdRange.of(1, 1));
        Launch update = ctx.launch("adamw", opts, ctx.args().signature(c).buffer(coef), NdRange.of(c.i(0), wg));
        return ctx.bound((fp64 ? "fp64-corrections" : "fp32-corrections") + " wg" + wg, prepare, update);
    }
}
