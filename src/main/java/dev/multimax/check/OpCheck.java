package dev.multimax.check;

import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.OutputDiff;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.graph.ProfilerMode;
import dev.multimax.graph.TaskGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one {@link OpSample} on a device and on {@code ref:0}, each through a one-task graph on fresh
 * arrays ({@code out} slices NaN), and compares: every written slice within the op's tolerance,
 * every padding element and every input unchanged.
 */
public final class OpCheck {
    private final Device ref;

    /** Checks against {@code ref}, normally a {@link dev.multimax.device.ref.RefDevice}. */
    public OpCheck(Device ref) {
        this.ref = ref;
    }

    public CheckResult run(Device device, OpSample sample) {
        Op op = sample.op();
        List<DeviceArray> want = sample.arrays();
        run(ref, sample, want);
        List<DeviceArray> got = sample.arrays();
        String variant;
        try {
            variant = run(device, sample, got);
        } catch (RuntimeException e) {
            return CheckResult.of(device.id(), op, "-", sample.shape(), Double.NaN, Double.NaN, false,
                    "failed to run: " + e.getMessage());
        }
        double maxAbs = 0;
        double relL2 = 0;
        String failure = null;
        for (int k = 0; k < want.size(); k++) {
            Op.Buffer spec = op.buffers().get(k);
            int from = OpSample.offset(k);
            int n = got.get(k).length() - from - OpSample.PAD;
            String problem = spec.role().written() ? padding(got.get(k), want.get(k), from, n) : unchanged(got.get(k), want.get(k));
            if (problem != null && failure == null) failure = spec.name() + ": " + problem;
            if (!spec.role().written() || spec.isInt()) continue;
            float[] g = ((FloatArray) got.get(k)).host();
            float[] w = ((FloatArray) want.get(k)).host();
            OutputDiff d = OutputDiff.of(spec.name(), g, from, w, from, n, op.tolerance().of(spec.name()));
            maxAbs = Math.max(maxAbs, d.maxAbs());
            relL2 = Math.max(relL2, d.relL2());
            if (!d.ok() && failure == null) failure = d.describe();
        }
        return CheckResult.of(device.id(), op, variant, sample.shape(), maxAbs, relL2, failure == null,
                failure == null ? "" : failure);
    }

    /** Executes the sample's call on {@code device} over {@code arrays}; returns the kernel variant that ran. */
    private static String run(Device device, OpSample sample, List<DeviceArray> arrays) {
        DeviceArray[] all = arrays.toArray(new DeviceArray[0]);
        KernelCall call = sample.call(arrays);
        TaskGraph g = new TaskGraph("check")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, all)
                .task(sample.op().kernelName(), call)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, all);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device).withProfiler(ProfilerMode.SILENT)) {
            ExecutionResult r = plan.execute();
            return r.profile().orElseThrow().tasks().get(0).variant();
        }
    }

    /** Null when the elements around the slice are as the reference left them (untouched). */
    private static String padding(DeviceArray got, DeviceArray want, int from, int count) {
        for (int i = 0; i < got.length(); i++) {
            if (i >= from && i < from + count) continue;
            if (!sameElement(got, want, i)) return "element " + i + " outside the slice was overwritten";
        }
        return null;
    }

    /** Null when an input is bit-for-bit as before. */
    private static String unchanged(DeviceArray got, DeviceArray want) {
        if (got instanceof FloatArray g && want instanceof FloatArray w) {
            return Arrays.equals(g.host(), w.host()) ? null : "an input was modified";
        }
        return Arrays.equals(((IntArray) got).host(), ((IntArray) want).host()) ? null : "an input was modified";
    }

    private static boolean sameElement(DeviceArray got, DeviceArray want, int i) {
        if (got instanceof FloatArray g) {
            return Float.floatToRawIntBits(g.host()[i]) == Float.floatToRawIntBits(((FloatArray) want).host()[i]);
        }
        return ((IntArray) got).host()[i] == ((IntArray) want).host()[i];
    }

    /** Every sample of {@code ops} from {@code seed}, in catalog order. */
    public static List<OpSample> samples(List<Op> ops, long seed) {
        OpSamples gen = new OpSamples(seed);
        List<OpSample> all = new ArrayList<>();
        for (Op op : ops) all.addAll(gen.of(op));
        return all;
    }
}
