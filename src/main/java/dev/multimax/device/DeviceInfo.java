package dev.multimax.device;

/**
 * What {@code devices} shows for a device.
 *
 * @param backend            {@code JAVA} or {@code OPENCL}
 * @param platform           the OpenCL platform's name and version, or the JVM for {@code java:0}
 * @param type               {@code CPU}, {@code GPU} or {@code ACCELERATOR}
 * @param localMemoryBytes   OpenCL local memory per work-group (0 for java:0)
 * @param maxWorkGroupSize   OpenCL's largest work-group (0 for java:0)
 * @param languageVersion    the OpenCL C version kernels are built for ({@code -} for java:0)
 * @param details            anything else worth a glance (vector width, threads, max allocation)
 */
public record DeviceInfo(String id, String backend, String platform, String name, String type, int computeUnits,
                         long globalMemoryBytes, long localMemoryBytes, long maxWorkGroupSize,
                         String languageVersion, boolean fp64, boolean fp16, String details) {
}
