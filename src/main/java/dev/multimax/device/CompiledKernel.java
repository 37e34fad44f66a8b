package dev.multimax.device;

/** A kernel bound to its arguments on one device, ready to launch many times. */
public interface CompiledKernel {
    /** Which implementation runs, with its tuning (for profiles), e.g. {@code java-vector-512}. */
    String variant();

    /** Time the device's compiler took to build this kernel (0 when nothing was built, e.g. a cache hit). */
    long compileNanos();

    /**
     * Runs the kernel. When {@code timed}, waits for it to finish and returns its times; otherwise
     * returns {@link KernelTime#NONE} and may return before the kernel has run: devices with a queue
     * (OpenCL) only enqueue it. Their queue is in order, so later launches and copies see its
     * results, and a copy to the host ({@link Device#copyOut}) blocks until everything before it
     * has finished. The Java device always runs the kernel to completion.
     */
    KernelTime launch(boolean timed);

    /** Releases what the kernel holds on the device (kernel objects, scratch buffers); idempotent. */
    default void release() {
    }
}
