package dev.multimax.graph;

import dev.multimax.device.KernelCall;

/**
 * The work of one kernel call, from its op and int arguments: what profiles divide by kernel time
 * to print GFLOP/s and GB/s.
 * <ul>
 *   <li>{@code flops}: 2 per multiply-add of the op's products, counted only for ops whose cost is
 *   arithmetic (matmul, attention products); 0 for the rest, which are bound by memory traffic and
 *   whose few operations per element would make a GFLOP/s figure meaningless.</li>
 *   <li>{@code bytes}: the least traffic the op needs: every input read once, every output written
 *   once (read too when it accumulates), 4 bytes per float or int element. Caches may hold some of
 *   it, so GB/s above the memory bandwidth is possible on small shapes.</li>
 * </ul>
 */
public record OpCost(long flops, long bytes) {
    private static final long F = 4; // bytes per float32 / int32 element

    /** Arithmetic-bound: report GFLOP/s (otherwise GB/s). */
    public boolean computeBound() {
        return flops > 0;
    }

    public OpCost plus(OpCost o) {
        return new OpCost(flops + o.flops, bytes + o.bytes);
    }

    public static OpCost of(KernelCall c) {
        long[] a = new long[c.ints().length]; // the int arguments, widened so that products cannot overflow
        for (int i = 0; i < a.length; i++) a[i] = c.i(i);
        return switch (c.op()) {
            case MATMUL -> matmul(a[0], a[1], a[2], a[5] != 0);
            case BIAS_ADD_FWD -> memory(2 * a[0] * a[1] + a[1]);                 // Y(M,N) read and written, b(N)
            case BIAS_ADD_BWD -> memory(a[0] * a[1] + a[1]);                     // dY in, db out
            case RESIDUAL_ADD -> memory(3 * a[0]);
            case LAYERNORM_FWD -> memory(2 * a[0] * a[1] + 2 * a[1] + 2 * a[0]);  // X, Y; w, b; mean, rstd
            case LAYERNORM_BWD -> memory(3 * a[0] * a[1] + 3 * a[1] + 2 * a[0]);  // dY, X, dX; w, dw, db; mean, rstd
            case GELU_FWD -> memory(2 * a[0]);
            case GELU_BWD -> memory(3 * a[0]);
            case SOFTMAX_FWD -> memory(2 * a[0] * a[1]);
            case SOFTMAX_BWD -> memory(3 * a[0] * a[1]);
            case MULTIMAX_FWD -> memory(2 * a[0] * a[1] + 8);                    // S, P; params
            case MULTIMAX_BWD -> memory(4 * a[0] * a[1] + 16);                   // dP, P, S, dS; params, dparams
            case MODULATE_FWD -> memory(2 * a[0] + 8);
            case MODULATE_BWD -> memory(3 * a[0] + 16);
            case ATTN_SCORES_FWD -> attention(a, 1, 1, 2);      // S = Q·Kᵀ: reads Q, K, writes S
            case ATTN_SCORES_BWD -> attention(a, 2, 1, 4);      // dQ = dS·K, dK = dSᵀ·Q: reads dS, Q, K, writes dQ, dK
            case ATTN_CONTEXT_FWD -> attention(a, 1, 1, 2);     // O = P·V: reads P, V, writes O
            case ATTN_CONTEXT_BWD -> attention(a, 2, 2, 3);     // dP = dO·Vᵀ, dV = Pᵀ·dO: reads P, dO, V, writes dP, dV
            case PATCHIFY -> memory(2 * a[0] * a[1] * a[2] * a[3]);             // every pixel read once, written once
            case POS_EMBED_FWD -> memory(2 * a[0] * a[1] * a[2] + a[1] * a[2]);  // X(B,N,D) read and written, pos(N,D)
            case POS_EMBED_BWD -> memory(a[0] * a[1] * a[2] + a[1] * a[2]);      // dX in, dpos out
            case MEAN_POOL_FWD, MEAN_POOL_BWD -> memory(a[0] * a[1] * a[2] + a[0] * a[2]);  // (B,N,D) and (B,D)
            case CROSS_ENTROPY -> memory(2 * a[0] * a[1] + a[0] + 3);            // logits, dLogits; labels; valid, metrics
            case NONFINITE_CHECK -> memory(a[1] + a[0] + 4);                     // grads; ranges; loss, status
            case ADAMW -> memory(7 * a[0] + 3);                                  // params, grads, m, v in; params, m, v out; status
            case SOFTMAX_T_FWD, SPARSEMAX_FWD, ENTMAX15_FWD, EVSOFTMAX_FWD -> memory(2 * a[0] * a[1]);  // S in, P out
            case SOFTMAX_T_BWD, SPARSEMAX_BWD, ENTMAX15_BWD -> memory(3 * a[0] * a[1]);               // dP, P in, dS out
            case NLL_PROBS -> memory(2 * a[0] * a[1] + a[0] + 3);               // P, dP; labels; valid, metrics
        };
    }

    /** C(M,N) = A(M,K)·B(K,N): 2·M·N·K flops; A, B read, C written (and read when accumulating). */
    private static OpCost matmul(long m, long n, long k, boolean accumulate) {
        return new OpCost(2 * m * n * k, F * (m * k + k * n + (accumulate ? 2 : 1) * m * n));
    }

    /**
     * Attention products over (B, H) heads of N tokens and Dh channels: {@code products} N×N×Dh
     * products (2·B·H·N²·Dh flops each), {@code scores} (B,H,N,N) matrices and {@code heads}
     * (B,N,H·Dh) tensors moved.
     */
    private static OpCost attention(long[] bnhd, int products, int scores, int heads) {
        long b = bnhd[0];
        long n = bnhd[1];
        long h = bnhd[2];
        long dh = bnhd[3];
        return new OpCost(products * 2 * b * h * n * n * dh, F * (scores * b * h * n * n + heads * b * n * h * dh));
    }

    private static OpCost memory(long elements) {
        return new OpCost(0, F * elements);
    }
}
