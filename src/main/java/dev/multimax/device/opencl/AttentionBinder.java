package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/attention.cl: the four attention products, one work-item per output element (each element
 * written once, no atomics). The context backward is two launches: dP, then the v part of dqkv.
 * Variants ({@link Tuning#attnVector()}): float8 kernels on CPUs, scalar one-item-per-element
 * kernels on GPUs (coalesced; no local-memory tiles of Q/K/V yet).
 */
final class AttentionBinder implements OpBinder {
    @Override
    public Set<Op> ops() {
        return Set.of(Op.ATTN_SCORES_FWD, Op.ATTN_SCORES_BWD, Op.ATTN_CONTEXT_FWD, Op.ATTN_CONTEXT_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        long b = c.i(0), n = c.i(1), h = c.i(2), dh = c.i(3);
        Tuning t = ctx.tuning();
        int lx = t.attnLocalX(), ly = t.attnLocalY();
        boolean vec = t.attnVector() > 1;
        String suffix = vec ? "_vec" : "";
        // (contiguous output axis, rows): N-wide outputs (S, dP); Dh-wide ones (O, dQ/dK, dV), whose
        // axes hold blocks of 8 in the vector variant (the group keeps its size: fewer x, more y)
        long dx = vec ? (dh + 7) / 8 : dh;
        int hx = (int) Math.max(1, Math.min(lx, Integer.highestOneBit((int) dx)));
        int hy = ly * lx / hx;
        long sx = vec ? (n + 7) / 8 : n;
        int sxl = (int) Math.max(1, Math.min(lx, Integer.highestOneBit((int) sx)));
        NdRange scores = NdRange.of(sx, b * h * n, sxl, ly * lx / sxl);
        NdRange heads = NdRange.of(dx, b * n * h, hx, hy);
        String detail = (vec ? "float8" : "item-per-output") + " wg" + lx + "x" + ly;
        return switch (c.op()) {
            case ATTN_SCORES_FWD -> ctx.bound(detail, ctx.launch("attn_scores_fwd" + suffix, ctx.args().signature(c), scores));
            case ATTN_SCORES_BWD -> ctx.bound(detail, ctx.launch("attn_scores_bwd" + suffix, ctx.args().signature(c),
                    NdRange.of(dx, b * n * 2 * h, hx, hy)));
            case ATTN_CONTEXT_FWD -> ctx.bound(detail, ctx.launch("attn_context_fwd" + suffix, ctx.args().signature(c), heads));
            case ATTN_CONTEXT_BWD -> {
                // buffers: dP, dqkv, dO, P, qkv
                Launch dp = ctx.launch("attn_context_bwd_dp" + suffix,
                        ctx.args().buffer(c.buffer(0)).buffer(c.buffer(2)).buffer(c.buffer(4)).ints(c), scores);
                Launch dv = ctx.launch("attn_context_bwd_dv" + suffix,
                        ctx.args().buffer(c.buffer(1)).buffer(c.buffer(2)).buffer(c.buffer(3)).ints(c), heads);
                yield ctx.bound("dp+dv " + detail, dp, dv);
            }
            default -> throw new IllegalArgumentException(c.op().toString());
        };
    }
}
