package dev.multimax.device;

/**
 * The device SPI: memory for {@link DeviceArray}s, kernels JIT-compiled per task, launches.
 *
 * <p>Buffers are keyed by array identity and stay resident until freed or the device closes, so
 * weights and activations live on the device across executions. A device that cannot build or
 * run a kernel throws {@link KernelException} naming the kernel, the device and the reason; there
 * is no fallback to another device.
 */
public interface Device extends AutoCloseable {
    /** Like {@code java:0} or {@code opencl:0:1}. */
    String id();

    DeviceInfo info();

    /** Allocates the device buffer of {@code array} unless present; returns the bytes newly allocated. */
    long allocate(DeviceArray array);

    boolean isAllocated(DeviceArray array);

    /** Host → device copy of the whole array (allocating first if needed). */
    void copyIn(DeviceArray array);

    /** Device → host copy of the whole array. */
    void copyOut(DeviceArray array);

    void free(DeviceArray array);

    /** Compiles one task's kernel for this device; all its buffers must be allocated. */
    CompiledKernel compile(String taskName, KernelCall call);

    @Override
    void close();
}
