package dev.multimax.cli;

import dev.multimax.experiment.Study;
import dev.multimax.experiment.StudyChart;
import dev.multimax.experiment.StudyRunner;
import dev.multimax.data.MnistFiles;
import dev.multimax.data.TrainTest;
import dev.multimax.device.Device;
import dev.multimax.device.Devices;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import dev.multimax.nn.Activation;
import dev.multimax.train.TrainOptions;
import dev.multimax.util.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code multimax study}: the same preset trained with softmax and with MultiMax (or every activation) over seeds. */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare activations: train the same preset with --attn X --head X for X = softmax and X = "
                + "multimax (--all: every activation), once per seed 1..K.",
            "Runs with the same seed share the initialisation seed and the data order (same batches in the same "
                + "order), so variants differ only in the activation.",
            "Writes DIR/study.md (final test accuracy and train loss as mean ± std over seeds, ms per step, "
                + "attention sparsity S and multi-modality M per layer), DIR/curves.png (test accuracy and train "
                + "loss per epoch, mean over seeds), DIR/study.json (every run's numbers) and "
                + "DIR/runs/<variant>-seed<k>/model.safetensors. Progress goes to stderr."})
final class StudyCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (required).")
    Path out;

    @Option(names = "--epochs", defaultValue = "2", description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "K", description = "Seeds 1..K per variant (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--data", defaultValue = "mnist", paramLabel = "mnist|DIR",
            description = "'mnist', or a directory with the four MNIST-format IDX files (default: ${DEFAULT-VALUE}).")
    String data;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    DeviceOption device;

    @Option(names = "--limit-train", defaultValue = "0", paramLabel = "N", description = "Use only the first N training images (0: all).")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N", description = "Use only the first N test images (0: all).")
    int limitTest;

    @Option(names = "--all", description = "Compare every activation, not only softmax and multimax.")
    boolean all;

    /** The seed of run k (1-based): k itself, so studies with different K share their first runs. */
    static long seedOf(int k) {
        return k;
    }

    static List<Activation> variants(boolean all) {
        return all ? Arrays.asList(Activation.values()) : List.of(Activation.SOFTMAX, Activation.MULTIMAX);
    }

    @Override
    public Integer call() {
        OptionChecks.recipe(recipe);
        OptionChecks.atLeast("--epochs", epochs, 1);
        if (out == null) throw new UserError("--out DIR is required");
        if (seeds < 1) throw new UserError("--seeds must be >= 1, got " + seeds);
        if (limitTrain < 0 || limitTest < 0) throw new UserError("--limit-train/--limit-test must be >= 0");
        VitConfig base = Presets.get(recipe.preset);
        TrainOptions check = options(seedOf(1));
        List<Activation> acts = variants(all);
        Path home = Home.get();
        if (data.equals(MnistFiles.MNIST)) MnistInstaller.ensure(home);
        TrainTest tt = MnistFiles.load(data, home, limitTrain, limitTest);
        var norm = tt.normalization();
        createDir(out.resolve("runs"));
        PrintStream err = System.err;
        List<String> names = acts.stream().map(Activation::id).toList();
        int total = acts.size() * seeds;
        err.printf("study: %s on %s (%d train / %d test images), %d variant(s) %s × %d seed(s), %d epoch(s), batch %d%n",
                recipe.preset, data, tt.train().n(), tt.test().n(), acts.size(), names, seeds, epochs, check.batch());
        List<Study.Run> runs = new ArrayList<>();
        // the preset with the data's image size, channels and classes; each variant only swaps activations
        VitConfig fitted = TrainCommand.fitToData(base, tt.train());
        StudyRunner runner = new StudyRunner(out, this::options, err);
        Devices.Choice choice = device.open();
        String deviceId;
        try (Device dev = choice.device()) {
            deviceId = dev.id();
            int done = 0;
            // seeds outer, variants inner: a shared host's slow spells hit every variant alike
            for (int k = 1; k <= seeds; k++) {
                for (int v = 0; v < acts.size(); v++) {
                    Activation a = acts.get(v);
                    done++;
                    String tag = "run " + done + "/" + total + ": variant " + (v + 1) + "/" + acts.size() + " " + a.id()
                            + ", seed " + k + "/" + seeds;
                    err.println("study: " + tag);
                    runs.add(runner.run(dev, fitted.withActivations(a, a), a.id(), seedOf(k), tt, norm, tag));
                }
            }
        }
        String command = "multimax study --out " + out + " --epochs " + epochs + " --seeds " + seeds + " --data " + data
                + " --preset " + recipe.preset + " --device " + deviceId + " --batch " + recipe.batch + " --lr " + recipe.lr
                + " --warmup " + recipe.warmup + " --shift " + recipe.shift + (limitTrain > 0 ? " --limit-train " + limitTrain : "")
                + (limitTest > 0 ? " --limit-test " + limitTest : "") + (all ? " --all" : "");
        Study study = new Study(new Study.Setup(recipe.preset, data, deviceId, epochs, seeds, recipe.batch, tt.train().n(),
                tt.test().n(), command), names, runs);
        AtomicFiles.write(out.resolve("study.json"), study.json().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("curves.png"), StudyChart.png(study));
        String md = study.markdown();
        AtomicFiles.write(out.resolve("study.md"), md.getBytes(StandardCharsets.UTF_8));
        System.out.print(md);
        err.println("study: wrote " + out.resolve("study.md") + ", curves.png, study.json");
        return 0;
    }

    private TrainOptions options(long seed) {
        return new TrainOptions(epochs, recipe.batch, recipe.lr, 1e-5, recipe.warmup, seed,
                new OptimizerConfig(0.9f, 0.999f, 1e-8f, 0.05f), recipe.shift);
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create output directory " + dir + ": " + e.getMessage());
        }
    }
}
