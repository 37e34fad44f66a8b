package dev.multimax.device.opencl;

/**
 * One kernel with its arguments set, and the global/local sizes it is launched with. The handle is
 * the backend's: an OpenCL {@code cl_kernel}, or a CUDA function with its parameter array.
 */
public record Launch(String kernelName, Object handle, long[] global, long[] local) {
}
