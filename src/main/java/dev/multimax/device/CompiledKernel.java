package dev.multimax.device;

/** A kernel bound to its arguments on one device, ready to launch many times. */
public interface CompiledKernel {
    /** Which implementation runs, with its tuning (for profiles), e.g. {@code java-vector-512}. */
    String variant();

    /** Time the device's compiler took to build this kernel (0 when nothing was built). */
    long compileNanos();

    /**
     * Runs the kernel to completion. Returns its time in nanoseconds when {@code timed}, else 0.
     * For the Java device the time is wall time around the kernel body.
     */
    long launch(boolean timed);
}
