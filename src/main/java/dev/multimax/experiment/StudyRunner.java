package dev.multimax.experiment;

import dev.multimax.data.MeanStd;
import dev.multimax.data.TrainTest;
import dev.multimax.device.Device;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitModel;
import dev.multimax.train.TrainOptions;
import dev.multimax.train.Trainer;
import dev.multimax.train.TrainingListener;
import dev.multimax.util.BadInput;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * One run of a study: trains a variant from a seed, writes its checkpoint under
 * {@code OUT/runs/<variant>-seed<k>/}, reports progress on {@code err} (a line every tenth of an
 * epoch and one per epoch), then measures its attention's sparsity and multi-modality.
 */
public final class StudyRunner {
    private final Path out;
    private final LongFunction<TrainOptions> options;
    private final PrintStream err;

    /** {@code options}: the training options for a seed (the same recipe for every variant). */
    public StudyRunner(Path out, LongFunction<TrainOptions> options, PrintStream err) {
        this.out = out;
        this.options = options;
        this.err = err;
    }

    /** Trains {@code config} (already fitted to the data) from {@code seed}; {@code tag} prefixes progress lines. */
    public Study.Run run(Device dev, VitConfig config, String variant, long seed, TrainTest tt, MeanStd norm, String tag) {
        TrainOptions opts = options.apply(seed);
        VitModel model = new VitModel(config);
        model.initialize(seed);
        String rel = "runs/" + variant + "-seed" + seed + "/model.safetensors";
        Path checkpoint = out.resolve(rel);
        try {
            Files.createDirectories(checkpoint.getParent());
        } catch (IOException e) {
            throw new BadInput("cannot create output directory " + checkpoint.getParent() + ": " + e.getMessage());
        }
        List<Double> ms = new ArrayList<>();
        int n = tt.train().n();
        int epochs = opts.epochs();
        TrainingListener listener = new TrainingListener() {
            int perEpoch = 1;

            @Override
            public void onStart(int totalSteps, int stepsPerEpoch) {
                perEpoch = Math.max(1, stepsPerEpoch);
            }

            /** A line every tenth of an epoch, so long epochs show they are moving. */
            @Override
            public void onStep(int epoch, int step, double loss, double imagesPerSecond) {
                int inEpoch = step - (epoch - 1) * perEpoch;
                int tenth = Math.max(1, perEpoch / 10);
                if (inEpoch % tenth == 0 && inEpoch < perEpoch) {
                    err.printf(Locale.ROOT, "study: %s: epoch %d/%d: step %d/%d, loss %.4f, %.0f images/s%n",
                            tag, epoch, epochs, inEpoch, perEpoch, loss, imagesPerSecond);
                }
            }

            @Override
            public void onEpoch(EpochStats s) {
                double msPerStep = 1000.0 * n / s.imagesPerSecond() / perEpoch;
                ms.add(msPerStep);
                err.printf(Locale.ROOT, "study: %s: epoch %d/%d: train loss %.4f, test acc %.2f%%, %.1f ms/step%n",
                        tag, s.epoch(), epochs, s.trainLoss(), 100 * s.testAccuracy(), msPerStep);
            }
        };
        Trainer.Result r = new Trainer(model, tt, norm, dev, opts, listener).run(checkpoint);
        List<StudyMeasures.Layer> layers = StudyMeasures.measure(model, dev, tt.test(), norm, opts.batch());
        return new Study.Run(variant, seed, rel, r.epochs(), ms, layers);
    }
}
