package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * tasks/matmul.cl: C(M,N) (+)= op(A)·op(B), in the variant {@link Tuning#matmul()} names; matmul_bias
 * (C = A·Bᵀ + bias) is the same kernels built with -DBIAS, the bias added as C is stored.
 *
 * <ul>
 *   <li>{@code reg} (CPU): {@code matmul_reg}, one work-item per {@code tileM}×32 block of C in
 *       registers. op(B) is read in place when it is B itself with N a multiple of 32 (and not of 256); otherwise
 *       {@code pack_b_panels} first copies it into zero-padded 32-column panels in a scratch buffer
 *       (K·32·ceil(N/32) floats). Variant e.g. {@code cpu/reg 8x32 wg(4,4) packB}.</li>
 *   <li>{@code local} (GPU): {@code matmul_tiled}, local-memory tiles, one launch. Variant e.g.
 *       {@code gpu/local 64x64x16 micro 4x4 wg(16,16)}.</li>
 * </ul>
 */
final class MatmulBinder implements OpBinder {
    private static final int PANEL = 32;
    private static final int ALIASING_STRIDE = 256;

    @Override
    public Set<Op> ops() {
        return Set.of(Op.MATMUL, Op.MATMUL_BIAS);
    }

    @Override
    public Bound bind(BindContext ctx, KernelCall c) {
        Tuning.MatmulTiles t = ctx.tuning().matmul();
        return switch (t.name()) {
            case "reg" -> registerBlocked(ctx, c, t);
            case "local" -> localTiles(ctx, c, t);
            default -> throw new IllegalStateException("unknown matmul variant " + t.name());
        };
    }

    private static boolean withBias(KernelCall c) {
        return c.op() == Op.MATMUL_BIAS;
    }

    private static Bound registerBlocked(BindContext ctx, KernelCall c, Tuning.MatmulTiles t) {
        int m = c.i(0), n = c.i(1), k = c.i(2);
        boolean bias = withBias(c);
        // matmul_bias is A·Bᵀ, never accumulating
        boolean transA = !bias && c.i(3) != 0, transB = bias || c.i(4) != 0, acc = !bias && c.i(5) != 0;
        if (t.tileN() != PANEL) throw new IllegalStateException("matmul_reg computes 32 columns per item, not " + t.tileN());
        String opts = "-DTM=" + t.tileM() + (bias ? " -DBIAS" : "");
        long colTiles = Math.max(1, (n + PANEL - 1) / PANEL);
        long rowTiles = Math.max(1, (m + t.tileM() - 1) / t.tileM());
        // split K when there are few blocks of C and K is long (weight gradients): chunks of at most kChunk;
        // never with a bias (the forward's shapes have many blocks of C, and the sum pass would need it)
        int chunks = 1, kc = Math.max(k, 1);
        if (!bias && t.kChunk() > 0 && k > t.kChunk() && colTiles * rowTiles < t.splitBelowItems()) {
            chunks = (k + t.kChunk() - 1) / t.kChunk();
            kc = (k + chunks - 1) / chunks;
            chunks = (k + kc - 1) / kc;  // every chunk non-empty
        }
        // shrink the group (larger dimension first) until there are enough groups to share out
        int lx = t.localX(), ly = t.localY();
        while (lx * ly > 1 && groups(colTiles, lx) * groups(rowTiles, ly) * chunks < t.minGroups()) {
            if (lx >= ly) lx = Math.max(1, lx / 2);
            else ly = Math.max(1, ly / 2);
        }
        NdRange range = new NdRange(new long[] {colTiles, rowTiles, chunks}, new long[] {lx, ly, 1}, false);
        String detail = "reg " + t.tileM() + "x" + PANEL + " wg(" + lx + "," + ly + ")" + (chunks > 1 ? " splitK" + chunks : "");
        // B is read in place when it already is 32-column panels of stride N, except when N is a multiple of
        // 256 floats: rows 1 KiB-multiples apart fall into few L1 sets (1024³: 140 → 190 GFLOP/s packed)
        boolean direct = !transB && n % PANEL == 0 && n % ALIASING_STRIDE != 0;
        List<Launch> launches = new ArrayList<>();
        // B as matmul_reg reads it: (buffer, bPanel, bRow)
        Consumer<KernelArgs> bufferB;
        int bPanel, bRow;
        if (direct) {
            // panel q of B itself starts at column 32q; rows are N apart
            bufferB = a -> a.buffer(c.buffer(2));
            bPanel = PANEL;
            bRow = n;
        } else {
            int panels = (n + PANEL - 1) / PANEL;
            Scratch packed = ctx.scratch("B panels (" + panels + "×" + k + "×" + PANEL + ")", (long) panels * PANEL * k * Float.BYTES);
            launches.add(ctx.launch("pack_b_panels", opts,
                    ctx.args().buffer(packed).buffer(c.buffer(2)).i(n).i(k).i(transB ? 1 : 0),
                    NdRange.of((long) panels * PANEL, k, PANEL, 8)));
            bufferB = a -> a.buffer(packed);
            bPanel = PANEL * k;
            bRow = PANEL;
            detail += " packB";
        }
        KernelArgs args = ctx.args();
        Scratch partial = null;
        if (chunks == 1) {
            args.buffer(c.buffer(0));
        } else {
            partial = ctx.scratch("K-chunk partials (" + chunks + "×" + m + "×" + n + ")", (long) chunks * m * n * Float.BYTES);
            args.buffer(partial);
        }
        args.buffer(c.buffer(1));
        bufferB.accept(args);
        args.i(m).i(n).i(k).i(transA ? 1 : 0).i(acc && chunks == 1 ? 1 : 0).i(bPanel).i(bRow).i(kc);
        if (bias) {
            args.buffer(c.buffer(3));
            detail += " +bias";
        }
        launches.add(ctx.launch("matmul_reg", opts, args, range));
        if (partial != null) {
            launches.add(ctx.launch("matmul_sum_chunks", opts, ctx.args().buffer(c.buffer(0)).buffer(partial).i(m * n).i(chunks)
                    .i(acc ? 1 : 0), NdRange.of((long) m * n, ctx.tuning().elementwiseLocal())));
        }
        return ctx.bound(detail, launches.toArray(new Launch[0]));
    }

    private static long groups(long items, int local) {
        return (items + local - 1) / local;
    }

    private static Bound localTiles(BindContext ctx, KernelCall c, Tuning.MatmulTiles t) {
        int m = c.i(0), n = c.i(1);
        int lx = t.localX(), ly = t.localY();
        if (t.tileM() % ly != 0 || t.tileN() % lx != 0) {
            throw new IllegalStateException("matmul tile " + t.tileM() + "x" + t.tileN() + " is not a multiple of wg(" + lx + "," + ly + ")");
        }
        boolean bias = withBias(c);
        String opts = "-DBM=" + t.tileM() + " -DBN=" + t.tileN() + " -DTK=" + t.tileK() + " -DLX=" + lx + " -DLY=" + ly
                + (bias ? " -DBIAS" : "");
        NdRange range = new NdRange(new long[] {groups(n, t.tileN()) * lx, groups(m, t.tileM()) * ly},
                new long[] {lx, ly}, true);
        // matmul_bias: (C, A, B, M, N, K) as A·Bᵀ without accumulating, then the bias
        KernelArgs args = bias ? ctx.args().buffers(c, 0, 3).ints(c).i(0).i(1).i(0).buffer(c.buffer(3)) : ctx.args().signature(c);
        return ctx.bound("local " + t.tileM() + "x" + t.tileN() + "x" + t.tileK() + " micro " + t.tileM() / ly + "x"
                        + t.tileN() / lx + " wg(" + lx + "," + ly + ")" + (bias ? " +bias" : ""),
                ctx.launch("matmul_tiled", opts, args, range));
    }
}
