package dev.multimax.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.data.MnistFiles;
import dev.multimax.data.TestData;
import dev.multimax.data.TrainTest;
import dev.multimax.device.java.JavaDevice;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.VitConfig;
import dev.multimax.model.TinyModels;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import dev.multimax.nn.Activation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training runs: the loss falls on real MNIST; the same seed gives bitwise the same weights. */
class TrainingTest {
    @Test
    void lossFallsOnAFewHundredRealMnistImages(@TempDir Path dir) {
        TestData.requireMnist();
        TrainTest data = MnistFiles.load("mnist", Path.of("."), 512, 256);
        // A small ViT (patch 7 → 16 tokens, D 32, depth 2) so 80 steps take seconds.
        VitModel model = new VitModel(new VitConfig(28, 7, 1, 10, 32, 2, 2, 2.0, false, Activation.MULTIMAX,
                Activation.MULTIMAX, 1e-6));
        model.initialize(1);
        List<TrainingListener.EpochStats> epochs = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats s) {
                System.out.println(s);
                epochs.add(s);
            }
        };
        TrainOptions opts = new TrainOptions(5, 32, 3e-3, 1e-5, 10, 7, OptimizerConfig.DEFAULT);
        try (JavaDevice dev = new JavaDevice(JavaDevice.defaultThreads())) {
            Trainer.Result r = new Trainer(model, data, data.normalization(), dev, opts, listener)
                    .run(dir.resolve("model.safetensors"));
            assertThat(r.epochs()).hasSize(5);
        }
        assertThat(epochs.get(4).trainLoss()).as("train loss after 5 epochs vs after 1")
                .isLessThan(epochs.get(0).trainLoss() - 0.3);
        assertThat(epochs.get(4).testAccuracy()).as("test accuracy (chance is 0.1)").isGreaterThan(0.25);
        Checkpoint.Loaded back = Checkpoint.load(dir.resolve("model.safetensors"));
        assertThat(back.model().params().host()).containsExactly(model.params().host());
    }

    @Test
    void sameSeedGivesBitwiseIdenticalWeightsWhateverTheThreadCount() {
        float[] one = threeSteps(1);
        float[] three = threeSteps(3);
        assertThat(three).containsExactly(one);
        assertThat(one).isNotEqualTo(initial());
    }

    private static float[] initial() {
        VitModel m = new VitModel(TinyModels.config(Activation.MULTIMAX, Activation.MULTIMAX, false));
        m.initialize(99);
        return m.params().host().clone();
    }

    private static float[] threeSteps(int threads) {
        VitModel model = new VitModel(TinyModels.config(Activation.MULTIMAX, Activation.MULTIMAX, false));
        model.initialize(99);
        VitStep step = new VitStep(model, 5);
        try (JavaDevice dev = new JavaDevice(threads);
             ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OptimizerConfig.DEFAULT)).withDevice(dev)) {
            for (int t = 1; t <= 3; t++) {
                TinyModels.randomBatch(step, 1000 + t);
                step.schedule().host()[0] = 1e-2f;
                step.schedule().host()[1] = t;
                plan.execute().transferToHost(model.params());
            }
        }
        return model.params().host().clone();
    }
}
