package dev.multimax.device.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.check.CheckTarget;
import dev.multimax.check.OpCheck;
import dev.multimax.check.OpSample;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.Op;
import dev.multimax.device.TestDevices;
import dev.multimax.device.opencl.OpenClDevice;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.TaskGraph;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.Presets;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import dev.multimax.nn.Activation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tasks/builds.tsv lists exactly the programs the binders build: every op's check cases and the
 * step and evaluation graphs of the presets (each activation in attention and head) are bound on
 * the first OpenCL device in every kernel variant that {@code check} covers, and the programs asked
 * for are compared with the list (GPU tunings: ptx and spirv; the others: spirv). A binder that
 * starts using new options fails here until the list is rewritten with
 * {@code -Dmultimax.kernels.update=true}, so the prebuilt kernels cannot fall behind the binders.
 */
class KernelBuildsTest {
    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }

    @Test
    void theBuildListHoldsExactlyTheProgramsTheBindersUse() throws Exception {
        Map<KernelBuild, Set<String>> used = new TreeMap<>();
        for (CheckTarget t : CheckTarget.open(TestDevices.openClIds().get(0))) {
            OpenClDevice dev = (OpenClDevice) t.device();
            for (OpSample s : OpCheck.samples(Arrays.asList(Op.values()), 1)) bind(dev, s);
            for (String preset : List.of(Presets.DEFAULT, "deit-tiny")) {
                for (Activation act : Activation.values()) {
                    VitModel model = new VitModel(Presets.get(preset).withActivations(act, act));
                    VitStep step = new VitStep(model, 2);
                    try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OptimizerConfig.DEFAULT), step.evalGraph(false))
                            .withDevice(dev).withPreCompilation()) {
                        // binding only: every program built, nothing run
                    }
                }
            }
            String target = t.label().contains("[gpu") ? KernelBuildList.PTX : KernelBuildList.SPIRV;
            for (KernelBuild b : dev.buildsUsed()) {
                Set<String> targets = used.computeIfAbsent(b, k -> new TreeSet<>());
                targets.add(KernelBuildList.SPIRV);
                targets.add(target);
            }
            dev.close();
        }
        Path file = Path.of(KernelBuildList.FILE);
        if (Boolean.getBoolean("multimax.kernels.update")) KernelBuildList.write(file, used);
        Map<KernelBuild, Set<String>> listed = KernelBuildList.read(file);
        System.out.printf("kernel builds: %d used by the binders, %d listed (%d with ptx)%n", used.size(), listed.size(),
                KernelBuildList.withTarget(listed, KernelBuildList.PTX).size());
        assertThat(listed).as("%s against the programs the binders build; rewrite it with -Dmultimax.kernels.update=true",
                KernelBuildList.FILE).isEqualTo(used);
    }

    private static void bind(OpenClDevice dev, OpSample s) {
        List<DeviceArray> arrays = s.arrays();
        TaskGraph g = new TaskGraph("builds").task(s.op().kernelName(), s.call(arrays));
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev).withPreCompilation()) {
            // binding only
        }
    }
}
