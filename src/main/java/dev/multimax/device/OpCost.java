package dev.multimax.device;

/**
 * The work of one kernel call, from its op and int arguments ({@link Op#cost}): what profiles
 * divide by kernel time to print GFLOP/s and GB/s.
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
        return c.op().cost(a);
    }

    /** C(M,N) = A(M,K)·B(K,N): 2·M·N·K flops; A, B read, C written (and read when accumulating). */
    static OpCost matmul(long m, long n, long k, boolean accumulate) {
        return new OpCost(2 * m * n * k, F * (m * k + k * n + (accumulate ? 2 : 1) * m * n));
    }

    /**
     * Attention products over (B, H) heads of N tokens and Dh channels: {@code products} N×N×Dh
     * products (2·B·H·N²·Dh flops each), {@code scores} (B,H,N,N) matrices and {@code heads}
     * (B,N,H·Dh) tensors moved.
     */
    static OpCost attention(long[] bnhd, int products, int scores, int heads) {
        long b = bnhd[0];
        long n = bnhd[1];
        long h = bnhd[2];
        long dh = bnhd[3];
        return new OpCost(products * 2 * b * h * n * n * dh, F * (scores * b * h * n * n + heads * b * n * h * dh));
    }

    /** Memory-bound work moving {@code elements} 4-byte elements. */
    static OpCost memory(long elements) {
        return new OpCost(0, F * elements);
    }
}
