package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/loss.cl: cross-entropy as two launches, {@code cross_entropy_rows} (one item per row:
 * gradient, and the row's loss and argmax hit into scratch) then {@code cross_entropy_sum} (one
 * item: metrics summed in row order). Per-row losses are doubles when the device has fp64 and the
 * tuning allows it. One variant for every device type: K (the classes) is small. NLL_PROBS (loss on
 * probabilities) is the same pair with {@code nll_probs_rows} as the first launch.
 */
final class LossBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.CROSS_ENTROPY, Op.NLL_PROBS);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int b = c.i(0), k = c.i(1);
        boolean fp64 = ctx.tuning().fp64() && ctx.info().fp64();
        String opts = fp64 ? "-DMM_FP64" : "";
        int wg = ctx.tuning().elementwiseLocal();
        Scratch loss = ctx.scratch("row losses (" + b + ")", (long) b * (fp64 ? Double.BYTES : Float.BYTES));
        Scratch hits = ctx.scratch("row hits (" + b + ")", (long) b * Integer.BYTES);
        // dLogits, metrics, logits, labels, valid
        String rowKernel = c.op() == Op.NLL_PROBS ? "nll_probs_rows" : "cross_entropy_rows";
        Launch rows = ctx.launch(rowKernel, opts,
                ctx.args().buffer(c.buffer(0)).buffers(c, 2, 5).i(b).i(k).buffer(loss).buffer(hits), NdRange.of(b, wg));
        Launch sum = ctx.launch("cross_entropy_sum", opts,
                ctx.args().buffer(c.buffer(1)).buffer(loss).buffer(hits).i(b), NdRange.of(1, 1));
        return ctx.bound((fp64 ? "fp64" : "fp32") + " rows wg" + wg + ", 1-item sum", rows, sum);
    }
}
