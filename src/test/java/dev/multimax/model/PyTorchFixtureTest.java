package dev.multimax.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.Device;
import dev.multimax.device.TestDevices;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.io.SafetensorsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole model against an independent PyTorch implementation (tests/pytorch/make_fixture.py):
 * same weights and batch; logits, loss and the gradient of every parameter, by timm name, must
 * agree. PyTorch computed in float64, we in float32 over ~10 layers of sums: relative L2 error
 * per tensor ≤ 1e-4 (fp32 resolution 6e-8 times error growth through the network, with margin).
 */
class PyTorchFixtureTest {
    static List<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (String id : TestDevices.ids()) {
            for (String f : List.of("tiny-vit-multimax", "tiny-vit-softmax")) out.add(new Object[] {id, f});
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void logitsLossAndEveryGradientMatchPyTorch(String deviceId, String fixture) throws Exception {
        Device device = TestDevices.get(deviceId);
        SafetensorsFile f = SafetensorsFile.read(Path.of("src/test/resources/fixtures/" + fixture + ".safetensors"));
        VitConfig config = VitConfig.fromJson(f.metadata().get("config"), fixture);
        VitModel model = new VitModel(config);
        for (ParamLayout.Param p : model.layout().params()) model.set(p.name(), f.floats(p.name()));
        float[] images = f.floats("input.images");
        long[] labels = f.longs("input.labels");
        VitStep step = new VitStep(model, labels.length);
        System.arraycopy(images, 0, step.images().host(), 0, images.length);
        for (int i = 0; i < labels.length; i++) step.labels().host()[i] = (int) labels[i];
        step.valid().host()[0] = labels.length;
        step.schedule().host()[0] = 1e-3f;
        step.schedule().host()[1] = 1;

        try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OptimizerConfig.DEFAULT)).withDevice(device)) {
            ExecutionResult r = plan.execute();
            r.transferToHost(step.grads(), step.logits());
        }
        double loss = step.metrics().host()[0] / labels.length;
        assertThat(loss).isCloseTo(f.doubles("output.loss")[0], org.assertj.core.data.Offset.offset(1e-5));
        assertRelL2("logits", step.logits().host(), f.doubles("output.logits"), 1e-4);
        ParamLayout lay = model.layout();
        for (ParamLayout.Param p : lay.params()) {
            float[] g = new float[p.size()];
            System.arraycopy(step.grads().host(), p.offset(), g, 0, g.length);
            assertRelL2("grad " + p.name(), g, f.doubles("grad." + p.name()), 1e-4);
        }
    }

    static void assertRelL2(String what, float[] got, double[] want, double tol) {
        assertThat(got.length).as(what + " length").isEqualTo(want.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        double rel = Math.sqrt(num / Math.max(den, 1e-30));
        assertThat(rel).as(what + ": relative L2 error").isLessThanOrEqualTo(tol);
    }
}
