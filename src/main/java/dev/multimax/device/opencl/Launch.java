package dev.multimax.device.opencl;

import org.jocl.cl_kernel;

/** One kernel with its arguments set, and the global/local sizes it is enqueued with. */
public record Launch(String kernelName, cl_kernel kernel, long[] global, long[] local) {
}
