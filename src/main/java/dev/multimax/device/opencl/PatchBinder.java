package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/** tasks/patch.cl: patchify and the positional embedding, one item per output element. */
final class PatchBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.PATCHIFY, Op.POS_EMBED_FWD, Op.POS_EMBED_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int[] n = c.ints();
        long items = switch (c.op()) {
            case PATCHIFY -> (long) n[0] * (n[2] / n[4]) * (n[3] / n[4]) * n[1] * n[4] * n[4];
            case POS_EMBED_FWD -> (long) n[0] * n[1] * n[2];
            case POS_EMBED_BWD -> (long) n[1] * n[2];
            default -> throw new IllegalArgumentException(c.op().toString());
        };
        int wg = ctx.tuning().elementwiseLocal();
        return ctx.bound("wg" + wg, ctx.launch(c.op().kernelName(), ctx.args().signature(c), NdRange.of(items, wg)));
    }
}
