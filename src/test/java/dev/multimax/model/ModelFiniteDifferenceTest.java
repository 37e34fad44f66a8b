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
            // The other activations (their heads train on −log p): sparse attention with a sparse head,
            // softmax at a temperature with an evsoftmax head, softmax attention with a sparsemax head.
            // Not evsoftmax attention: its mask (score ≥ row mean) switches weights between 1e-6 and 1,
            // a jump that thousands of attention rows make almost every difference quotient straddle;
            // its backward (mask held fixed) is checked per op against the float64 reference.
            out.add(new Object[] {id, Activation.SPARSEMAX, Activation.ENTMAX15, 1.0});
            out.add(new Object[] {id, Activation.SOFTMAX, Activation.EVSOFTMAX, 0.5});
            out.add(new Object[] {id, Activation.SOFTMAX, Activation.SPARSEMAX, 1.0});
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
        if (head == Activation.SPARSEMAX || head == Activation.ENTMAX15) {
            // a random tiny model's logits are far apart, and a sparse head then puts all mass on one
            // class (zero gradient everywhere): shrink the head so several classes share the support
            for (String name : new String[] {"head.weight", "head.bias"}) {
                ParamLayout.Param hp = model.layout().get(name);
                for (int i = hp.offset(); i < hp.offset() + hp.size(); i++) model.params().host()[i] *= 0.05f;
            }
            labelInsideTheSupport(device, step);
        }
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
        int kinks = 0;
        boolean piecewise = attn.ordinal() > Activation.MULTIMAX.ordinal() || head.ordinal() > Activation.MULTIMAX.ordinal();
        double largest = 0;  // a head that passed no gradient back would make the check vacuous
        for (ParamLayout.Param prm : model.layout().params()) {
            boolean multimax = prm.name().endsWith("ranges") || prm.name().endsWith("ts");
            int samples = multimax ? prm.size() : Math.min(prm.size(), 3) + 1;
            int argmax = prm.offset();  // each tensor's largest gradient is checked too: with a sparse
            for (int j = prm.offset(); j < prm.offset() + prm.size(); j++) {  // head, random picks may all be 0
                if (Math.abs(grads[j]) > Math.abs(grads[argmax])) argmax = j;
            }
            for (int s = 0; s < samples; s++) {
                int i = multimax ? prm.offset() + s : s == samples - 1 ? argmax : prm.offset() + pick.nextInt(prm.size());
                // MultiMax thresholds: a score within ±h of a range r makes the difference quotient an
                // average over a kink (error up to |t·u| ~ 1e-3); a 6x smaller step makes that 6x rarer,
                // at fp32 noise ~2e-7/(2h) = 2e-4, still inside the tolerance.
                float h = multimax ? 5e-4f : 3e-3f;
                double fd = difference(device, evalStep, p, i, h);
                double tol = 2e-3 + 0.05 * Math.abs(grads[i]);
                if (piecewise && Math.abs(fd - grads[i]) > tol
                        && Math.abs(fd - difference(device, evalStep, p, i, h / 4)) > tol) {
                    // sparsemax/entmax/evsoftmax change their support at kinks: a quotient that moves
                    // with the step straddles one and says nothing about the derivative
                    kinks++;
                    continue;
                }
                assertThat(Math.abs(fd - grads[i])).as("%s[%d]: finite difference %.6f, backward %.6f",
                        prm.name(), i - prm.offset(), fd, grads[i]).isLessThanOrEqualTo(tol);
                checked++;
                largest = Math.max(largest, Math.abs(grads[i]));
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(kinks).as("coordinates skipped at a kink").isLessThan(checked / 5);
        assertThat(largest).as("largest checked gradient").isGreaterThan(1e-3);
    }

    /**
     * A sparse head (sparsemax, entmax) gives a row whose label has probability 0 no gradient at all
     * (−log of the 1e-12 clamp is constant), so a random label could leave the check nothing to
     * check: label each row with its least likely class that still has probability > 0.
     */
    private static void labelInsideTheSupport(Device device, VitStep step) {
        step.valid().host()[0] = step.batch();
        try (ExecutionPlan plan = new ExecutionPlan(step.evalGraph(true)).withDevice(device)) {
            plan.execute().transferToHost(step.logits());
        }
        float[] probs = step.logits().host();
        int k = probs.length / step.batch();
        for (int r = 0; r < step.batch(); r++) {
            int best = -1;
            for (int j = 0; j < k; j++) {
                float q = probs[r * k + j];
                if (q > 0 && (best < 0 || q < probs[r * k + best])) best = j;
            }
            step.labels().host()[r] = best;
        }
    }

    /** Central difference of the mean loss in parameter i with step h (p[i] restored). */
    private static double difference(Device device, VitStep step, float[] p, int i, float h) {
        float keep = p[i];
        p[i] = keep + h;
        double up = loss(device, step);
        p[i] = keep - h;
        double down = loss(device, step);
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
