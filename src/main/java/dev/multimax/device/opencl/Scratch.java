package dev.multimax.device.opencl;

/**
 * A device buffer a compiled kernel owns for its own use (partials of a multi-pass reduction,
 * per-launch constants). Allocated at bind time, released with the kernel or the device; never
 * copied to or from the host. Contents do not persist in any promised way between launches.
 * {@code memory} is the backend's handle: a {@code cl_mem} or a CUDA device pointer.
 */
public record Scratch(String name, Object memory, long bytes) {
    @Override
    public String toString() {
        return "scratch " + name + " (" + bytes + " B)";
    }
}
