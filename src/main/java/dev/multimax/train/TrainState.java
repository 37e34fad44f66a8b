package dev.multimax.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.data.MeanStd;
import dev.multimax.io.SafetensorsFile;
import dev.multimax.io.SafetensorsWriter;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.ParamLayout;
import dev.multimax.model.VitModel;
import dev.multimax.util.AtomicFiles;
import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run needs to continue bitwise where it stopped: the weights, both AdamW moments,
 * the position in the data (the order of epoch e is a pure function of (seed, e), so epoch and
 * batch index suffice), the partial sums of the epoch in progress, the per-epoch stats so far,
 * the options that fix the schedule, and the caller's run description (the CLI's options).
 *
 * <p>On disk, one checkpoint folder: {@code model.safetensors} (the same format as a final model),
 * {@code optimizer.safetensors} ({@code exp_avg.NAME}, {@code exp_avg_sq.NAME} per parameter, and
 * {@code step}), {@code position.json}.
 */
public record TrainState(Position position, List<TrainingListener.EpochStats> epochs, TrainOptions options,
                         JsonObject run, VitModel model, MeanStd norm, float[] moment1, float[] moment2) {
    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String POSITION = "position.json";
    public static final List<String> FILES = List.of(MODEL, OPTIMIZER, POSITION);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    /**
     * Where the run is: the batches taken ({@link Cursor}), the sums of the epoch in progress, the
     * data it is drawn from (its size and order seed), the batches skipped in all, the wall seconds
     * since the first step, and {@code logBytes}, the length of the JSONL log when the checkpoint
     * was written (-1: no log).
     */
    public record Position(Cursor at, EpochSums inEpoch, int trainImages, long seed, int skipped,
                           double elapsedSeconds, long logBytes) {
        /** Before the first step of a run. */
        public static Position start(int stepsPerEpoch, int trainImages, long seed) {
            return new Position(new Cursor(1, 0, 0, stepsPerEpoch), EpochSums.NONE, trainImages, seed, 0, 0, -1);
        }

        public int epoch() {
            return at.epoch();
        }

        public int stepInEpoch() {
            return at.stepInEpoch();
        }

        public int globalStep() {
            return at.globalStep();
        }

        public int stepsPerEpoch() {
            return at.stepsPerEpoch();
        }

        /** The epoch in progress has all its batches taken and is evaluated: a resume starts the next one. */
        public boolean epochDone() {
            return at.stepInEpoch() == at.stepsPerEpoch();
        }
    }

    /**
     * Batches taken: {@code epoch} is the epoch in progress (1-based), {@code stepInEpoch} the
     * batches of it already taken, {@code globalStep} all batches taken.
     */
    public record Cursor(int epoch, int stepInEpoch, int globalStep, int stepsPerEpoch) {
    }

    /**
     * The epoch in progress so far: summed batch losses and correct predictions over the
     * {@code counted} images of batches not skipped, and the batches skipped.
     */
    public record EpochSums(double lossSum, long correct, long counted, int skipped) {
        public static final EpochSums NONE = new EpochSums(0, 0, 0, 0);

        /** These sums with one more batch: skipped, or with its loss sum and correct count over {@code rows} images. */
        public EpochSums plus(boolean skippedBatch, double batchLoss, long batchCorrect, int rows) {
            return skippedBatch ? new EpochSums(lossSum, correct, counted, skipped + 1)
                    : new EpochSums(lossSum + batchLoss, correct + batchCorrect, counted + rows, skipped);
        }
    }

    /** Writes the three files into {@code folder}, each atomically. */
    public void writeInto(Path folder) {
        Checkpoint.save(folder.resolve(MODEL), model, norm);
        SafetensorsWriter w = new SafetensorsWriter();
        for (ParamLayout.Param p : model.layout().params()) {
            w.add("exp_avg." + p.name(), slice(moment1, p), p.shape());
        }
        for (ParamLayout.Param p : model.layout().params()) {
            w.add("exp_avg_sq." + p.name(), slice(moment2, p), p.shape());
        }
        w.add("step", new long[] {position.globalStep()}, 1);
        w.metadata("format", "multimax-vit-adamw");
        w.metadata("train_options", GSON.toJson(optionsJson(options)));
        w.write(folder.resolve(OPTIMIZER));
        AtomicFiles.write(folder.resolve(POSITION), GSON.toJson(positionJson()).getBytes(StandardCharsets.UTF_8));
    }

    private JsonObject positionJson() {
        Position p = position;
        JsonObject o = new JsonObject();
        o.addProperty("format", "multimax-vit-position");
        o.addProperty("version", 1);
        o.addProperty("epoch", p.epoch());
        o.addProperty("step_in_epoch", p.stepInEpoch());
        o.addProperty("global_step", p.globalStep());
        o.addProperty("steps_per_epoch", p.stepsPerEpoch());
        o.addProperty("train_images", p.trainImages());
        JsonObject order = new JsonObject();
        order.addProperty("seed", p.seed());
        order.addProperty("rule", "Batcher.permutation(seed, epoch): a pure function of (seed, epoch)");
        o.add("data_order", order);
        JsonObject partial = new JsonObject();
        partial.addProperty("loss_sum", p.inEpoch().lossSum());
        partial.addProperty("correct", p.inEpoch().correct());
        partial.addProperty("counted_images", p.inEpoch().counted());
        partial.addProperty("skipped_batches", p.inEpoch().skipped());
        o.add("epoch_in_progress", partial);
        // AdamW's t is global_step − skipped_batches (a skipped batch applies no update)
        o.addProperty("skipped_batches", p.skipped());
        o.addProperty("elapsed_s", p.elapsedSeconds());
        o.addProperty("log_bytes", p.logBytes());
        JsonArray stats = new JsonArray();
        for (TrainingListener.EpochStats s : epochs) stats.add(GSON.toJsonTree(s));
        o.add("epochs", stats);
        JsonObject sched = new JsonObject();
        sched.addProperty("total_steps", p.stepsPerEpoch() * options.epochs());
        sched.addProperty("warmup_steps", Math.min(options.warmupSteps(), p.stepsPerEpoch() * options.epochs()));
        sched.addProperty("peak_lr", options.lr());
        sched.addProperty("min_lr", options.minLr());
        o.add("schedule", sched);
        o.add("train_options", optionsJson(options));
        o.add("model_config", model.config().toJson(norm.mean(), norm.std()));
        o.add("run", run == null ? new JsonObject() : run);
        return o;
    }

    static JsonObject optionsJson(TrainOptions t) {
        JsonObject o = new JsonObject();
        o.addProperty("epochs", t.epochs());
        o.addProperty("batch", t.batch());
        o.addProperty("lr", t.lr());
        o.addProperty("min_lr", t.minLr());
        o.addProperty("warmup_steps", t.warmupSteps());
        o.addProperty("seed", t.seed());
        o.addProperty("beta1", t.optimizer().beta1());
        o.addProperty("beta2", t.optimizer().beta2());
        o.addProperty("eps", t.optimizer().eps());
        o.addProperty("weight_decay", t.optimizer().weightDecay());
        o.addProperty("shift", t.shift());
        return o;
    }

    static TrainOptions optionsFromJson(JsonObject o) {
        return new TrainOptions(o.get("epochs").getAsInt(), o.get("batch").getAsInt(), o.get("lr").getAsDouble(),
                o.get("min_lr").getAsDouble(), o.get("warmup_steps").getAsInt(), o.get("seed").getAsLong(),
                new OptimizerConfig(o.get("beta1").getAsFloat(), o.get("beta2").getAsFloat(), o.get("eps").getAsFloat(),
                        o.get("weight_decay").getAsFloat()),
                o.has("shift") ? o.get("shift").getAsInt() : 0); // written before augmentation existed: none
    }

    private static float[] slice(float[] flat, ParamLayout.Param p) {
        float[] out = new float[p.size()];
        System.arraycopy(flat, p.offset(), out, 0, out.length);
        return out;
    }

    /** Reads a checkpoint folder (already verified against its manifest); a format problem is a {@link BadInput}. */
    public static TrainState read(Path folder) {
        Checkpoint.Loaded loaded = Checkpoint.load(folder.resolve(MODEL));
        Path posFile = folder.resolve(POSITION);
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(posFile)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new BadInput(posFile + ": cannot read: " + e.getMessage(), e);
        }
        Position pos;
        TrainOptions options;
        List<TrainingListener.EpochStats> stats = new ArrayList<>();
        try {
            JsonObject partial = o.getAsJsonObject("epoch_in_progress");
            Cursor at = new Cursor(o.get("epoch").getAsInt(), o.get("step_in_epoch").getAsInt(),
                    o.get("global_step").getAsInt(), o.get("steps_per_epoch").getAsInt());
            EpochSums sums = new EpochSums(partial.get("loss_sum").getAsDouble(), partial.get("correct").getAsLong(),
                    partial.get("counted_images").getAsLong(), partial.get("skipped_batches").getAsInt());
            pos = new Position(at, sums, o.get("train_images").getAsInt(),
                    o.getAsJsonObject("data_order").get("seed").getAsLong(), o.get("skipped_batches").getAsInt(),
                    o.get("elapsed_s").getAsDouble(), o.get("log_bytes").getAsLong());
            options = optionsFromJson(o.getAsJsonObject("train_options"));
            for (JsonElement e : o.getAsJsonArray("epochs")) {
                stats.add(GSON.fromJson(e, TrainingListener.EpochStats.class));
            }
        } catch (BadInput e) {
            throw new BadInput(posFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BadInput(posFile + ": missing or malformed field (" + e.getMessage() + ")", e);
        }
        if (pos.stepInEpoch() < 0 || pos.stepInEpoch() > pos.stepsPerEpoch() || pos.epoch() < 1
                || pos.skipped() < 0 || pos.skipped() > pos.globalStep() || pos.inEpoch().skipped() < 0
                || pos.inEpoch().skipped() > pos.stepInEpoch() || pos.inEpoch().counted() < 0
                || pos.globalStep() != (pos.epoch() - 1) * pos.stepsPerEpoch() + pos.stepInEpoch()
                || stats.size() != (pos.epochDone() ? pos.epoch() : pos.epoch() - 1)) {
            throw new BadInput(posFile + ": inconsistent position " + pos + " with " + stats.size() + " epoch stats");
        }
        Path optFile = folder.resolve(OPTIMIZER);
        SafetensorsFile opt = SafetensorsFile.read(optFile);
        int total = loaded.model().layout().total();
        float[] m = new float[total];
        float[] v = new float[total];
        for (ParamLayout.Param p : loaded.model().layout().params()) {
            System.arraycopy(opt.floatsExpect("exp_avg." + p.name(), p.shape()), 0, m, p.offset(), p.size());
            System.arraycopy(opt.floatsExpect("exp_avg_sq." + p.name(), p.shape()), 0, v, p.offset(), p.size());
        }
        long step = opt.longs("step")[0];
        if (step != pos.globalStep()) {
            throw new BadInput(optFile + ": step " + step + " but " + POSITION + " says " + pos.globalStep());
        }
        JsonObject run = o.has("run") && o.get("run").isJsonObject() ? o.getAsJsonObject("run") : new JsonObject();
        return new TrainState(pos, List.copyOf(stats), options, run, loaded.model(), loaded.normalization(), m, v);
    }
}
