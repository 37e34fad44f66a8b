package dev.multimax.train;

import dev.multimax.data.Batcher;
import dev.multimax.data.MeanStd;
import dev.multimax.data.TrainTest;
import dev.multimax.device.Device;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import dev.multimax.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop. One plan holds two graphs: the training step (graph 0) and the evaluation
 * pass (graph 1), which share weights and activations on the device. Per step the host only fills
 * the batch and writes (lr, t); per epoch it evaluates on the test set. Weights come back to the
 * host only for the final checkpoint.
 */
public final class Trainer {
    /** Exit code when the loss stops being finite. */
    public static final int NON_FINITE = 3;

    private final VitModel model;
    private final TrainTest data;
    private final MeanStd norm;
    private final Device device;
    private final TrainOptions options;
    private final TrainingListener listener;
    private NonFiniteGuard.Mode onNonFinite = NonFiniteGuard.Mode.STOP;

    public Trainer(VitModel model, TrainTest data, MeanStd norm, Device device, TrainOptions options,
                   TrainingListener listener) {
        this.model = model;
        this.data = data;
        this.norm = norm;
        this.device = device;
        this.options = options;
        this.listener = listener;
    }

    /**
     * What to do when the loss or a gradient is not finite (default {@link NonFiniteGuard.Mode#STOP}).
     * Either way AdamW does not apply that step's update; see {@link NonFiniteGuard}.
     */
    public Trainer onNonFinite(NonFiniteGuard.Mode mode) {
        this.onNonFinite = mode;
        return this;
    }

    /** The outcome: per-epoch stats and the final test accuracy. */
    public record Result(List<TrainingListener.EpochStats> epochs, double testAccuracy) {
    }

    /** Trains, then writes the final weights to {@code checkpoint}. */
    public Result run(Path checkpoint) {
        Batcher batcher = new Batcher(data.train(), options.batch(), options.seed());
        int perEpoch = batcher.batchesPerEpoch();
        int total = perEpoch * options.epochs();
        LrSchedule lr = new LrSchedule(options.lr(), options.minLr(), Math.min(options.warmupSteps(), total), total);
        VitStep step = new VitStep(model, options.batch());
        NonFiniteGuard.Injection inject = NonFiniteGuard.Injection.fromProperty();
        if (inject != null) {
            try {
                step.injectNaNInto(inject.tensor());
            } catch (IllegalArgumentException e) {
                throw new UserError("-D" + NonFiniteGuard.INJECT_PROPERTY + ": " + e.getMessage());
            }
        }
        NonFiniteGuard guard = new NonFiniteGuard(onNonFinite, step.checkedTensors());
        List<TrainingListener.EpochStats> stats = new ArrayList<>();
        float mean = (float) norm.mean();
        float std = (float) norm.std();
        try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(options.optimizer()), step.evalGraph(false))
                .withDevice(device)) {
            listener.onStart(total, perEpoch);
            int t = 0;
            long firstStep = 0;
            ExecutionResult last = null;
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                listener.onEpochStart(epoch);
                int[] order = batcher.permutation(epoch);
                double lossSum = 0;
                long correct = 0;
                long counted = 0; // rows of the batches not skipped
                int skippedBefore = guard.skipped();
                long epochStart = System.nanoTime();
                if (firstStep == 0) firstStep = epochStart;
                for (int b = 0; b < perEpoch; b++) {
                    int rows = batcher.fill(order, b * options.batch(), options.batch(), step.images().host(),
                            step.labels().host(), mean, std);
                    t++;
                    step.valid().host()[0] = rows;
                    step.schedule().host()[0] = (float) lr.at(t);
                    // AdamW's t counts the updates applied: a skipped batch advances the lr schedule, not t
                    step.schedule().host()[1] = t - guard.skipped();
                    if (inject != null) step.poison().host()[0] = inject.step() == t ? Float.NaN : 0f;
                    last = plan.withGraph(0).execute();
                    float batchLoss = step.metrics().host()[0];
                    if (!guard.afterStep(step.status().host(), epoch, t, lr.at(t))) {
                        lossSum += batchLoss;
                        correct += Math.round(step.metrics().host()[1]);
                        counted += rows;
                    }
                    int seen = Math.min((b + 1) * options.batch(), data.train().n());
                    double secs = (System.nanoTime() - epochStart) / 1e9;
                    listener.onStep(epoch, t, batchLoss / rows, seen / secs);
                }
                double trainSecs = (System.nanoTime() - epochStart) / 1e9;
                int skipped = guard.skipped() - skippedBefore;
                if (counted == 0) {
                    throw new UserError("training stopped: every batch of epoch " + epoch + " (" + skipped
                            + ") had a non-finite loss or gradient; try a lower --lr", NON_FINITE);
                }
                Evaluator.Result test = Evaluator.evaluate(plan, 1, step, data.test(), norm, null);
                var s = new TrainingListener.EpochStats(epoch, lossSum / counted, correct / (double) counted,
                        test.loss(), test.accuracy(), data.train().n() / trainSecs,
                        (System.nanoTime() - firstStep) / 1e9, skipped);
                stats.add(s);
                listener.onEpoch(s);
            }
            last.transferToHost(model.params());
        }
        Checkpoint.save(checkpoint, model, norm);
        return new Result(stats, stats.get(stats.size() - 1).testAccuracy());
    }
}
