package dev.multimax.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.multimax.data.Dataset;
import dev.multimax.data.TrainTest;
import dev.multimax.device.Device;
import dev.multimax.device.TestDevices;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.TinyModels;
import dev.multimax.model.VitModel;
import dev.multimax.nn.Activation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * --on-nonfinite with a NaN injected into a gradient (or the loss) by a {@link NaNInjection} step
 * hook: the device's check finds it, stop ends with a DivergedException naming the step
 * and tensor and writes no checkpoint, skip leaves that batch's update out and goes on.
 * Tiny model, 24 synthetic 8×8 images, batch 8: 3 steps per epoch, 2 epochs.
 */
class NonFiniteTrainingTest {
    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void stopNamesTheStepAndTensorAndWritesNothing(String id, @TempDir Path dir) {
        Path ckpt = dir.resolve("model.safetensors");
        List<TrainingListener.EpochStats> epochs = new ArrayList<>();
        DivergedException e = catchThrowableOfType(() -> train(id, NonFiniteGuard.Mode.STOP, epochs,
                new NaNInjection(5, "blocks.1.attn.qkv.weight")).run(ckpt), DivergedException.class);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("blocks.1.attn.qkv.weight gradient").contains("epoch 2, step 5")
                .doesNotContain("\n");
        assertThat(epochs).hasSize(1);
        assertThat(ckpt).doesNotExist();
        assertThat(dir.toFile().list()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void stopNamesTheLoss(String id, @TempDir Path dir) {
        DivergedException e = catchThrowableOfType(() -> train(id, NonFiniteGuard.Mode.STOP, new ArrayList<>(),
                new NaNInjection(2, "loss")).run(dir.resolve("m.safetensors")), DivergedException.class);
        assertThat(e.getMessage()).contains("non-finite loss at epoch 1, step 2");
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void skipLeavesTheBatchOutAndCompletes(String id, @TempDir Path dir) {
        List<TrainingListener.EpochStats> epochs = new ArrayList<>();
        Path ckpt = dir.resolve("model.safetensors");
        Trainer.Result r = train(id, NonFiniteGuard.Mode.SKIP, epochs, new NaNInjection(2, "head.bias")).run(ckpt);
        assertThat(r.epochs()).hasSize(2);
        assertThat(epochs.get(0).skipped()).isEqualTo(1);
        assertThat(epochs.get(1).skipped()).isZero();
        assertThat(epochs.get(0).trainLoss()).isFinite();
        float[] weights = Checkpoint.load(ckpt).model().params().host();
        for (float w : weights) assertThat(w).isFinite();
    }

    private static Trainer train(String id, NonFiniteGuard.Mode mode, List<TrainingListener.EpochStats> epochs,
                                 NaNInjection nan) {
        Device dev = TestDevices.get(id);
        VitModel model = new VitModel(TinyModels.config(Activation.MULTIMAX, Activation.MULTIMAX, false));
        model.initialize(3);
        TrainTest data = new TrainTest(synthetic("train", 24, 1), synthetic("test", 8, 2));
        TrainOptions opts = new TrainOptions(2, 8, 3e-3, 1e-5, 2, 7, OptimizerConfig.DEFAULT);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats s) {
                epochs.add(s);
            }
        };
        return new Trainer(model, data, data.normalization(), dev, opts, listener).onNonFinite(mode).withStepHook(nan);
    }

    private static Dataset synthetic(String name, int n, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[n * 64];
        rng.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 3;
        return new Dataset(name, px, labels, n, 8, 8, 1, 3);
    }
}
