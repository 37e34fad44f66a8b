package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * tasks/multimax.cl: MultiMax forward/backward and the modulator σ alone. Row kernels follow
 * {@link SoftmaxBinder.Rows} (one item or one work-group per row). The backwards reduce the 8
 * parameter sums deterministically, without atomics: pass 1 writes 8 sums per row (or per
 * {@link #CHUNK} elements of the modulator) to a scratch R; pass 2 sums each {@link #GROUP} entries
 * of R in order (skipped when R has at most GROUP entries); pass 3 sums the chunks in order and
 * applies the chain-rule factors into dparams.
 */
final class MultiMaxBinder implements OpBinder {
    /** Elements per pass-1 item of modulate_bwd. */
    static final int CHUNK = 64;
    /** Entries of R per pass-2 item. */
    static final int GROUP = 64;

    @Override
    public Set<Op> ops() {
        return Set.of(Op.MULTIMAX_FWD, Op.MULTIMAX_BWD, Op.MODULATE_FWD, Op.MODULATE_BWD);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        int local = ctx.tuning().rowLocal();
        String sizes = "-DCHUNK=" + CHUNK + " -DGROUP=" + GROUP;
        switch (c.op()) {
            case MULTIMAX_FWD -> {
                SoftmaxBinder.Rows rows = SoftmaxBinder.Rows.of(ctx, c.i(0));
                return ctx.bound(rows.detail(), ctx.launch("multimax_fwd" + rows.suffix(), rows.options() + " " + sizes,
                        ctx.args().signature(c), rows.range()));
            }
            case MODULATE_FWD -> {
                int wg = ctx.tuning().elementwiseLocal();
                return ctx.bound("wg" + wg, ctx.launch("modulate_fwd", sizes, ctx.args().signature(c), NdRange.of(c.i(0), wg)));
            }
            case MULTIMAX_BWD -> {
                // buffers: dS, dparams, dP, P, S, params
                int n = c.i(0);
                SoftmaxBinder.Rows rows = SoftmaxBinder.Rows.of(ctx, n);
                String opts = rows.options() + " " + sizes;
                Scratch r = ctx.scratch("multimax row sums (" + n + "×8)", (long) n * 8 * Float.BYTES);
                List<Launch> launches = new ArrayList<>();
                launches.add(ctx.launch("multimax_bwd_rows" + rows.suffix(), opts, ctx.args().buffer(c.buffer(0)).buffer(r)
                        .buffers(c, 2, 6).ints(c), rows.range()));
                String tree = reduce(ctx, c, opts, r, n, c.buffer(5), launches);
                return ctx.bound(rows.detail() + " " + tree, launches.toArray(new Launch[0]));
            }
            case MODULATE_BWD -> {
                // buffers: dX, dparams, dY, X, params
                int n = c.i(0);
                int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
                Scratch r = ctx.scratch("modulate chunk sums (" + chunks + "×8)", (long) chunks * 8 * Float.BYTES);
                List<Launch> launches = new ArrayList<>();
                launches.add(ctx.launch("modulate_bwd_chunks", sizes, ctx.args().buffer(c.buffer(0)).buffer(r)
                        .buffers(c, 2, 5).ints(c), NdRange.of(chunks, local)));
                String tree = reduce(ctx, c, sizes, r, chunks, c.buffer(4), launches);
                return ctx.bound("chunk" + CHUNK + " wg" + local + " " + tree, launches.toArray(new Launch[0]));
            }
            default -> throw new IllegalArgumentException(c.op().toString());
        }
    }

    /**
     * Passes 2 (when count > GROUP) and 3 of the parameter sums (sigma.cl), from R(count, 8) into the
     * call's buffer 1 (dparams); {@code opts} builds the program holding the pass-1 kernel. Also the
     * fused attention's (AttentionBinder).
     */
    static String reduce(BindContext ctx, KernelCall c, String opts, Scratch r, int count,
                                 dev.multimax.device.Slice params, List<Launch> launches) {
        Scratch q = r;
        int chunks = count;
        String tree = "3pass group" + GROUP;
        if (count > GROUP) {
            chunks = (count + GROUP - 1) / GROUP;
            q = ctx.scratch("parameter partials (" + chunks + "×8)", (long) chunks * 8 * Float.BYTES);
            launches.add(ctx.launch("params_partial", opts, ctx.args().buffer(q).buffer(r).i(count),
                    NdRange.of((long) chunks * 8, ctx.tuning().rowLocal())));
        } else {
            tree = "2pass";
        }
        launches.add(ctx.launch("params_finish", opts, ctx.args().buffer(c.buffer(1)).buffer(q).buffer(params).i(chunks),
                NdRange.of(8, 8)));
        return tree;
    }
}
