package dev.multimax.train;

import com.google.gson.JsonObject;
import dev.multimax.data.Batcher;
import dev.multimax.data.MeanStd;
import dev.multimax.data.TrainTest;
import dev.multimax.device.Device;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.graph.ImmutableTaskGraph;
import dev.multimax.graph.TaskCheck;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import dev.multimax.util.BadInput;
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

    private final VitModel model;
    private final TrainTest data;
    private final MeanStd norm;
    private final Device device;
    private final TrainOptions options;
    private final TrainingListener listener;
    private boolean fused = true;
    private NonFiniteGuard.Mode onNonFinite = NonFiniteGuard.Mode.STOP;
    private StepHook hook = (g, step) -> { };
    private int checkStep;
    private Device checkReference;

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

    /**
     * Runs global step {@code step} (from 1) task by task against {@code reference} as well
     * ({@link ExecutionPlan#withCheck}); the listener hears the result, and a task off its tolerance
     * stops training with a {@link CheckFailedException} naming it. 0: no check.
     */
    public Trainer withCheckStep(int step, Device reference) {
        if (step < 0) throw new IllegalArgumentException("check step must be >= 0, got " + step);
        this.checkStep = step;
        this.checkReference = reference;
        return this;
    }

    /**
     * Trains with the unfused ops (attention as scores, row activation and context, three tasks each
     * way) instead of the fused ones: the same math in another order, for comparing the two.
     */
    public Trainer unfused() {
        this.fused = false;
        return this;
    }

    /** Adds {@code hook}'s tasks to every training step (tests: a NaN injected into a gradient). */
    public Trainer withStepHook(StepHook hook) {
        this.hook = hook;
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
        if (everySteps < 0) throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + everySteps);
        this.checkpoints = dir;
        this.checkpointEvery = everySteps;
        this.runDescription = run;
        return this;
    }

    /**
     * Continues from {@code state} instead of the model's current weights: same options, model
     * config and training-set size are required (a {@link BadInput} says which differs).
     */
    public Trainer resumeFrom(TrainState state) {
        if (!state.options().equals(options)) {
            throw new BadInput("cannot resume: the checkpoint was trained with " + TrainState.optionsJson(state.options())
                    + ", this run has " + TrainState.optionsJson(options));
        }
        if (!state.model().config().equals(model.config())) {
            throw new BadInput("cannot resume: the checkpoint's model config " + state.model().config()
                    + " differs from " + model.config());
        }
        if (state.position().trainImages() != data.train().n()) {
            throw new BadInput("cannot resume: the checkpoint was trained on " + state.position().trainImages()
                    + " images, this run has " + data.train().n());
        }
        this.resume = state;
        return this;
    }

    /** Trains (from the start, or from the resumed state), then writes the final weights to {@code checkpoint}. */
    public Result run(Path checkpoint) {
        Batcher batcher = new Batcher(data.train(), options.batch(), options.seed());
        int perEpoch = batcher.batchesPerEpoch();
        VitStep step = new VitStep(model, options.batch(), fused);
        NonFiniteGuard guard = new NonFiniteGuard(onNonFinite, step.checkedTensors());
        ImmutableTaskGraph trainGraph = step.trainGraph(options.optimizer(), g -> hook.addTasks(g, step));
        List<TrainingListener.EpochStats> stats = new ArrayList<>();
        TrainState.Position at = TrainState.Position.start(perEpoch, data.train().n(), options.seed());
        if (resume != null) {
            if (resume.position().stepsPerEpoch() != perEpoch) {
                throw new BadInput("cannot resume: the checkpoint has " + resume.position().stepsPerEpoch()
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
        try (ExecutionPlan plan = new ExecutionPlan(trainGraph, step.evalGraph(false)).withDevice(device)) {
            listener.onStart(perEpoch * options.epochs(), perEpoch);
            Loop loop = new Loop(plan, step, batcher, guard, stats, at);
            int first = at.epochDone() ? at.epoch() + 1 : at.epoch();
            for (int epoch = first; epoch <= options.epochs(); epoch++) {
                boolean resumed = epoch == at.epoch();
                loop.epoch(epoch, resumed ? at.stepInEpoch() : 0, resumed ? at.inEpoch() : TrainState.EpochSums.NONE);
            }
            // no step ran when resuming a finished run: the host already holds the checkpoint's weights
            if (loop.last != null) loop.last.transferToHost(model.params());
        }
        Checkpoint.save(checkpoint, model, norm);
        return new Result(stats, stats.get(stats.size() - 1).testAccuracy());
    }

    /**
     * One run's loop state: the global step, the wall-clock origin (shifted back by the resumed
     * run's elapsed time) and the last step's result, for copying weights back.
     */
    private final class Loop {
        private final ExecutionPlan plan;
        private final VitStep step;
        private final Batcher batcher;
        private final NonFiniteGuard guard;
        private final List<TrainingListener.EpochStats> stats;
        private final LrSchedule lr;
        private final int perEpoch;
        private final float mean = (float) norm.mean();
        private final float std = (float) norm.std();
        private final long origin;
        private int t;
        private ExecutionResult last;

        Loop(ExecutionPlan plan, VitStep step, Batcher batcher, NonFiniteGuard guard,
             List<TrainingListener.EpochStats> stats, TrainState.Position at) {
            this.plan = plan;
            this.step = step;
            this.batcher = batcher;
            this.guard = guard;
            this.stats = stats;
            this.perEpoch = batcher.batchesPerEpoch();
            int total = perEpoch * options.epochs();
            this.lr = new LrSchedule(options.lr(), options.minLr(), Math.min(options.warmupSteps(), total), total);
            this.t = at.globalStep();
            this.origin = System.nanoTime() - (long) (at.elapsedSeconds() * 1e9);
        }

        /** Epoch {@code epoch} from batch {@code b0} on (with the sums of batches before it), then its evaluation. */
        void epoch(int epoch, int b0, TrainState.EpochSums sums) {
            listener.onEpochStart(epoch);
            int[] order = batcher.permutation(epoch);
            long start = System.nanoTime();
            int seenBefore = Math.min(b0 * options.batch(), data.train().n());
            for (int b = b0; b < perEpoch; b++) {
                sums = step(order, epoch, b, sums);
                int seen = Math.min((b + 1) * options.batch(), data.train().n());
                listener.onStep(epoch, t, step.metrics().host()[0] / rowsOf(b), (seen - seenBefore) / seconds(start));
                if (b + 1 < perEpoch && due(t)) save(position(epoch, b + 1, sums));
            }
            double trainSecs = seconds(start);
            if (sums.counted() == 0) {
                throw new DivergedException("training stopped: every batch of epoch " + epoch + " (" + sums.skipped()
                        + ") had a non-finite loss or gradient");
            }
            Evaluator.Result val = data.validation() == null ? null
                    : Evaluator.evaluate(plan, 1, step, data.validation(), norm, null);
            Evaluator.Result test = Evaluator.evaluate(plan, 1, step, data.test(), norm, null);
            var s = new TrainingListener.EpochStats(epoch, sums.lossSum() / sums.counted(),
                    sums.correct() / (double) sums.counted(), val == null ? null : val.loss(),
                    val == null ? null : val.accuracy(), test.loss(), test.accuracy(),
                    (data.train().n() - seenBefore) / trainSecs, seconds(origin), sums.skipped());
            stats.add(s);
            listener.onEpoch(s);
            if (checkpointEvery == 0 || due(t)) save(position(epoch, perEpoch, sums));
        }

        /** One optimizer step on batch {@code b}; returns the epoch's sums with it. */
        private TrainState.EpochSums step(int[] order, int epoch, int b, TrainState.EpochSums sums) {
            int rows = batcher.fillShifted(order, b * options.batch(), options.batch(), step.images().host(),
                    step.labels().host(), mean, std, options.shift(), epoch);
            t++;
            step.valid().host()[0] = rows;
            step.schedule().host()[0] = (float) lr.at(t);
            // AdamW's t counts the updates applied: a skipped batch advances the lr schedule, not t
            step.schedule().host()[1] = t - guard.skipped();
            hook.beforeStep(t);
            boolean check = t == checkStep;
            if (check) plan.withCheck(checkReference);
            last = plan.withGraph(0).execute();
            if (check) {
                plan.withCheck(null);
                List<TaskCheck> checks = last.checks().orElseThrow();
                listener.onCheck(t, checks);
                if (last.firstFailedCheck().isPresent()) throw new CheckFailedException(t, checks);
            }
            boolean skipped = guard.afterStep(step.status().host(), epoch, t, lr.at(t));
            return sums.plus(skipped, step.metrics().host()[0], Math.round(step.metrics().host()[1]), rows);
        }

        private int rowsOf(int b) {
            return Math.min(options.batch(), data.train().n() - b * options.batch());
        }

        private TrainState.Position position(int epoch, int stepInEpoch, TrainState.EpochSums sums) {
            return new TrainState.Position(new TrainState.Cursor(epoch, stepInEpoch, t, perEpoch), sums,
                    data.train().n(), options.seed(), guard.skipped(), seconds(origin), listener.logBytes());
        }

        /** Copies weights and moments to the host and writes a checkpoint (only when checkpointing is on). */
        private void save(TrainState.Position pos) {
            if (checkpoints == null || last == null) return;
            last.transferToHost(model.params(), step.moment1(), step.moment2());
            TrainState state = new TrainState(pos, List.copyOf(stats), options, runDescription, model, norm,
                    step.moment1().host(), step.moment2().host());
            Path folder = checkpoints.write(pos.globalStep(), state::writeInto);
            listener.onCheckpoint(folder, pos.globalStep());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private boolean due(int t) {
        return checkpoints != null && checkpointEvery > 0 && t % checkpointEvery == 0;
    }
}
