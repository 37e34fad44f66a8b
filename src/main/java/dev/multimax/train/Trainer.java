package dev.multimax.train;

import com.google.gson.JsonObject;
import dev.multimax.data.Batcher;
import dev.multimax.data.MeanStd;
import dev.multimax.data.TrainTest;
import dev.multimax.device.Device;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.graph.ImmutableTaskGraph;
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
 * host for the final model and for resumable checkpoints ({@link #withCheckpoints}), from which
 * {@link #resumeFrom} continues bitwise as if never interrupted.
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

    private CheckpointDir checkpoints;
    private int checkpointEvery;
    private JsonObject runDescription;
    private TrainState resume;

    /**
     * Writes a resumable checkpoint into {@code dir} every {@code everySteps} global steps (0: at
     * the end of every epoch, after its evaluation); {@code run} (e.g. the CLI's options) is stored
     * with each one.
     */
    public Trainer withCheckpoints(CheckpointDir dir, int everySteps, JsonObject run) {
        if (everySteps < 0) throw new UserError("--checkpoint-every must be >= 0, got " + everySteps);
        this.checkpoints = dir;
        this.checkpointEvery = everySteps;
        this.runDescription = run;
        return this;
    }

    /**
     * Continues from {@code state} instead of the model's current weights: same options, model
     * config and training-set size are required (a {@link UserError} says which differs).
     */
    public Trainer resumeFrom(TrainState state) {
        if (!state.options().equals(options)) {
            throw new UserError("cannot resume: the checkpoint was trained with " + TrainState.optionsJson(state.options())
                    + ", this run has " + TrainState.optionsJson(options));
        }
        if (!state.model().config().equals(model.config())) {
            throw new UserError("cannot resume: the checkpoint's model config " + state.model().config()
                    + " differs from " + model.config());
        }
        if (state.position().trainImages() != data.train().n()) {
            throw new UserError("cannot resume: the checkpoint was trained on " + state.position().trainImages()
                    + " images, this run has " + data.train().n());
        }
        this.resume = state;
        return this;
    }

    /** Trains (from the start, or from the resumed state), then writes the final weights to {@code checkpoint}. */
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
        ImmutableTaskGraph trainGraph = step.trainGraph(options.optimizer());
        List<TrainingListener.EpochStats> stats = new ArrayList<>();
        TrainState.Position at = new TrainState.Position(1, 0, 0, perEpoch, data.train().n(), options.seed(), 0, 0, 0, 0, 0, 0, -1);
        if (resume != null) {
            if (resume.position().stepsPerEpoch() != perEpoch) {
                throw new UserError("cannot resume: the checkpoint has " + resume.position().stepsPerEpoch()
                        + " steps per epoch, this run " + perEpoch);
            }
            at = resume.position();
            guard.resume(at.skipped());
            stats.addAll(resume.epochs());
            // the first execution copies these host arrays to the device (FIRST_EXECUTION transfers)
            System.arraycopy(resume.model().params().host(), 0, model.params().host(), 0, model.layout().total());
            System.arraycopy(resume.moment1(), 0, step.moment1().host(), 0, model.layout().total());
            System.arraycopy(resume.moment2(), 0, step.moment2().host(), 0, model.layout().total());
        }
        float mean = (float) norm.mean();
        float std = (float) norm.std();
        try (ExecutionPlan plan = new ExecutionPlan(trainGraph, step.evalGraph(false)).withDevice(device)) {
            listener.onStart(total, perEpoch);
            int t = at.globalStep();
            long firstStep = System.nanoTime() - (long) (at.elapsedSeconds() * 1e9);
            ExecutionResult last = null;
            boolean resumedEpochDone = at.stepInEpoch() == perEpoch;
            int startEpoch = resumedEpochDone ? at.epoch() + 1 : at.epoch();
            for (int epoch = startEpoch; epoch <= options.epochs(); epoch++) {
                boolean partial = epoch == at.epoch() && !resumedEpochDone;
                int b0 = partial ? at.stepInEpoch() : 0;
                listener.onEpochStart(epoch);
                int[] order = batcher.permutation(epoch);
                double lossSum = partial ? at.epochLossSum() : 0;
                long correct = partial ? at.epochCorrect() : 0;
                long counted = partial ? at.epochCounted() : 0; // rows of the batches not skipped
                int skippedBefore = guard.skipped() - (partial ? at.epochSkipped() : 0);
                long epochStart = System.nanoTime();
                int seenBefore = Math.min(b0 * options.batch(), data.train().n());
                for (int b = b0; b < perEpoch; b++) {
                    int rows = batcher.fillShifted(order, b * options.batch(), options.batch(), step.images().host(),
                            step.labels().host(), mean, std, options.shift(), epoch);
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
                    listener.onStep(epoch, t, batchLoss / rows, (seen - seenBefore) / secs);
                    if (b + 1 < perEpoch && due(t)) {
                        save(last, step, stats, new TrainState.Position(epoch, b + 1, t, perEpoch, data.train().n(),
                                options.seed(), lossSum, correct, counted, guard.skipped() - skippedBefore, guard.skipped(),
                                (System.nanoTime() - firstStep) / 1e9,
                                listener.logBytes()));
                    }
                }
                double trainSecs = (System.nanoTime() - epochStart) / 1e9;
                int skipped = guard.skipped() - skippedBefore;
                if (counted == 0) {
                    throw new UserError("training stopped: every batch of epoch " + epoch + " (" + skipped
                            + ") had a non-finite loss or gradient; try a lower --lr", NON_FINITE);
                }
                Evaluator.Result val = data.validation() == null ? null
                        : Evaluator.evaluate(plan, 1, step, data.validation(), norm, null);
                Evaluator.Result test = Evaluator.evaluate(plan, 1, step, data.test(), norm, null);
                var s = new TrainingListener.EpochStats(epoch, lossSum / counted, correct / (double) counted,
                        val == null ? null : val.loss(), val == null ? null : val.accuracy(),
                        test.loss(), test.accuracy(), (data.train().n() - seenBefore) / trainSecs,
                        (System.nanoTime() - firstStep) / 1e9, skipped);
                stats.add(s);
                listener.onEpoch(s);
                if (checkpointEvery == 0 || due(t)) {
                    save(last, step, stats, new TrainState.Position(epoch, perEpoch, t, perEpoch, data.train().n(),
                            options.seed(), lossSum, correct, counted, guard.skipped() - skippedBefore, guard.skipped(),
                                (System.nanoTime() - firstStep) / 1e9,
                            listener.logBytes()));
                }
            }
            // no step ran when resuming a finished run: the host already holds the checkpoint's weights
            if (last != null) last.transferToHost(model.params());
        }
        Checkpoint.save(checkpoint, model, norm);
        return new Result(stats, stats.get(stats.size() - 1).testAccuracy());
    }

    private boolean due(int t) {
        return checkpoints != null && checkpointEvery > 0 && t % checkpointEvery == 0;
    }

    /** Copies weights and moments to the host and writes a checkpoint (only when checkpointing is on). */
    private void save(ExecutionResult last, VitStep step, List<TrainingListener.EpochStats> stats,
                      TrainState.Position pos) {
        if (checkpoints == null || last == null) return;
        last.transferToHost(model.params(), step.moment1(), step.moment2());
        TrainState state = new TrainState(pos, List.copyOf(stats), options, runDescription, model, norm,
                step.moment1().host(), step.moment2().host());
        Path folder = checkpoints.write(pos.globalStep(), state::writeInto);
        listener.onCheckpoint(folder, pos.globalStep());
    }
}
