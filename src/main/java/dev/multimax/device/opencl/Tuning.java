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
 * @param rowGroup         work-items per row in row-reduction kernels (LayerNorm's statistics):
 *                         1 = one item per row, no local memory (PoCL vectorises across rows);
 *                         a power of two > 1 = one work-group per row summing through local memory
 * @param fp64             accumulate row sums in double where the device has cl_khr_fp64 (false
 *                         skips it, e.g. on GPUs with slow fp64; tests use it to run the float path)
 */
public record Tuning(String kind, int elementwiseLocal, int reduceRows, int rowGroup, boolean fp64) {
    static final Tuning CPU = new Tuning("cpu", 256, 256, 1, true);
    static final Tuning GPU = new Tuning("gpu", 256, 256, 128, true);
    static final Tuning ACCELERATOR = new Tuning("accel", 128, 256, 1, true);

    public Tuning {
        if (rowGroup < 1 || Integer.bitCount(rowGroup) != 1) throw new IllegalArgumentException("rowGroup must be a power of two");
    }

    /** The same tuning with another kind, row group and fp64 choice (test overrides, see OpenClDevice). */
    Tuning with(String kind, int rowGroup, boolean fp64) {
        return new Tuning(kind, elementwiseLocal, reduceRows, rowGroup, fp64);
    }

    static Tuning of(DeviceInfo info) {
        return switch (info.type()) {
            case "GPU" -> GPU;
            case "ACCELERATOR" -> ACCELERATOR;
            default -> CPU;
        };
    }
}
