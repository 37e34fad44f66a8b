package dev.multimax.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.Device;
import dev.multimax.device.TestDevices;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole model's backward (two blocks, the head, all 8 MultiMax parameters of every site)
 * against central differences of the loss computed by the eval graph on the same device.
 * The forward runs in fp32, so the step is large (h = 3e-3; 5e-4 for ranges and ts) and the check
 * loose: |fd − g| ≤ 2e-3 + 5 %·|g| (fp32 loss noise ~1e-6 / h ≈ 3e-4; O(h²) curvature; a σ kink
 * crossed inside ±h).
 * The PyTorch fixture test checks the same gradients tightly against float64 autograd.
 */
class ModelFiniteDifferenceTest {
    static List<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (String id : TestDevices.ids()) {
            out.add(new Object[] {id, Activation.MULTIMAX, Activation.MULTIMAX, 1.0});
            out.add(new Object[] {id, Activation.SOFTMAX, Activation.SOFTMAX, 1.0});
            out.add(new Object[] {id, Activation.SOFTMAX, Activation.SOFTMAX, 0.5});
            // sparsemax, entmax-1.5 and evsoftmax are not here: their supports and masks change at
            // kinks and jumps that thousands of attention rows make difference quotients straddle
            // (tried: flaky whatever the step). Their backwards are checked per op against the float64
            // references of science.RowActivation, which are checked against central differences.
        }
        return out;
    }

    @ParameterizedTest(name = "{0} attn={1} head={2} T={3}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(String deviceId, Activation attn, Activation head, double temperature) {
        Device device = TestDevices.get(deviceId);
        long seed = System.nanoTime();
        System.out.println("finite-difference seed " + seed);
        VitModel model = TinyModels.randomModel(
                TinyModels.config(attn, head, true).withActivations(attn, head, temperature), seed);
        VitStep step = new VitStep(model, 3);
        TinyModels.randomBatch(step, seed + 1);
        step.schedule().host()[0] = 0f; // AdamW with lr 0 leaves the weights as they are
        step.schedule().host()[1] = 1;
        float[] grads;
        try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OptimizerConfig.DEFAULT)).withDevice(device)) {
            plan.execute().transferToHost(step.grads());
            grads = step.grads().host().clone();
        }
        VitStep evalStep = new VitStep(model, 3);
        System.arraycopy(step.images().host(), 0, evalStep.images().host(), 0, step.images().length());
        System.arraycopy(step.labels().host(), 0, evalStep.labels().host(), 0, 3);
        evalStep.valid().host()[0] = 3;
        Random pick = new Random(seed + 2);
        float[] p = model.params().host();
        int checked = 0;
        for (ParamLayout.Param prm : model.layout().params()) {
            boolean multimax = prm.name().endsWith("ranges") || prm.name().endsWith("ts");
            int samples = multimax ? prm.size() : Math.min(prm.size(), 3);
            for (int s = 0; s < samples; s++) {
                int i = prm.offset() + (multimax ? s : pick.nextInt(prm.size()));
                // MultiMax thresholds: a score within ±h of a range r makes the difference quotient an
                // average over a kink (error up to |t·u| ~ 1e-3); a 6x smaller step makes that 6x rarer,
                // at fp32 noise ~2e-7/(2h) = 2e-4, still inside the tolerance.
                float h = multimax ? 5e-4f : 3e-3f;
                double tolerance = 2e-3 + 0.05 * Math.abs(grads[i]);
                double fd = centralDifference(device, evalStep, p, i, h);
                // Any parameter moves thousands of attention scores, and one of them may cross a
                // MultiMax threshold within ±h (a kink: the quotient averages two slopes). A wrong
                // gradient disagrees at every step; a kink's error shrinks with it: try h/4 once.
                if (Math.abs(fd - grads[i]) > tolerance) fd = centralDifference(device, evalStep, p, i, h / 4);
                assertThat(Math.abs(fd - grads[i])).as("%s[%d]: finite difference %.6f (h and h/4), backward %.6f",
                        prm.name(), i - prm.offset(), fd, grads[i]).isLessThanOrEqualTo(tolerance);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    /** (L(p + h) − L(p − h)) / 2h in parameter i, leaving p[i] as it was. */
    private static double centralDifference(Device device, VitStep evalStep, float[] p, int i, float h) {
        float keep = p[i];
        p[i] = keep + h;
        double up = loss(device, evalStep);
        p[i] = keep - h;
        double down = loss(device, evalStep);
        p[i] = keep;
        return (up - down) / (2 * h);
    }

    private static double loss(Device device, VitStep step) {
        try (ExecutionPlan plan = new ExecutionPlan(step.evalGraph(true)).withDevice(device)) {
            plan.execute();
        }
        return step.metrics().host()[0] / step.batch();
    }
}
