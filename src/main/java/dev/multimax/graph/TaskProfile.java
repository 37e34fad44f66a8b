package dev.multimax.graph;

/**
 * One task of one execution: kernel time (OpenCL: event start→end; Java: wall time around the
 * kernel body) and, on the execution that built it, the driver's compile time.
 */
public record TaskProfile(String id, String kernel, String family, String variant, long kernelNanos,
                          long compileNanos) {
}
