package dev.multimax.device;

/**
 * How long one launch of a task's kernel(s) took, in nanoseconds.
 *
 * <p>{@code startToEndNanos}: time the device spent executing (OpenCL: event START→END, summed over
 * the op's launches). {@code queuedToEndNanos}: from the first launch being queued to the last one
 * finishing (OpenCL: QUEUED of the first event → END of the last), so it adds queueing and the gaps
 * between an op's launches. The Java device reports its wall time for both.
 */
public record KernelTime(long startToEndNanos, long queuedToEndNanos) {
    /** What an untimed launch returns. */
    public static final KernelTime NONE = new KernelTime(0, 0);

    /** The same value for both (devices without a queue). */
    public static KernelTime of(long nanos) {
        return new KernelTime(nanos, nanos);
    }
}
