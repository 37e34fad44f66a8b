package dev.multimax.device.opencl;

/**
 * The index space of one launch: {@code work} items per dimension (the real extent; kernels guard
 * against it) and the preferred work-group size. PoCL has no non-uniform work-groups, so the global
 * size is {@code work} rounded up to a multiple of the local size, and kernels see padding items.
 *
 * <p>Unless {@code exact}, the launch may shrink the local size (halving the largest dimension) to
 * fit the kernel's CL_KERNEL_WORK_GROUP_SIZE. Kernels that size local-memory tiles from the
 * work-group must say {@code exact}: the launch then fails instead of shrinking.
 */
public record NdRange(long[] work, long[] local, boolean exact) {
    public NdRange {
        if (work.length != local.length || work.length < 1 || work.length > 3) {
            throw new IllegalArgumentException("1-3 dimensions, work and local of equal rank");
        }
        work = work.clone();
        local = local.clone();
        for (int d = 0; d < work.length; d++) {
            if (local[d] < 1) throw new IllegalArgumentException("local size must be >= 1");
            // an empty range still launches one (guarded) group: keeps launches uniform
            if (work[d] < 1) work[d] = 1;
        }
    }

    /** {@code n} items in one dimension, groups of {@code local}. */
    public static NdRange of(long n, int local) {
        return new NdRange(new long[] {n}, new long[] {local}, false);
    }

    /** {@code x × y} items, groups of {@code lx × ly} (x varies fastest: make it the contiguous axis). */
    public static NdRange of(long x, long y, int lx, int ly) {
        return new NdRange(new long[] {x, y}, new long[] {lx, ly}, false);
    }

    /** The same range with local sizes that must not change. */
    public NdRange exactly() {
        return new NdRange(work, local, true);
    }

    public long[] global(long[] localUsed) {
        long[] g = new long[work.length];
        for (int d = 0; d < g.length; d++) g[d] = (work[d] + localUsed[d] - 1) / localUsed[d] * localUsed[d];
        return g;
    }

    /** Local sizes that fit {@code maxGroup} items; null when exact and they do not. */
    public long[] fitLocal(long maxGroup) {
        long[] l = local.clone();
        while (product(l) > maxGroup) {
            if (exact) return null;
            int big = 0;
            for (int d = 1; d < l.length; d++) if (l[d] > l[big]) big = d;
            l[big] = Math.max(1, l[big] / 2);
        }
        return l;
    }

    static long product(long[] a) {
        long p = 1;
        for (long v : a) p *= v;
        return p;
    }
}
