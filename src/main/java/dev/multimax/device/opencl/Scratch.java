package dev.multimax.device.opencl;

import org.jocl.cl_mem;

/**
 * A device buffer a compiled kernel owns for its own use (partials of a multi-pass reduction,
 * per-launch constants). Allocated at bind time, released with the kernel or the device; never
 * copied to or from the host. Contents do not persist in any promised way between launches.
 */
public record Scratch(String name, cl_mem mem, long bytes) {
    @Override
    public String toString() {
        return "scratch " + name + " (" + bytes + " B)";
    }
}
