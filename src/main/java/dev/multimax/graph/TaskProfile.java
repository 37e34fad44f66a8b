package dev.multimax.graph;

import dev.multimax.device.OpCost;

/**
 * One task of one execution: kernel time (OpenCL: event start→end summed over the op's launches;
 * Java: wall time around the kernel body), queued→end time (OpenCL: first launch queued → last
 * launch ended; Java: the same wall time), on the execution that built it the driver's compile
 * time, and the work the call does ({@link OpCost}, from its op and shape), so that summaries can
 * print GFLOP/s and GB/s.
 */
public record TaskProfile(String id, String kernel, String family, String variant, long kernelNanos,
                          long queuedToEndNanos, long compileNanos, OpCost cost) {
}
