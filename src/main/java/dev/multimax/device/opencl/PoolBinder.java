package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/** tasks/pool.cl: mean pooling over tokens, one item per output element. */
final class PoolBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.MEAN_POOL_FWD, Op.MEAN_POOL_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int b = c.i(0), n = c.i(1), d = c.i(2);
        long items = c.op() == Op.MEAN_POOL_FWD ? (long) b * d : (long) b * n * d;
        int wg = ctx.tuning().elementwiseLocal();
        return ctx.bound("wg" + wg, ctx.launch(c.op().kernelName(), ctx.args().signature(c), NdRange.of(items, wg)));
    }
}
