package dev.multimax.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.DeviceArray;
import dev.multimax.device.FloatArray;
import dev.multimax.device.java.JavaDevice;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ImmutableTaskGraph;
import dev.multimax.nn.Activation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A training step must depend only on the parameters, the AdamW moments and the batch: a
 * checkpoint stores exactly those. Every other device buffer is poisoned with NaN between steps;
 * the weights must come out bitwise as without poisoning, else some kernel reads a buffer
 * before writing it (state a resumed run would not have).
 */
class StepStateTest {
    @Test
    void aStepReadsNoBufferLeftOverFromThePreviousStep() {
        check(TinyModels.config(Activation.MULTIMAX, Activation.MULTIMAX, false), 5);
    }

    @Test
    void theSameAtMnistVitShapes() {
        check(Presets.get("mnist-vit"), 16);
    }

    private static void check(VitConfig config, int batch) {
        float[] clean = run(config, batch, false);
        float[] poisoned = run(config, batch, true);
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < clean.length && bad.size() < 10; i++) {
            if (Float.floatToIntBits(clean[i]) != Float.floatToIntBits(poisoned[i])) bad.add(i);
        }
        assertThat(bad).as("parameter indices that depend on leftover buffers").isEmpty();
    }

    private static float[] run(VitConfig config, int batch, boolean poison) {
        VitModel model = new VitModel(config);
        model.initialize(99);
        VitStep step = new VitStep(model, batch);
        ImmutableTaskGraph g = step.trainGraph(OptimizerConfig.DEFAULT);
        Set<DeviceArray> keep = Set.of(model.params(), step.moment1(), step.moment2());
        try (JavaDevice dev = new JavaDevice(2); ExecutionPlan plan = new ExecutionPlan(g).withDevice(dev)) {
            for (int t = 1; t <= 3; t++) {
                TinyModels.randomBatch(step, 1000 + t);
                step.schedule().host()[0] = 1e-2f;
                step.schedule().host()[1] = t;
                plan.execute().transferToHost(model.params());
                if (poison) {
                    for (DeviceArray a : g.arrays()) {
                        if (!keep.contains(a) && a instanceof FloatArray f) {
                            Arrays.fill(dev.floats(f), Float.NaN);
                        }
                    }
                }
            }
        }
        return model.params().host().clone();
    }
}
