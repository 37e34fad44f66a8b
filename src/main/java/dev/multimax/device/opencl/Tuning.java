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
 */
public record Tuning(String kind, int elementwiseLocal, int reduceRows) {
    static final Tuning CPU = new Tuning("cpu", 256, 256);
    static final Tuning GPU = new Tuning("gpu", 256, 256);
    static final Tuning ACCELERATOR = new Tuning("accel", 128, 256);

    static Tuning of(DeviceInfo info) {
        return switch (info.type()) {
            case "GPU" -> GPU;
            case "ACCELERATOR" -> ACCELERATOR;
            default -> CPU;
        };
    }
}
