package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/attention.cl: the four attention products, one work-item per output element (each element
 * written once, no atomics). The context backward is two launches: dP, then the v part of dqkv.
 * One variant on every device type for now (no local-memory tiles of Q/K/V yet).
 */
final class AttentionBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.ATTN_SCORES_FWD, Op.ATTN_SCORES_BWD, Op.ATTN_CONTEXT_FWD, Op.ATTN_CONTEXT_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        long b = c.i(0), n = c.i(1), h = c.i(2), dh = c.i(3);
        long scores = b * h * n * n;
        long heads = b * n * h * dh;
        int wg = ctx.tuning().elementwiseLocal();
        String detail = "item-per-output wg" + wg;
        return switch (c.op()) {
            case ATTN_SCORES_FWD -> ctx.bound(detail,
                    ctx.launch("attn_scores_fwd", ctx.args().signature(c), NdRange.of(scores, wg)));
            case ATTN_SCORES_BWD -> ctx.bound(detail,
                    ctx.launch("attn_scores_bwd", ctx.args().signature(c), NdRange.of(2 * heads, wg)));
            case ATTN_CONTEXT_FWD -> ctx.bound(detail,
                    ctx.launch("attn_context_fwd", ctx.args().signature(c), NdRange.of(heads, wg)));
            case ATTN_CONTEXT_BWD -> {
                // buffers: dP, dqkv, dO, P, qkv
                Launch dp = ctx.launch("attn_context_bwd_dp",
                        ctx.args().buffer(c.buffer(0)).buffer(c.buffer(2)).buffer(c.buffer(4)).ints(c), NdRange.of(scores, wg));
                Launch dv = ctx.launch("attn_context_bwd_dv",
                        ctx.args().buffer(c.buffer(1)).buffer(c.buffer(2)).buffer(c.buffer(3)).ints(c), NdRange.of(heads, wg));
                yield ctx.bound("dp+dv " + detail, dp, dv);
            }
            default -> throw new IllegalArgumentException(c.op().toString());
        };
    }
}
