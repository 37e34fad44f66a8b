package dev.multimax.experiment;

import dev.multimax.device.Device;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.GraphProfile;
import dev.multimax.graph.ImmutableTaskGraph;
import dev.multimax.graph.ProfileSummary;
import dev.multimax.graph.ProfilerMode;
import dev.multimax.graph.TaskCheck;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The training-step graph that bench, profile and compare time: a model of one preset initialised
 * with a fixed seed, one batch of fixed-seed Gaussian pixels and random labels, AdamW at lr 1e-4.
 * Every instance built with the same preset and batch holds the same weights and data, so devices
 * are compared on identical work.
 */
public final class StepBench {
    /** Warm-up steps by default: on java:0 the JIT needs about this many before every vector kernel runs compiled. */
    public static final int DEFAULT_WARMUP = 15;

    private final VitStep step;
    private final ImmutableTaskGraph graph;
    private long lastProgress;

    public StepBench(VitConfig config, int batch) {
        this(config, batch, true);
    }

    /** {@code fused}: see {@link VitStep#VitStep(VitModel, int, boolean)}. */
    public StepBench(VitConfig config, int batch, boolean fused) {
        VitModel model = new VitModel(config);
        model.initialize(7);
        step = new VitStep(model, batch, fused);
        Random rng = new Random(3);
        float[] img = step.images().host();
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        for (int i = 0; i < batch; i++) step.labels().host()[i] = rng.nextInt(config.numClasses());
        step.valid().host()[0] = batch;
        step.schedule().host()[0] = 1e-4f;
        graph = step.trainGraph(OptimizerConfig.DEFAULT);
    }

    /** Tasks in the step graph. */
    public int tasks() {
        return graph.tasks().size();
    }

    /**
     * Executes the step {@code warmup} times, then {@code steps} times more, handing each of those
     * profiles to {@code each} and into the summary. Progress goes to stderr, labelled {@code label}.
     */
    public ProfileSummary run(Device dev, int warmup, int steps, String label, Consumer<GraphProfile> each) {
        ProfileSummary sum = new ProfileSummary();
        try (ExecutionPlan plan = new ExecutionPlan(graph).withDevice(dev).withProfiler(ProfilerMode.SILENT)) {
            for (int r = -warmup; r < steps; r++) {
                step.schedule().host()[1] = r + warmup + 1; // AdamW's step t, from 1
                GraphProfile p = plan.execute().profile().orElseThrow();
                if (r >= 0) {
                    sum.add(p);
                    each.accept(p);
                }
                progress(label, r, warmup, steps);
            }
        }
        return sum;
    }

    /** One bench's step: median wall time unprofiled (as training runs it), and its profiled executions. */
    public record Measured(double wallMs, ProfileSummary profile) {
        /** Wall time not spent in kernels: launches, copies, waits (unprofiled wall − profiled kernel time). */
        public double hostMs() {
            return wallMs - profile.kernelMs();
        }
    }

    /**
     * Each bench's step, round after round ({@code warmup} rounds first): in every round each step
     * executes once with the profiler off (its wall time: no task waits for its kernel, as in
     * training) and once profiled (kernel time per task), so that all numbers of a round share the
     * host's conditions. Results in the order of {@code benches}.
     */
    public static List<Measured> interleaved(Device dev, int warmup, int steps, List<StepBench> benches) {
        List<ExecutionPlan> plans = new ArrayList<>();
        double[][] ms = new double[benches.size()][steps];
        List<ProfileSummary> profiles = new ArrayList<>();
        try {
            for (StepBench b : benches) {
                plans.add(new ExecutionPlan(b.graph).withDevice(dev));
                profiles.add(new ProfileSummary());
            }
            for (int r = -warmup; r < steps; r++) {
                for (int i = 0; i < plans.size(); i++) {
                    ExecutionPlan plan = plans.get(i);
                    benches.get(i).step.schedule().host()[1] = r + warmup + 1;
                    long t0 = System.nanoTime();
                    plan.withProfiler(ProfilerMode.OFF).execute(); // ends reading the metrics back: every kernel has run
                    if (r >= 0) ms[i][r] = (System.nanoTime() - t0) / 1e6;
                    GraphProfile p = plan.withProfiler(ProfilerMode.SILENT).execute().profile().orElseThrow();
                    if (r >= 0) profiles.get(i).add(p);
                }
                benches.get(0).progress(dev.id() + " (" + benches.size() + " steps per round)", r, warmup, steps);
            }
        } finally {
            for (ExecutionPlan p : plans) p.close();
        }
        List<Measured> out = new ArrayList<>();
        for (int i = 0; i < benches.size(); i++) out.add(new Measured(ProfileSummary.median(ms[i]), profiles.get(i)));
        return out;
    }

    /**
     * Executes the step once more on {@code dev}, task by task against {@code reference} as well
     * ({@link ExecutionPlan#withCheck}); returns every task's comparison.
     */
    public List<TaskCheck> check(Device dev, Device reference) {
        try (ExecutionPlan plan = new ExecutionPlan(graph).withDevice(dev).withCheck(reference)) {
            return plan.execute().checks().orElseThrow();
        }
    }

    /** At most one line a second on stderr (overwritten in place on a terminal), and the last step always. */
    private void progress(String label, int r, int warmup, int steps) {
        long now = System.nanoTime();
        boolean last = r == steps - 1;
        if (!last && now - lastProgress < 1_000_000_000L) return;
        lastProgress = now;
        String line = r < 0 ? String.format("%s: warm-up step %d/%d", label, r + warmup + 1, warmup)
                : String.format("%s: profiled step %d/%d", label, r + 1, steps);
        if (System.console() != null) {
            System.err.print("\r" + String.format("%-50s", line) + (last ? "\n" : ""));
        } else {
            System.err.println(line);
        }
        System.err.flush();
    }
}
