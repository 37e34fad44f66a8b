package dev.multimax.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.KernelHarness;
import dev.multimax.device.TestDevices;
import dev.multimax.device.ref.RefDevice;
import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import dev.multimax.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A whole training step on every device and kernel variant against {@code ref:0}, task by task and
 * end to end ({@link StepCheck}): the tiny model with MultiMax (fused and unfused ops) and with
 * softmax, and the default preset at batch 4.
 */
class StepCheckTest {
    private static final RefDevice REF = new RefDevice();

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (CheckTarget t : TestDevices.checkTargets()) {
            all.add(Arguments.of(t.label(), "tiny multimax"));
            all.add(Arguments.of(t.label(), "tiny multimax unfused"));
            all.add(Arguments.of(t.label(), "tiny softmax"));
            all.add(Arguments.of(t.label(), Presets.DEFAULT));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void stepMatchesTheReference(String target, String model) {
        long seed = KernelHarness.freshSeed("step " + model + " on " + target);
        VitConfig config = switch (model) {
            case "tiny multimax", "tiny multimax unfused" -> StepCheck.tiny();
            case "tiny softmax" -> StepCheck.tiny().withActivations(Activation.SOFTMAX, Activation.SOFTMAX);
            default -> Presets.get(model);
        };
        int batch = model.startsWith("tiny") ? 3 : 4;
        for (CheckResult r : StepCheck.run(TestDevices.checkTarget(target), REF, model, config, batch, seed,
                !model.endsWith("unfused"))) {
            System.out.printf("%s %s %s: max |err| %.2e rel L2 %.2e %s%n", target, model, r.variant(), r.maxAbs(), r.relL2(),
                    r.detail());
            assertThat(r.ok()).as("%s %s on %s: %s", r.variant(), r.shape(), target, r.detail()).isTrue();
        }
    }
}
