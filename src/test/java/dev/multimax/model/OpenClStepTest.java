package dev.multimax.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.Device;
import dev.multimax.device.TestDevices;
import dev.multimax.device.java.JavaDevice;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A whole training step (forward, loss, backward, AdamW) of the tiny model on each OpenCL device
 * equals the same step on java:0, and stays close for a few more steps.
 *
 * <p>Tolerances: the devices run the same fp32 formulas in different summation orders (and with
 * different erf/exp implementations), so values differ by a few ulps per op, growing through the
 * layers: loss within 1e-5 relative and every gradient tensor within relative L2 1e-4 after one
 * step; every parameter tensor within relative L2 1e-4 after one step and 1e-3 after four (the
 * differences compound through the updates). AdamW's eps is 1e-6 here, not 1e-8: at step 1 the
 * update is g/(|g| + eps), so a gradient within rounding noise of 0 would flip a whole lr-sized step
 * between devices; the larger eps damps exactly those.
 */
class OpenClStepTest {
    /** Every test here needs an OpenCL device: without one the class fails under CI=true and is skipped elsewhere. */
    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }

    private static final OptimizerConfig OPT = new OptimizerConfig(0.9f, 0.999f, 1e-6f, 0.05f);
    private static final int BATCH = 3;
    private static final int STEPS = 4;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String id : TestDevices.openClIds()) {
            all.add(Arguments.of(id, Activation.MULTIMAX, Activation.MULTIMAX));
            all.add(Arguments.of(id, Activation.SOFTMAX, Activation.SOFTMAX));
        }
        return all.stream();
    }

    /** The run of one device: per step the loss, #correct; gradients after step 1, parameters after steps 1 and 4. */
    private record Run(float[] loss, float[] correct, float[] grads1, float[] params1, float[] paramsLast) {
    }

    @ParameterizedTest(name = "{0} attn={1} head={2}")
    @MethodSource("cases")
    void stepsOnOpenClMatchJava(String id, Activation attn, Activation head) {
        long seed = System.nanoTime();
        System.out.println("opencl-step seed " + seed);
        VitConfig config = TinyModels.config(attn, head, true);
        Run java = run(TestDevices.get(JavaDevice.ID), config, seed);
        Run cl = run(TestDevices.get(id), config, seed);
        ParamLayout layout = new VitModel(config).layout();
        for (int s = 0; s < STEPS; s++) {
            assertThat((double) cl.loss()[s]).as("Σ loss at step %d", s + 1)
                    .isCloseTo(java.loss()[s], org.assertj.core.data.Offset.offset(1e-5 * Math.abs(java.loss()[s]) + 1e-6));
        }
        assertThat(cl.correct()[0]).as("#correct at step 1").isEqualTo(java.correct()[0]);
        for (ParamLayout.Param p : layout.params()) {
            assertThat(relL2(cl.grads1(), java.grads1(), p)).as("gradient %s after step 1", p.name()).isLessThanOrEqualTo(1e-4);
            assertThat(relL2(cl.params1(), java.params1(), p)).as("%s after step 1", p.name()).isLessThanOrEqualTo(1e-4);
            assertThat(relL2(cl.paramsLast(), java.paramsLast(), p)).as("%s after step %d", p.name(), STEPS)
                    .isLessThanOrEqualTo(1e-3);
        }
    }

    private static Run run(Device device, VitConfig config, long seed) {
        VitModel model = TinyModels.randomModel(config, seed);
        VitStep step = new VitStep(model, BATCH);
        float[] loss = new float[STEPS];
        float[] correct = new float[STEPS];
        float[] grads1 = null;
        float[] params1 = null;
        try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OPT)).withDevice(device)) {
            for (int s = 0; s < STEPS; s++) {
                TinyModels.randomBatch(step, seed + 1 + s);
                if (s == STEPS - 1) step.valid().host()[0] = BATCH - 1; // a short last batch
                step.schedule().host()[0] = 1e-3f;
                step.schedule().host()[1] = s + 1;
                var result = plan.execute();
                loss[s] = step.metrics().host()[0];
                correct[s] = step.metrics().host()[1];
                if (s == 0) {
                    result.transferToHost(step.grads(), model.params());
                    grads1 = step.grads().host().clone();
                    params1 = model.params().host().clone();
                }
                if (s == STEPS - 1) result.transferToHost(model.params());
            }
        }
        return new Run(loss, correct, grads1, params1, model.params().host().clone());
    }

    /** ‖a − b‖ / ‖b‖ over one parameter tensor (‖b‖ floored at 1e-12). */
    private static double relL2(float[] a, float[] b, ParamLayout.Param p) {
        double diff = 0, norm = 0;
        for (int i = p.offset(); i < p.offset() + p.size(); i++) {
            diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
            norm += (double) b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    }
}
