package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/check.cl: the non-finite check as two launches, {@code nonfinite_chunks} (one item per
 * {@value #CHUNK} gradient elements: the chunk's first bad index into scratch) then
 * {@code nonfinite_status} (one item: the smallest of those, its tensor, or the loss). One variant
 * for every device type.
 */
final class CheckBinder implements OpBinder {
    static final int CHUNK = 1024;

    @Override
    public Set<Op> ops() {
        return Set.of(Op.NONFINITE_CHECK);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int tensors = c.i(0);
        int n = c.i(1);
        int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
        int wg = ctx.tuning().elementwiseLocal();
        String opts = "-DCHUNK=" + CHUNK;
        Scratch first = ctx.scratch("first bad per chunk (" + chunks + ")", (long) chunks * Integer.BYTES);
        // status, loss, grads, ranges
        Launch scan = ctx.launch("nonfinite_chunks", opts,
                ctx.args().buffer(c.buffer(2)).buffer(c.buffer(3)).i(tensors).i(n).buffer(first), NdRange.of(chunks, wg));
        Launch status = ctx.launch("nonfinite_status", opts,
                ctx.args().buffers(c, 0, 2).buffer(c.buffer(3)).i(tensors).i(n).buffer(first), NdRange.of(1, 1));
        return ctx.bound("chunks" + CHUNK + " wg" + wg + ", 1-item min", scan, status);
    }
}
