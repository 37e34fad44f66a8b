package dev.multimax.graph;

import dev.multimax.device.Op;
import dev.multimax.device.OutputDiff;
import java.util.List;

/**
 * One task of a checked execution ({@link ExecutionPlan#withCheck}): its outputs on the device
 * against the reference device's, computed from the same inputs (the device's own, read just before
 * the task ran), each within the op's tolerance or not.
 */
public record TaskCheck(String taskId, Op op, String variant, List<OutputDiff> outputs) {
    public boolean ok() {
        return outputs.stream().allMatch(OutputDiff::ok);
    }

    /** The first output outside its tolerance, else the one with the largest relative L2 error. */
    public OutputDiff worst() {
        return outputs.stream().filter(d -> !d.ok()).findFirst()
                .orElse(outputs.stream().max(java.util.Comparator.comparingDouble(OutputDiff::relL2)).orElse(null));
    }
}
