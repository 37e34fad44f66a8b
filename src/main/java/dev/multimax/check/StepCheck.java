package dev.multimax.check;

import dev.multimax.device.Device;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.graph.TaskCheck;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.ParamLayout;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import dev.multimax.nn.Activation;
import java.util.List;
import java.util.Random;

/**
 * A whole training step (forward, loss, backward, non-finite check, AdamW) of a model on a device,
 * against {@code ref:0}, two ways:
 * <ul>
 *   <li><b>task by task</b>: the step runs with {@link ExecutionPlan#withCheck}, so every task is
 *   compared within its op's tolerance from the device's own inputs; a failure names the task;</li>
 *   <li><b>end to end</b>: the same step from the same model and batch on each device alone; the
 *   loss within 1e-5 relative, every gradient and every updated parameter tensor within relative L2
 *   5e-3 (rounding differences grow through the layers, and σ's kinks can turn them into a
 *   different slope for one score). Not MultiMax's ranges and ts: their
 *   gradients are sums over every attention score of terms of both signs that nearly cancel, so
 *   their relative error end to end is the upstream layers' rounding divided by a near-zero total
 *   (2.7e-3 was seen on java:0, whose kernels are right); the task-by-task check covers them, each
 *   parameter sum against ref:0 from the device's own inputs.</li>
 * </ul>
 * The model is random and far from its initialisation ({@link #randomModel}), so every path carries signal. AdamW's eps is 1e-6 here: at step 1 the update is
 * g/(|g| + eps), so with 1e-8 a gradient within rounding noise of 0 would flip a whole lr-sized step.
 */
public final class StepCheck {
    private static final OptimizerConfig OPT = new OptimizerConfig(0.9f, 0.999f, 1e-6f, 0.05f);
    static final double LOSS_REL = 1e-5;
    /**
     * Rounding differences grow through the layers, and a score within rounding of one of σ's ranges
     * takes the other slope on one device: 1.4e-4 seen at depth 4 in 25 runs, 1.2e-3 once in about 60.
     */
    static final double TENSOR_REL_L2 = 5e-3;


    private StepCheck() {
    }

    /** 8×8 images, patch 4 (4 tokens), D 8, 2 heads, depth 2, MLP 16, 3 classes, MultiMax attention and head. */
    public static VitConfig tiny() {
        return new VitConfig(8, 4, 1, 3, 8, 2, 2, 2.0, true, Activation.MULTIMAX, Activation.MULTIMAX, 1e-6);
    }

    /**
     * Parameters far from init, every MultiMax piece active: std 0.5 at D = 8, shrinking as 1/√D
     * beyond so that scores keep the tiny model's size (their fp32 softmax error grows with them),
     * norm weights about 1.
     */
    public static VitModel randomModel(VitConfig c, long seed) {
        VitModel m = new VitModel(c);
        Random rng = new Random(seed);
        float[] p = m.params().host();
        double std = 0.5 * Math.min(1, Math.sqrt(8.0 / c.embedDim()));
        for (ParamLayout.Param prm : m.layout().params()) {
            for (int i = 0; i < prm.size(); i++) {
                double v = rng.nextGaussian() * std;
                if (prm.name().endsWith("norm1.weight") || prm.name().endsWith("norm2.weight")
                        || prm.name().equals("norm.weight")) {
                    v = 1 + 0.2 * rng.nextGaussian();
                }
                if (prm.name().endsWith("ranges")) v = new double[] {-0.5, 0.5, -1.0, 1.0}[i] + 0.2 * rng.nextGaussian();
                if (prm.name().endsWith("ts")) v = 0.3 * rng.nextGaussian();
                p[prm.offset() + i] = (float) v;
            }
        }
        return m;
    }

    /** Fills the step's batch with standard-normal images and random labels; all rows valid. */
    public static void randomBatch(VitStep step, long seed) {
        Random rng = new Random(seed);
        float[] img = step.images().host();
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        for (int i = 0; i < step.batch(); i++) step.labels().host()[i] = rng.nextInt(step.model().config().numClasses());
        step.valid().host()[0] = step.batch();
    }

    /** The fused step ({@link #run(CheckTarget, Device, String, VitConfig, int, long, boolean)}). */
    public static List<CheckResult> run(CheckTarget target, Device ref, String name, VitConfig config, int batch, long seed) {
        return run(target, ref, name, config, batch, seed, true);
    }

    /**
     * The two rows (task by task, end to end) of {@code name}'s step at {@code batch} on {@code target},
     * with the fused or the unfused ops. End to end, the reference runs the unfused step whatever the
     * device runs, so a fused step is compared with the op-by-op composition it replaces.
     */
    public static List<CheckResult> run(CheckTarget target, Device ref, String name, VitConfig config, int batch, long seed,
                                        boolean fused) {
        String shape = name + " batch=" + batch;
        Outcome onRef = step(ref, null, config, batch, seed, false);
        Outcome onDevice;
        try {
            onDevice = step(target.device(), ref, config, batch, seed, fused);
        } catch (RuntimeException e) {
            CheckResult failed = new CheckResult(target.label(), "step", "step", "-", shape, Double.NaN, Double.NaN,
                    "per task", false, "failed to run: " + e.getMessage());
            return List.of(failed);
        }
        return List.of(perTask(target.label(), shape, onDevice.checks()), endToEnd(target.label(), shape, onDevice, onRef,
                new VitModel(config).layout()));
    }

    private record Outcome(float loss, float correct, float[] grads, float[] params, List<TaskCheck> checks) {
    }

    private static Outcome step(Device device, Device checkAgainst, VitConfig config, int batch, long seed, boolean fused) {
        VitModel model = randomModel(config, seed);
        VitStep step = new VitStep(model, batch, fused);
        randomBatch(step, seed + 1);
        step.schedule().host()[0] = 1e-3f;
        step.schedule().host()[1] = 1;
        try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OPT)).withDevice(device).withCheck(checkAgainst)) {
            ExecutionResult r = plan.execute();
            r.transferToHost(step.grads(), model.params());
            return new Outcome(step.metrics().host()[0], step.metrics().host()[1], step.grads().host().clone(),
                    model.params().host().clone(), r.checks().orElse(List.of()));
        }
    }

    private static CheckResult perTask(String label, String shape, List<TaskCheck> checks) {
        double maxAbs = 0;
        double relL2 = 0;
        TaskCheck failed = null;
        for (TaskCheck c : checks) {
            for (var d : c.outputs()) {
                maxAbs = Math.max(maxAbs, d.maxAbs());
                relL2 = Math.max(relL2, d.relL2());
            }
            if (!c.ok() && failed == null) failed = c;
        }
        String detail = failed == null ? checks.size() + " tasks within their tolerances"
                : "first task off: " + failed.taskId() + " (" + failed.variant() + "): " + failed.worst().describe();
        return new CheckResult(label, "step", "step", "per task", shape, maxAbs, relL2, "each op's", failed == null, detail);
    }

    private static CheckResult endToEnd(String label, String shape, Outcome got, Outcome want, ParamLayout layout) {
        String failure = null;
        double lossErr = Math.abs(got.loss() - want.loss());
        if (!(lossErr <= LOSS_REL * Math.abs(want.loss()) + 1e-6)) {
            failure = "loss " + got.loss() + " vs " + want.loss();
        } else if (got.correct() != want.correct()) {
            failure = "#correct " + got.correct() + " vs " + want.correct();
        }
        double worst = 0;
        for (ParamLayout.Param p : layout.params()) {
            double g = relL2(got.grads(), want.grads(), p);
            double w = relL2(got.params(), want.params(), p);
            if (!p.name().endsWith("ranges") && !p.name().endsWith("ts")) worst = Math.max(worst, Math.max(g, w));
            if (p.name().endsWith("ranges") || p.name().endsWith("ts")) continue; // see the class comment
            if (failure == null && !(g <= TENSOR_REL_L2)) failure = "gradient of " + p.name() + ": rel L2 " + g;
            if (failure == null && !(w <= TENSOR_REL_L2)) failure = p.name() + " after the update: rel L2 " + w;
        }
        return new CheckResult(label, "step", "step", "end to end", shape, lossErr, worst,
                "loss 1e-5, L2 5e-3", failure == null, failure == null ? "" : failure);
    }

    /** ‖a − b‖ / ‖b‖ over one parameter tensor (‖b‖ floored at 1e-12). */
    private static double relL2(float[] a, float[] b, ParamLayout.Param p) {
        double diff = 0;
        double norm = 0;
        for (int i = p.offset(); i < p.offset() + p.size(); i++) {
            diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
            norm += (double) b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    }
}
