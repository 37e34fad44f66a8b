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
 *                         kernels on PoCL ({@link #withRowGroup}).
 */
public record Tuning(String kind, int elementwiseLocal, int reduceRows, int rowLocal, int rowGroup) {
    static final Tuning CPU = new Tuning("cpu", 256, 256, 64, 0);
    static final Tuning GPU = new Tuning("gpu", 256, 256, 64, 64);
    static final Tuning ACCELERATOR = new Tuning("accel", 128, 256, 64, 0);

    public Tuning {
        if (rowGroup < 0 || Integer.bitCount(rowGroup) > 1) throw new IllegalArgumentException("rowGroup: 0 or a power of two");
    }

    /** This tuning with another {@link #rowGroup} (tests: the GPU row kernels on a CPU device). */
    Tuning withRowGroup(int wg) {
        return new Tuning(kind, elementwiseLocal, reduceRows, rowLocal, wg);
    }

    static Tuning of(DeviceInfo info) {
        return switch (info.type()) {
            case "GPU" -> GPU;
            case "ACCELERATOR" -> ACCELERATOR;
            default -> CPU;
        };
    }
}
