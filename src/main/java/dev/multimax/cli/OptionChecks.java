package dev.multimax.cli;

import dev.multimax.data.MnistFiles;
import dev.multimax.device.Devices;
import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import dev.multimax.nn.Activation;
import dev.multimax.util.BadInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks every option of every command before any work starts: no MNIST install, no data load,
 * no device opened, no file written. Each failure is a one-line {@link UserError} (exit code 2)
 * that names the option. Commands call {@code train(this)}, {@code eval(this)}, ... first thing.
 */
final class OptionChecks {
    private OptionChecks() {
    }

    static void train(TrainCommand c) {
        recipe(c.recipe);
        activation("--attn", c.attn);
        activation("--head", c.head);
        atLeast("--epochs", c.epochs, 1);
        nonNegative("--min-lr", c.minLr);
        if (c.minLr > c.recipe.lr) throw new UserError("--min-lr must be <= --lr (" + c.recipe.lr + "), got " + c.minLr);
        nonNegative("--weight-decay", c.weightDecay);
        openUnit("--beta2", c.beta2);
        atLeast("--limit-train", c.limitTrain, 0);
        atLeast("--limit-test", c.limitTest, 0);
        atLeast("--val", c.val, 0);
        atLeast("--check-step", c.checkStep, 0);
        if (!c.onNonFinite.equals("stop") && !c.onNonFinite.equals("skip")) {
            throw new UserError("--on-nonfinite must be stop or skip, got '" + c.onNonFinite + "'");
        }
        if (c.limitTrain > 0 && c.val >= c.limitTrain) {
            throw new UserError("--val " + c.val + " leaves no training images of --limit-train " + c.limitTrain
                    + "; give a smaller --val, or --val 0");
        }
        data(c.data);
        outputDir("--out", c.out);
        Path runDir = c.out != null ? c.out : c.resume;
        if (c.logJsonl == null || runDir == null
                || !c.logJsonl.toAbsolutePath().normalize().startsWith(runDir.toAbsolutePath().normalize())) {
            outputFile("--log-jsonl", c.logJsonl); // a log inside the run folder is created with it
        }
        device("--device", c.device.device);
        atLeast("--checkpoint-every", c.checkpointEvery, 0);
        atLeast("--keep-checkpoints", c.keepCheckpoints, 1);
        if (c.resume != null && !java.nio.file.Files.isDirectory(c.resume)) {
            throw new UserError("--resume: " + c.resume + " is not a run folder");
        }
    }

    static void eval(EvalCommand c) {
        inputFile("--checkpoint", c.checkpoint);
        atLeast("--batch", c.batch, 1);
        atLeast("--limit-test", c.limitTest, 0);
        if (c.dumpLogits != null || c.dumpInputs != null) atLeast("--n", c.n, 1);
        outputFile("--dump-logits", c.dumpLogits);
        outputFile("--dump-inputs", c.dumpInputs);
        data(c.data);
        device("--device", c.device.device);
    }

    static void bench(BenchCommand c) {
        preset(c.preset);
        atLeast("--batch", c.batch, 1);
        atLeast("--repeats", c.repeats, 1);
        outputFile("--json", c.json);
        device("--device", c.device.device);
    }

    static void profile(ProfileCommand c) {
        step(c.step);
        outputFile("--json", c.json);
        device("--device", c.device.device);
    }

    static void compare(CompareCommand c) {
        step(c.step);
        outputDir("--out", c.out);
        List<String> ids = c.devices == null ? List.of() : c.devices;
        if (ids.isEmpty()) throw new UserError("--devices: name at least one device");
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) throw new UserError("--devices names " + id + " twice");
            device("--devices", id);
        }
    }

    /** The options train and study share. */
    static void recipe(RecipeOptions r) {
        preset(r.preset);
        atLeast("--batch", r.batch, 1);
        positive("--lr", r.lr);
        atLeast("--warmup", r.warmup, 0);
        atLeast("--shift", r.shift, 0);
    }

    private static void step(StepOptions s) {
        preset(s.preset);
        atLeast("--batch", s.batch, 1);
        atLeast("--steps", s.steps, 1);
        atLeast("--warmup", s.warmup, 0);
    }

    static VitConfig preset(String name) {
        try {
            return Presets.get(name);
        } catch (BadInput e) {
            throw new UserError("--preset: " + e.getMessage());
        }
    }

    static Activation activation(String option, String value) {
        try {
            return Activation.parse(value);
        } catch (BadInput e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }

    static void atLeast(String option, long value, long min) {
        if (value < min) throw new UserError(option + " must be >= " + min + ", got " + value);
    }

    static void positive(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new UserError(option + " must be a positive number, got " + value);
        }
    }

    static void nonNegative(String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new UserError(option + " must be a number >= 0, got " + value);
        }
    }

    static void openUnit(String option, double value) {
        if (!(value > 0 && value < 1)) throw new UserError(option + " must be in (0, 1), got " + value);
    }

    /** 'mnist' is installed later if missing; any other spec must be an existing directory now. */
    static void data(String spec) {
        if (MnistFiles.MNIST.equals(spec)) return;
        try {
            MnistFiles.resolve(spec, Home.get());
        } catch (BadInput e) {
            throw new UserError("--data: " + e.getMessage());
        }
    }

    static void device(String option, String id) {
        try {
            Devices.requireKnown(id);
        } catch (BadInput e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }

    /** A directory we will create (or reuse): must not be an existing file. */
    static void outputDir(String option, Path dir) {
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(option + " " + dir + ": exists and is not a directory");
        }
    }

    /** A file written at the end: not a directory, and its folder exists before minutes of work. */
    static void outputFile(String option, Path file) {
        if (file == null) return;
        if (Files.isDirectory(file)) throw new UserError(option + " " + file + ": is a directory, expected a file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserError(option + " " + file + ": cannot write: directory " + parent + " does not exist");
        }
    }

    static void inputFile(String option, Path file) {
        if (!Files.exists(file)) throw new UserError(option + " " + file + ": file not found");
        if (!Files.isRegularFile(file)) throw new UserError(option + " " + file + ": not a regular file");
    }
}
