package dev.multimax.device.opencl;

import dev.multimax.device.DeviceInfo;

/**
 * Launch parameters per device type: data, not branches in binders (STYLE.md). Binders read these
 * and may add their own per-family fields here.
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
 *                         memory (GPU). Tests build a CPU device with a rowGroup to run the GPU
 *                         kernels on PoCL ({@link #withGpuKernels}).
 * @param attnVector       attention products: 8 = the float8 kernels (CPU: each item computes 8
 *                         consecutive outputs, or an 8-wide dot product); 1 = one scalar item per
 *                         output element (GPU: coalesced along the contiguous axis)
 * @param attnLocalX       attention products: work-group extent along the output's contiguous axis
 * @param attnLocalY       attention products: rows per work-group
 */
public record Tuning(String kind, int elementwiseLocal, int reduceRows, int rowLocal, int rowGroup,
                     int attnVector, int attnLocalX, int attnLocalY) {
    static final Tuning CPU = new Tuning("cpu", 256, 256, 64, 0, 8, 16, 4);
    static final Tuning GPU = new Tuning("gpu", 256, 256, 64, 64, 1, 32, 8);
    static final Tuning ACCELERATOR = new Tuning("accel", 128, 256, 64, 0, 8, 16, 4);

    public Tuning {
        if (rowGroup < 0 || Integer.bitCount(rowGroup) > 1) throw new IllegalArgumentException("rowGroup: 0 or a power of two");
    }

    /**
     * This tuning with the GPU kernels of the row ops (one work-group of {@code rowGroup} items per
     * row) and of attention (scalar, one item per element): tests run them on PoCL this way.
     */
    Tuning withGpuKernels(int rowGroup) {
        return new Tuning(kind, elementwiseLocal, reduceRows, rowLocal, rowGroup, 1, GPU.attnLocalX, GPU.attnLocalY);
    }

    static Tuning of(DeviceInfo info) {
        return switch (info.type()) {
            case "GPU" -> GPU;
            case "ACCELERATOR" -> ACCELERATOR;
            default -> CPU;
        };
    }
}
