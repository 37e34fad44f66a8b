package dev.multimax.device.opencl;

import dev.multimax.device.DeviceInfo;
import dev.multimax.util.UserError;

/**
 * Launch parameters per device type: data, not branches in binders (STYLE.md). Binders read these
 * and may add their own per-family fields here.
 *
 * <p>The table is picked by the device's type; {@code -Dmultimax.opencl.tuning=cpu|gpu|accel}
 * overrides that for every OpenCL device of the process (e.g. to run the GPU kernels on PoCL), and
 * tests open a device with a given table through {@code OpenClDevice.open(id, tuning)}, since CI
 * has no GPU.
 *
 * @param kind             {@code cpu}, {@code gpu} or {@code accel}: first word of every variant string
 * @param elementwiseLocal work-group size of one-item-per-element kernels (PoCL runs a work-group as
 *                         a loop it vectorises, so large groups are cheap; GPUs like 256)
 * @param reduceRows       rows summed by one work-item in the first pass of a column reduction;
 *                         equal to the Java device's chunk (LinearKernels.ROW_CHUNK) so the sums
 *                         are added in the same order as on java:0
 * @param rowLocal         work-group size of one-item-per-row kernels (softmax, MultiMax rows,
 *                         modulator chunks): rows of the real model number ~19k, so 64 keeps
 *                         enough groups for every core
 * @param rowGroup         0: one work-item per row, plain loops, no local memory (CPU); a power of
 *                         two WG: one work-group of WG items per row, reductions by a tree in local
 *                         memory (GPU): softmax, MultiMax and LayerNorm rows
 * @param fp64             accumulate row sums in double where the device has cl_khr_fp64 (false
 *                         skips it, e.g. on GPUs with slow fp64; tests use it to run the float path)
 * @param attnVector       attention products: 8 or 16 = the register-tiled CPU kernels, one item per
 *                         (b, h) head, blocks of {@code attnRows} rows × 2 vectors of this many
 *                         floats; 1 = one scalar item per output element (GPU: coalesced along the
 *                         contiguous axis)
 * @param attnLocalX       attention products: work-group extent along the output's contiguous axis
 *                         (the tiled CPU kernels: heads per work-group)
 * @param attnLocalY       attention products: rows per work-group (unused by the tiled kernels)
 * @param attnRows         the tiled CPU kernels: rows of the register block (RB)
 * @param attnItems        the tiled CPU kernels: at most this many work-items, each taking every
 *                         attnItems-th head (its Kᵀ/Vᵀ scratch slot reused, so it stays in cache)
 * @param elementVector    element-wise kernels with vector variants (GELU): elements per item, 16 =
 *                         the float16 kernels (CPU: PoCL leaves exp() scalar unless it is spelled
 *                         on vectors), 1 = one item per element
 * @param matmul           the matmul variant (tasks/matmul.cl)
 */
public record Tuning(String kind, int elementwiseLocal, int reduceRows, int rowLocal, int rowGroup, boolean fp64,
                     int attnVector, int attnLocalX, int attnLocalY, int attnRows, int attnItems, int elementVector,
                     MatmulTiles matmul) {
    /** System property that forces one table for every OpenCL device. */
    public static final String PROPERTY = "multimax.opencl.tuning";

    /**
     * Matmul variant. {@code reg}: one work-item per {@code tileM × tileN} block of C held in registers
     * (tileN = 32: two float16), no local memory, groups of {@code localX × localY} items, shrunk by the
     * binder while there are fewer than {@code minGroups} groups. {@code local}: work-groups of
     * {@code localX × localY} compute {@code tileM × tileN} tiles through {@code tileK}-deep tiles in local
     * memory, each item a {@code tileM/localY × tileN/localX} micro-tile. {@code reg} splits K into chunks
     * of at most {@code kChunk} (partials in scratch, then an in-order sum) when C has fewer than
     * {@code splitBelowItems} blocks (0: never).
     */
    public record MatmulTiles(String name, int tileM, int tileN, int tileK, int localX, int localY, int minGroups,
                              int kChunk, int splitBelowItems) {
    }

    static final Tuning CPU = new Tuning("cpu", 256, 256, 64, 0, true, 16, 2, 1, 4, 64, 16,
            new MatmulTiles("reg", 8, 32, 0, 4, 4, 32, 512, 512));
    static final Tuning GPU = new Tuning("gpu", 256, 256, 64, 64, true, 1, 32, 8, 4, 64, 1,
            new MatmulTiles("local", 64, 64, 16, 16, 16, 0, 0, 0));
    static final Tuning ACCELERATOR = new Tuning("accel", 128, 256, 64, 0, true, 16, 2, 1, 4, 64, 16,
            new MatmulTiles("local", 32, 32, 16, 8, 8, 0, 0, 0));

    public Tuning {
        if (rowGroup < 0 || Integer.bitCount(rowGroup) > 1) throw new IllegalArgumentException("rowGroup: 0 or a power of two");
    }

    /** The same tuning with another kind, row group and fp64 choice (test overrides). */
    Tuning with(String kind, int rowGroup, boolean fp64) {
        return new Tuning(kind, elementwiseLocal, reduceRows, rowLocal, rowGroup, fp64, attnVector, attnLocalX,
                attnLocalY, attnRows, attnItems, elementVector, matmul);
    }

    /**
     * This tuning with the GPU kernels of the row ops (one work-group of {@code rowGroup} items per
     * row), of attention and of GELU (scalar, one item per element): tests run them on PoCL this way.
     */
    Tuning withGpuKernels(int rowGroup) {
        return new Tuning(kind, elementwiseLocal, reduceRows, rowLocal, rowGroup, fp64, 1, GPU.attnLocalX,
                GPU.attnLocalY, attnRows, attnItems, 1, matmul);
    }

    static Tuning of(DeviceInfo info) {
        String forced = System.getProperty(PROPERTY, "").strip();
        if (!forced.isEmpty()) return named(forced);
        return switch (info.type()) {
            case "GPU" -> GPU;
            case "ACCELERATOR" -> ACCELERATOR;
            default -> CPU;
        };
    }

    /** The table called {@code kind} ({@code cpu}, {@code gpu}, {@code accel}). */
    public static Tuning named(String kind) {
        return switch (kind) {
            case "cpu" -> CPU;
            case "gpu" -> GPU;
            case "accel" -> ACCELERATOR;
            default -> throw new UserError("-D" + PROPERTY + "=" + kind + ": expected cpu, gpu or accel");
        };
    }
}
