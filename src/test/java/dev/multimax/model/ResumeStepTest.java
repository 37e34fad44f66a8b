package dev.multimax.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.DeviceArray;
import dev.multimax.device.FloatArray;
import dev.multimax.device.java.JavaDevice;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ImmutableTaskGraph;
import dev.multimax.nn.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A resumed run starts a fresh plan and device from the checkpointed parameters and AdamW
 * moments; its first step must be bitwise the same as that step in an uninterrupted run, whose
 * plan (and the kernels' scratch) already ran earlier steps and evaluations. Every device buffer
 * is compared after the step, so a failure names the first activation or gradient that differs.
 */
class ResumeStepTest {
    @Test
    void aStepInAFreshPlanEqualsTheSameStepAfterOthers() {
        check(TinyModels.config(Activation.MULTIMAX, Activation.MULTIMAX, false), 5, 4);
    }

    @Test
    void theSameAtMnistVitShapes() {
        check(Presets.get("mnist-vit"), 4, 3);
    }

    private static void check(VitConfig config, int batch, int k) {
        float[][] state = new float[3][];
        Map<String, float[]> after = run(config, batch, k, null, state);
        Map<String, float[]> fresh = run(config, batch, k, state, null);
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, float[]> e : after.entrySet()) {
            float[] x = e.getValue(), y = fresh.get(e.getKey());
            int diff = 0, first = -1;
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToIntBits(x[i]) != Float.floatToIntBits(y[i])) {
                    if (first < 0) first = i;
                    diff++;
                }
            }
            if (diff > 0) bad.add(e.getKey() + " (" + diff + "/" + x.length + " from " + first + ")");
        }
        assertThat(bad).as("buffers that depend on what the plan ran before").isEmpty();
    }

    /**
     * Runs step k of a fixed sequence. With {@code restore == null}: steps 1..k-1 (and an
     * evaluation after each) run first in the same plan, and the parameters and moments before
     * step k go to {@code save}; else a fresh plan starts from {@code restore}. Returns every
     * float buffer after step k, by name.
     */
    private static Map<String, float[]> run(VitConfig config, int batch, int k, float[][] restore, float[][] save) {
        VitModel model = new VitModel(config);
        model.initialize(99);
        VitStep step = new VitStep(model, batch);
        ImmutableTaskGraph train = step.trainGraph(OptimizerConfig.DEFAULT);
        ImmutableTaskGraph eval = step.evalGraph(false);
        try (JavaDevice dev = new JavaDevice(2); ExecutionPlan plan = new ExecutionPlan(train, eval).withDevice(dev)) {
            if (restore != null) {
                System.arraycopy(restore[0], 0, model.params().host(), 0, restore[0].length);
                System.arraycopy(restore[1], 0, step.moment1().host(), 0, restore[1].length);
                System.arraycopy(restore[2], 0, step.moment2().host(), 0, restore[2].length);
            } else {
                for (int t = 1; t < k; t++) {
                    stepInputs(step, t);
                    plan.withGraph(0).execute();
                    TinyModels.randomBatch(step, 5000 + t);
                    plan.withGraph(1).execute();
                }
                save[0] = dev.floats(model.params()).clone();
                save[1] = dev.floats(step.moment1()).clone();
                save[2] = dev.floats(step.moment2()).clone();
            }
            stepInputs(step, k);
            plan.withGraph(0).execute();
            Map<String, float[]> out = new LinkedHashMap<>();
            for (DeviceArray a : train.arrays()) {
                if (a instanceof FloatArray f) out.put(f.name(), dev.floats(f).clone());
            }
            return out;
        }
    }

    private static void stepInputs(VitStep step, int t) {
        TinyModels.randomBatch(step, 1000 + t);
        step.schedule().host()[0] = 1e-2f;
        step.schedule().host()[1] = t;
    }
}
