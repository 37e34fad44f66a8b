package dev.multimax.device.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.check.StepCheck;
import dev.multimax.device.Device;
import dev.multimax.device.KernelHarness;
import dev.multimax.device.TestDevices;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step whose programs come from the SPIR-V modules the jar ships (opencl:P:D/spirv: on
 * PoCL, the modules translated back to SPIR 1.2 bitcode) equals the step built from the .cl sources,
 * bit for bit: same kernels, same options, same driver, the same code after the round trip. And the
 * programs really are the prebuilt ones: the device says so, and its builds are all in the list.
 */
class SpirvStepTest {
    @BeforeAll
    static void needsSpirCapableOpenCl() {
        String id = TestDevices.requireOpenCl();
        org.junit.jupiter.api.Assumptions.assumeTrue(OpenClDevice.takesSpirv(id), id + " takes no SPIR bitcode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", Presets.DEFAULT})
    void aStepFromSpirvEqualsTheStepFromSource(String model) {
        long seed = KernelHarness.freshSeed("spirv step " + model);
        VitConfig config = model.equals("tiny") ? StepCheck.tiny() : Presets.get(model);
        String id = TestDevices.openClIds().get(0);
        float[][] source = step(TestDevices.get(id), config, seed);
        try (OpenClDevice spirv = OpenClDevice.open(id + OpenClDevice.SPIRV_SUFFIX)) {
            assertThat(spirv.fromSpirv()).isTrue();
            float[][] fromModules = step(spirv, config, seed);
            for (int k = 0; k < source.length; k++) {
                assertThat(fromModules[k]).as(List.of("metrics", "gradients", "parameters").get(k)).containsExactly(source[k]);
            }
            assertThat(dev.multimax.device.kernels.KernelBuildList.shipped()).containsKeys(
                    spirv.buildsUsed().toArray(new dev.multimax.device.kernels.KernelBuild[0]));
        }
    }

    /** PTX as an OpenCL program binary is NVIDIA's: elsewhere the device says so, naming the kernel, instead of failing obscurely. */
    @org.junit.jupiter.api.Test
    void ptxProgramsAreRefusedOffNvidiaWithTheReason() {
        String id = TestDevices.openClIds().get(0);
        org.junit.jupiter.api.Assumptions.assumeFalse(TestDevices.get(id).info().name().toLowerCase().contains("nvidia"));
        try (OpenClDevice ptx = OpenClDevice.open(id + OpenClDevice.PTX_SUFFIX)) {
            assertThat(ptx.id()).isEqualTo(id + "/ptx");
            dev.multimax.device.FloatArray z = new dev.multimax.device.FloatArray("z", 3);
            ptx.allocate(z);
            var call = new dev.multimax.device.KernelCall(dev.multimax.device.Op.RESIDUAL_ADD, List.of(z.all(), z.all(), z.all()),
                    new int[] {3}, new float[0]);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ptx.compile("t", call))
                    .isInstanceOf(dev.multimax.device.KernelException.class)
                    .hasMessageContaining("is not an NVIDIA OpenCL device").hasMessageContaining("residual_add");
        }
    }

    private static float[][] step(Device device, VitConfig config, long seed) {
        VitModel model = StepCheck.randomModel(config, seed);
        VitStep step = new VitStep(model, 4);
        StepCheck.randomBatch(step, seed + 1);
        step.schedule().host()[0] = 1e-3f;
        step.schedule().host()[1] = 1;
        try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OptimizerConfig.DEFAULT)).withDevice(device)) {
            plan.execute().transferToHost(step.grads(), model.params());
        }
        return new float[][] {step.metrics().host().clone(), step.grads().host().clone(), model.params().host().clone()};
    }
}
