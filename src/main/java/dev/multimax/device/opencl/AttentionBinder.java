package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * tasks/attention.cl: the four attention products, each output element written once, no atomics.
 * Variants ({@link Tuning#attnVector()}): on CPUs one work-item per (b, h) head, register-tiled
 * (RB rows × 2 vectors of float8/float16, fused multiply-adds; Kᵀ and Vᵀ through a per-head scratch
 * copy per item), the context backward one launch; on GPUs one scalar item per output element (coalesced;
 * no local-memory tiles of Q/K/V yet), the context backward two launches (dP, then the v part of dqkv).
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
        if (t.attnVector() > 1) return bindTiled(ctx, c, t, b * h, n, dh);
        // GPU: (contiguous output axis, rows), N-wide outputs (S, dP) and Dh-wide ones (O, dQ/dK, dV)
        int hx = (int) Math.max(1, Math.min(lx, Integer.highestOneBit((int) dh)));
        int hy = ly * lx / hx;
        int sxl = (int) Math.max(1, Math.min(lx, Integer.highestOneBit((int) n)));
        NdRange scores = NdRange.of(n, b * h * n, sxl, ly * lx / sxl);
        NdRange heads = NdRange.of(dh, b * n * h, hx, hy);
        String detail = "item-per-output wg" + lx + "x" + ly;
        return switch (c.op()) {
            case ATTN_SCORES_FWD -> ctx.bound(detail, ctx.launch("attn_scores_fwd", ctx.args().signature(c), scores));
            case ATTN_SCORES_BWD -> ctx.bound(detail, ctx.launch("attn_scores_bwd", ctx.args().signature(c),
                    NdRange.of(dh, b * n * 2 * h, hx, hy)));
            case ATTN_CONTEXT_FWD -> ctx.bound(detail, ctx.launch("attn_context_fwd", ctx.args().signature(c), heads));
            case ATTN_CONTEXT_BWD -> {
                // buffers: dP, dqkv, dO, P, qkv
                Launch dp = ctx.launch("attn_context_bwd_dp",
                        ctx.args().buffer(c.buffer(0)).buffer(c.buffer(2)).buffer(c.buffer(4)).ints(c), scores);
                Launch dv = ctx.launch("attn_context_bwd_dv",
                        ctx.args().buffer(c.buffer(1)).buffer(c.buffer(2)).buffer(c.buffer(3)).ints(c), heads);
                yield ctx.bound("dp+dv " + detail, dp, dv);
            }
            default -> throw new IllegalArgumentException(c.op().toString());
        };
    }

    /** The CPU variant: G ≤ attnItems items, each taking every G-th head; S and dP read Kᵀ / Vᵀ from the item's scratch slot. */
    private static Bound bindTiled(BindContext ctx, KernelCall c, Tuning t, long heads, long n, long dh) {
        int vw = t.attnVector(), rows = t.attnRows(), group = t.attnLocalX(), items = t.attnItems();
        String options = "-DAVW=" + vw + " -DRB=" + rows;
        // G items, each taking heads g, g + G, …; G a multiple of the group (padding items take no head)
        long g = Math.min(heads, items);
        int wg = (int) Math.max(1, Math.min(group, Integer.highestOneBit((int) g)));
        g = (g + wg - 1) / wg * wg;
        NdRange range = NdRange.of(g, wg);
        String detail = "tile " + rows + "x2float" + vw + " items" + g + " wg" + wg;
        long np = (n + 2L * vw - 1) / (2L * vw) * (2L * vw);
        return switch (c.op()) {
            case ATTN_SCORES_FWD -> {
                Scratch kt = ctx.scratch("Kᵀ per item (" + g + "×" + dh + "×" + np + ")", g * dh * np * Float.BYTES);
                yield ctx.bound(detail, ctx.launch("attn_scores_fwd_tile", options, ctx.args().signature(c).buffer(kt), range));
            }
            case ATTN_SCORES_BWD -> ctx.bound(detail, ctx.launch("attn_scores_bwd_tile", options, ctx.args().signature(c), range));
            case ATTN_CONTEXT_FWD -> ctx.bound(detail, ctx.launch("attn_context_fwd_tile", options, ctx.args().signature(c), range));
            case ATTN_CONTEXT_BWD -> {
                Scratch vt = ctx.scratch("Vᵀ per item (" + g + "×" + dh + "×" + np + ")", g * dh * np * Float.BYTES);
                yield ctx.bound(detail, ctx.launch("attn_context_bwd_tile", options, ctx.args().signature(c).buffer(vt), range));
            }
            default -> throw new IllegalArgumentException(c.op().toString());
        };
    }
}
