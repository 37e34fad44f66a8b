import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.GraphProfile;
import dev.multimax.graph.ProfilerMode;
import dev.multimax.graph.TaskProfile;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.Presets;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Development harness (not part of the product): runs N training steps of mnist-vit at batch 128
 * on java:0 and prints each step's wall time, then the last step's kernel time per kernel name.
 *   javac --add-modules jdk.incubator.vector -cp target/classes -d /tmp/sp bench/StepProfile.java
 *   java --add-modules jdk.incubator.vector -cp target/classes:target/lib/*:/tmp/sp StepProfile 8
 */
public class StepProfile {
    public static void main(String[] args) {
        VitModel model = new VitModel(Presets.get("mnist-vit"));
        model.initialize(1);
        VitStep step = new VitStep(model, 128);
        Random rng = new Random(1);
        for (int i = 0; i < step.images().length(); i++) step.images().host()[i] = (float) rng.nextGaussian();
        step.valid().host()[0] = 128;
        step.schedule().host()[0] = 1e-4f;
        try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OptimizerConfig.DEFAULT))
                .withProfiler(ProfilerMode.SILENT)) {
            GraphProfile last = null;
            for (int it = 1; it <= Integer.parseInt(args[0]); it++) {
                step.schedule().host()[1] = it;
                last = plan.execute().profile().orElseThrow();
                System.out.printf("it %d: %.1f ms%n", it, last.graphNanos() / 1e6);
            }
            Map<String, Double> byKernel = new TreeMap<>();
            for (TaskProfile t : last.tasks()) byKernel.merge(t.kernel(), t.kernelNanos() / 1e6, Double::sum);
            byKernel.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                    .forEach(e -> System.out.printf("  %-18s %7.2f ms%n", e.getKey(), e.getValue()));
        }
    }
}
