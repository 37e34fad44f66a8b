package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.ArrayList;
import java.util.List;
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
        return Set.of(Op.ATTN_SCORES_FWD, Op.ATTN_SCORES_BWD, Op.ATTN_CONTEXT_FWD, Op.ATTN_CONTEXT_BWD,
                Op.ATTN_MULTIMAX_FWD, Op.ATTN_MULTIMAX_BWD, Op.ATTN_SOFTMAX_FWD, Op.ATTN_SOFTMAX_BWD);
    }

    private static boolean fused(Op op) {
        return op == Op.ATTN_MULTIMAX_FWD || op == Op.ATTN_MULTIMAX_BWD || op == Op.ATTN_SOFTMAX_FWD
                || op == Op.ATTN_SOFTMAX_BWD;
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        long b = c.i(0), n = c.i(1), h = c.i(2), dh = c.i(3);
        Tuning t = ctx.tuning();
        int lx = t.attnLocalX(), ly = t.attnLocalY();
        if (fused(c.op())) return t.attnVector() > 1 ? bindFusedTiled(ctx, c, t, b * h, n, dh) : bindFusedRows(ctx, c, t, b * h * n);
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

    /**
     * The CPU kernels' grid: G ≤ attnItems items, each taking heads g, g + G, …; G a multiple of the
     * work-group (padding items take no head); Np = N rounded up to 2·AVW (Kᵀ/Vᵀ rows in the scratch).
     */
    private record Tiles(int vector, int rows, long items, int group, long np) {
        static Tiles of(Tuning t, long heads, long n) {
            long g = Math.min(heads, t.attnItems());
            int wg = (int) Math.max(1, Math.min(t.attnLocalX(), Integer.highestOneBit((int) g)));
            int vw = t.attnVector();
            return new Tiles(vw, t.attnRows(), (g + wg - 1) / wg * wg, wg, (n + 2L * vw - 1) / (2L * vw) * (2L * vw));
        }

        String options() {
            return "-DAVW=" + vector + " -DRB=" + rows;
        }

        NdRange range() {
            return NdRange.of(items, group);
        }

        String detail() {
            return "tile " + rows + "x2float" + vector + " items" + items + " wg" + group;
        }
    }

    /** The CPU variant: G ≤ attnItems items, each taking every G-th head; S and dP read Kᵀ / Vᵀ from the item's scratch slot. */
    private static Bound bindTiled(BindContext ctx, KernelCall c, Tuning t, long heads, long n, long dh) {
        Tiles tiles = Tiles.of(t, heads, n);
        long g = tiles.items(), np = tiles.np();
        String options = tiles.options();
        NdRange range = tiles.range();
        String detail = tiles.detail();
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

    /** The fused ops on CPUs: the tiled items of {@link #bindTiled}, each slot holding Kᵀ/Vᵀ and the head's dP/dS. */
    private static Bound bindFusedTiled(BindContext ctx, KernelCall c, Tuning t, long heads, long n, long dh) {
        Tiles tiles = Tiles.of(t, heads, n);
        long g = tiles.items(), np = tiles.np();
        String options = tiles.options();
        NdRange range = tiles.range();
        String detail = "fused " + tiles.detail();
        Scratch slots = ctx.scratch("Kᵀ/Vᵀ and dP per item (" + g + "×(" + dh + "×" + np + " + " + n + "×" + n + "))",
                g * (dh * np + n * n) * Float.BYTES);
        return switch (c.op()) {
            case ATTN_MULTIMAX_FWD -> ctx.bound(detail, ctx.launch("attn_multimax_fwd_tile", options,
                    ctx.args().signature(c).buffer(slots), range));
            case ATTN_SOFTMAX_FWD -> ctx.bound(detail, ctx.launch("attn_softmax_fwd_tile", options,
                    ctx.args().signature(c).buffer(slots), range));
            case ATTN_SOFTMAX_BWD -> ctx.bound(detail, ctx.launch("attn_softmax_bwd_tile", options,
                    ctx.args().signature(c).buffer(slots), range));
            case ATTN_MULTIMAX_BWD -> {
                // buffers: dqkv, dparams, dO, P, S, qkv, params; σ's sums per head into R, then sigma.cl's passes 2-3
                Scratch r = ctx.scratch("σ sums per head (" + heads + "×8)", heads * 8 * Float.BYTES);
                List<Launch> launches = new ArrayList<>();
                launches.add(ctx.launch("attn_multimax_bwd_tile", options, ctx.args().buffer(c.buffer(0)).buffers(c, 2, 7)
                        .ints(c).floats(c).buffer(slots).buffer(r), range));
                String tree = MultiMaxBinder.reduce(ctx, c, options, r, (int) heads, c.buffer(6), launches);
                yield ctx.bound(detail + " " + tree, launches.toArray(new Launch[0]));
            }
            default -> throw new IllegalArgumentException(c.op().toString());
        };
    }

    /** The fused ops on GPUs: one item per query row; the backward adds one item per key row for dK and dV. */
    private static Bound bindFusedRows(BindContext ctx, KernelCall c, Tuning t, long rows) {
        int wg = t.rowLocal();
        NdRange range = NdRange.of(rows, wg);
        String detail = "fused item-per-row wg" + wg;
        return switch (c.op()) {
            case ATTN_MULTIMAX_FWD -> ctx.bound(detail, ctx.launch("attn_multimax_fwd", ctx.args().signature(c), range));
            case ATTN_SOFTMAX_FWD -> ctx.bound(detail, ctx.launch("attn_softmax_fwd", ctx.args().signature(c), range));
            case ATTN_MULTIMAX_BWD, ATTN_SOFTMAX_BWD -> {
                // buffers: dqkv, [dparams], dO, P, [S], qkv, [params]
                boolean mm = c.op() == Op.ATTN_MULTIMAX_BWD;
                int dO = mm ? 2 : 1, p = dO + 1, qkv = mm ? 5 : 3;
                Scratch ds = ctx.scratch("dS (" + rows + "×" + c.i(1) + ")", rows * c.i(1) * Float.BYTES);
                Scratch r = mm ? ctx.scratch("σ sums per row (" + rows + "×8)", rows * 8 * Float.BYTES) : null;
                List<Launch> launches = new ArrayList<>();
                launches.add(mm
                        ? ctx.launch("attn_multimax_bwd_rows", ctx.args().buffer(c.buffer(0)).buffers(c, 2, 7).ints(c).floats(c)
                                .buffer(ds).buffer(r), range)
                        : ctx.launch("attn_softmax_bwd_rows", ctx.args().signature(c).buffer(ds), range));
                launches.add(ctx.launch("attn_fused_bwd_kv", ctx.args().buffer(c.buffer(0)).buffer(ds).buffer(c.buffer(dO))
                        .buffer(c.buffer(p)).buffer(c.buffer(qkv)).ints(c).floats(c), range));
                String tree = mm ? " " + MultiMaxBinder.reduce(ctx, c, "", r, (int) rows, c.buffer(6), launches) : "";
                yield ctx.bound(detail + " rows+kv" + tree, launches.toArray(new Launch[0]));
            }
            default -> throw new IllegalArgumentException(c.op().toString());
        };
    }
}
