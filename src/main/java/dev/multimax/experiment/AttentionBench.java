package dev.multimax.experiment;

import dev.multimax.check.OpSample;
import dev.multimax.check.OpSamples;
import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.Op;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.GraphProfile;
import dev.multimax.graph.ProfileSummary;
import dev.multimax.graph.ProfilerMode;
import dev.multimax.graph.TaskGraph;
import dev.multimax.graph.TaskProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One attention layer's activation path (forward and backward, not the qkv/proj Linears) at a
 * model's shape, on one device, four ways: MultiMax and softmax, each fused (one task each way) and
 * unfused (scores, row activation, context). Inputs are {@link OpSamples}' (P consistent with S, S
 * away from σ's ranges), every array resident on the device; each path is its own graph, and the
 * four are executed interleaved, round after round, so that they share the host's conditions. Times
 * are kernel times (the device's timer), medians over the rounds.
 */
public final class AttentionBench {
    /** The four paths, in the order they are reported. */
    public static final List<String> PATHS = List.of("multimax fused", "softmax fused", "multimax unfused", "softmax unfused");

    /** Median forward and backward kernel ms of one layer, and the variant of each task. */
    public record Path(String name, double forwardMs, double backwardMs, List<String> variants) {
        public double totalMs() {
            return forwardMs + backwardMs;
        }
    }

    private final int[] bnhd;
    private final OpSamples samples = new OpSamples(11);

    /** The layer of shape (B, N, H, Dh). */
    public AttentionBench(int batch, int tokens, int heads, int headDim) {
        this.bnhd = new int[] {batch, tokens, heads, headDim};
    }

    /** Runs {@code rounds} rounds after {@code warmup} unmeasured ones; path name → result. */
    public Map<String, Path> run(Device dev, int warmup, int rounds) {
        List<TaskGraph> graphs = List.of(fused(Op.ATTN_MULTIMAX_FWD, Op.ATTN_MULTIMAX_BWD),
                fused(Op.ATTN_SOFTMAX_FWD, Op.ATTN_SOFTMAX_BWD),
                unfused(Op.MULTIMAX_FWD, Op.MULTIMAX_BWD), unfused(Op.SOFTMAX_FWD, Op.SOFTMAX_BWD));
        List<ExecutionPlan> plans = new ArrayList<>();
        List<List<GraphProfile>> profiles = new ArrayList<>();
        try {
            for (TaskGraph g : graphs) {
                plans.add(new ExecutionPlan(g.snapshot()).withDevice(dev).withProfiler(ProfilerMode.SILENT));
                profiles.add(new ArrayList<>());
            }
            for (int r = 0; r < warmup + rounds; r++) {
                for (int i = 0; i < plans.size(); i++) {
                    GraphProfile p = plans.get(i).execute().profile().orElseThrow();
                    if (r >= warmup) profiles.get(i).add(p);
                }
            }
        } finally {
            for (ExecutionPlan p : plans) p.close();
        }
        Map<String, Path> out = new LinkedHashMap<>();
        for (int i = 0; i < PATHS.size(); i++) out.put(PATHS.get(i), summarize(PATHS.get(i), profiles.get(i)));
        return out;
    }

    private static Path summarize(String name, List<GraphProfile> runs) {
        double[] fwd = new double[runs.size()];
        double[] bwd = new double[runs.size()];
        List<String> variants = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            for (TaskProfile t : runs.get(r).tasks()) {
                double ms = t.kernelNanos() / 1e6;
                if (t.id().endsWith("_fwd")) fwd[r] += ms;
                else bwd[r] += ms;
                if (r == 0) variants.add(t.kernel() + " " + t.variant());
            }
        }
        return new Path(name, ProfileSummary.median(fwd), ProfileSummary.median(bwd), variants);
    }

    /** The fused pair on one sample each: forward, then backward. */
    private TaskGraph fused(Op fwd, Op bwd) {
        TaskGraph g = new TaskGraph("attention");
        add(g, samples.atShape(fwd, bnhd));
        add(g, samples.atShape(bwd, bnhd));
        return g;
    }

    /** scores, the activation's rows, context; then context, rows, scores backward. */
    private TaskGraph unfused(Op rowFwd, Op rowBwd) {
        int rows = bnhd[0] * bnhd[2] * bnhd[1];
        int[] rc = {rows, bnhd[1]};
        TaskGraph g = new TaskGraph("attention");
        add(g, samples.atShape(Op.ATTN_SCORES_FWD, bnhd));
        add(g, samples.atShape(rowFwd, rc));
        add(g, samples.atShape(Op.ATTN_CONTEXT_FWD, bnhd));
        add(g, samples.atShape(Op.ATTN_CONTEXT_BWD, bnhd));
        add(g, samples.atShape(rowBwd, rc));
        add(g, samples.atShape(Op.ATTN_SCORES_BWD, bnhd));
        return g;
    }

    /** The sample's arrays go to the device once; its task is named after the op. */
    private static void add(TaskGraph g, OpSample s) {
        List<DeviceArray> arrays = s.arrays();
        g.transferToDevice(DataTransferMode.FIRST_EXECUTION, arrays.toArray(new DeviceArray[0]));
        g.task(s.op().kernelName(), s.call(arrays));
    }
}
