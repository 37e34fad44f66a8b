package dev.multimax.cli;

import dev.multimax.experiment.AttentionBench;
import dev.multimax.experiment.FmaPeak;
import dev.multimax.experiment.StepBench;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.multimax.device.Device;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ProfileSummary;
import dev.multimax.graph.ProfilerMode;
import dev.multimax.graph.TaskGraph;
import dev.multimax.graph.TaskProfile;
import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import dev.multimax.util.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code multimax bench}: matmul GFLOP/s (2·M·N·K / kernel time) at 1024³ and at the model's
 * shapes, and the training step's ms and images/s (wall time of execute(), after 15 warm-up
 * steps, median of repeats), with the kernel time per op family and the attention layer's
 * forward and backward time (scores, MultiMax or SoftMax, context).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark matmul (GFLOP/s at 1024^3 and the model's shapes) and the training step (ms, images/s).",
            "Kernel times come from the profiler; step time is the wall time of one graph execution. Medians of repeats."})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    DeviceOption device;

    @Option(names = "--preset", defaultValue = "mnist-vit", description = "Model preset for the step and the matmul shapes (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size of the training step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--repeats", defaultValue = "20", description = "Timed repeats per measurement (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() throws InterruptedException {
        OptionChecks.bench(this);
        VitConfig config = Presets.get(preset);
        JsonObject result = new JsonObject();
        try (Device dev = device.open().device()) {
            result.addProperty("device", dev.id());
            int cores = Runtime.getRuntime().availableProcessors();
            double peak = FmaPeak.measure(cores, 5);
            System.out.printf("FMA peak of the cores: %.1f GFLOP/s (%d threads, %d-lane float vectors, best of 5)%n", peak,
                    cores, FmaPeak.lanes());
            result.addProperty("fma_peak_gflops", Math.round(peak * 10) / 10.0);
            JsonObject gflops = new JsonObject();
            for (Map.Entry<String, int[]> s : shapes(config, batch).entrySet()) {
                int[] mnk = s.getValue();
                double g = matmulGflops(dev, mnk[0], mnk[1], mnk[2], mnk[3] != 0, mnk[4] != 0);
                System.out.printf("matmul %-26s %8.1f GFLOP/s  %5.1f%% of the FMA peak%n", s.getKey(), g, 100 * g / peak);
                gflops.addProperty(s.getKey(), Math.round(g * 10) / 10.0);
            }
            result.add("matmul_gflops", gflops);
            result.add("train_step", trainStep(dev, config));
            result.add("attention_layer", attentionLayer(dev, config));
        }
        if (json != null) {
            String text = new GsonBuilder().setPrettyPrinting().create().toJson(result) + "\n";
            AtomicFiles.write(json, text.getBytes(StandardCharsets.UTF_8));
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /** 1024³, then the step's matmuls: name → {M, N, K, transA, transB}. */
    private static Map<String, int[]> shapes(VitConfig c, int batch) {
        Map<String, int[]> s = new LinkedHashMap<>();
        s.put("1024", new int[] {1024, 1024, 1024, 0, 0});
        int m = batch * c.numPatches();
        int d = c.embedDim();
        int h = c.mlpHidden();
        s.put("qkv_fwd " + m + "x" + 3 * d + "x" + d, new int[] {m, 3 * d, d, 0, 1});
        s.put("fc1_fwd " + m + "x" + h + "x" + d, new int[] {m, h, d, 0, 1});
        s.put("fc2_fwd " + m + "x" + d + "x" + h, new int[] {m, d, h, 0, 1});
        s.put("fc1_dx " + m + "x" + d + "x" + h, new int[] {m, d, h, 0, 0});
        s.put("fc1_dw " + h + "x" + d + "x" + m, new int[] {h, d, m, 1, 0});
        return s;
    }

    private double matmulGflops(Device dev, int m, int n, int k, boolean transA, boolean transB) {
        Random rng = new Random(1);
        FloatArray a = filled("a", m * k, rng);
        FloatArray b = filled("b", k * n, rng);
        FloatArray c = new FloatArray("c", m * n);
        TaskGraph g = new TaskGraph("bench").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b)
                .task("matmul", new KernelCall(Op.MATMUL, List.of(c.all(), a.all(), b.all()),
                        new int[] {m, n, k, transA ? 1 : 0, transB ? 1 : 0, 0}, new float[0]));
        ProfileSummary sum = new ProfileSummary();
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev).withWarmUp(3)
                .withProfiler(ProfilerMode.SILENT)) {
            for (int r = 0; r < repeats; r++) sum.add(plan.execute().profile().orElseThrow());
        }
        return 2.0 * m * n * k / (sum.kernelMs() * 1e6);
    }

    /**
     * The step with the fused and the unfused ops, interleaved ({@link StepBench#interleaved}):
     * wall time as training runs it (profiler off), kernel time per family from the profiled
     * executions of the same rounds, host = wall − kernel time.
     */
    private JsonObject trainStep(Device dev, VitConfig config) {
        StepBench fused = new StepBench(config, batch, true);
        StepBench unfused = new StepBench(config, batch, false);
        List<StepBench.Measured> m = StepBench.interleaved(dev, StepBench.DEFAULT_WARMUP, repeats, List.of(fused, unfused));
        StepBench.Measured f = m.get(0);
        StepBench.Measured u = m.get(1);
        ProfileSummary sum = f.profile();
        double ms = f.wallMs();
        System.out.printf("train step %s batch %d: %.1f ms/step, %.0f images/s (unprofiled, as training runs it; "
                + "unfused ops %.1f ms/step, %.2fx)%n", preset, batch, ms, batch * 1000 / ms, u.wallMs(), u.wallMs() / ms);
        System.out.printf("  fused:   %3d tasks, kernels %.1f ms, host (launches, copies, waits) %.1f ms = %.0f%% of the step%n",
                fused.tasks(), sum.kernelMs(), f.hostMs(), 100 * f.hostMs() / ms);
        System.out.printf("  unfused: %3d tasks, kernels %.1f ms, host %.1f ms = %.0f%%%n", unfused.tasks(),
                u.profile().kernelMs(), u.hostMs(), 100 * u.hostMs() / u.wallMs());
        JsonObject families = new JsonObject();
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Double> e : sum.familyMs().entrySet()) {
            lines.add(String.format("  %-10s %7.1f ms  %5.1f%%", e.getKey(), e.getValue(), 100 * e.getValue() / ms));
            families.addProperty(e.getKey(), Math.round(e.getValue() * 100) / 100.0);
        }
        lines.forEach(System.out::println);
        JsonObject o = new JsonObject();
        o.add("attention_per_layer_ms", attentionPerLayer(sum, config));
        o.addProperty("preset", preset);
        o.addProperty("batch", batch);
        o.addProperty("ms_per_step", Math.round(ms * 10) / 10.0);
        o.addProperty("images_per_s", Math.round(batch * 1000 / ms * 10) / 10.0);
        o.addProperty("unfused_ms_per_step", Math.round(u.wallMs() * 10) / 10.0);
        o.addProperty("kernel_ms", Math.round(sum.kernelMs() * 10) / 10.0);
        o.addProperty("host_ms", Math.round(f.hostMs() * 10) / 10.0);
        o.addProperty("unfused_kernel_ms", Math.round(u.profile().kernelMs() * 10) / 10.0);
        o.addProperty("unfused_host_ms", Math.round(u.hostMs() * 10) / 10.0);
        o.add("family_ms", families);
        return o;
    }

    /**
     * One attention layer's activation path, from the step's profile: the tasks directly under
     * {@code blocks.N.attn} (scores, the activation, context; not the residual add, nor the qkv/proj
     * Linears one level deeper), forward and backward separately, medians per step divided by the depth.
     */
    private JsonObject attentionPerLayer(ProfileSummary sum, VitConfig config) {
        java.util.regex.Pattern path = java.util.regex.Pattern.compile(".*\\.blocks\\.\\d+\\.attn\\.[a-z0-9_]+_(fwd|bwd)");
        java.util.function.Predicate<TaskProfile> onPath = t -> path.matcher(t.id()).matches()
                && !t.family().equals("residual");
        double fwd = sum.tasksMs(onPath.and(t -> t.id().endsWith("_fwd"))) / config.depth();
        double bwd = sum.tasksMs(onPath.and(t -> t.id().endsWith("_bwd"))) / config.depth();
        String act = config.attnAct().id();
        System.out.printf("%s attention per layer (B %d, H %d, N %d): forward %.2f ms, backward %.2f ms%n",
                act, batch, config.numHeads(), config.numPatches(), fwd, bwd);
        JsonObject o = new JsonObject();
        o.addProperty("activation", act);
        o.addProperty("forward", Math.round(fwd * 1000) / 1000.0);
        o.addProperty("backward", Math.round(bwd * 1000) / 1000.0);
        return o;
    }

    /**
     * One attention layer at the preset's shape, fused and unfused, MultiMax and softmax
     * ({@link AttentionBench}): the cost of MultiMax over softmax, and of not fusing.
     */
    private JsonObject attentionLayer(Device dev, VitConfig config) {
        Map<String, AttentionBench.Path> paths = new AttentionBench(batch, config.numPatches(), config.numHeads(),
                config.embedDim() / config.numHeads()).run(dev, 3, repeats);
        System.out.printf("attention layer (B %d, N %d, H %d, Dh %d), kernel ms, medians of %d interleaved rounds:%n",
                batch, config.numPatches(), config.numHeads(), config.embedDim() / config.numHeads(), repeats);
        JsonObject o = new JsonObject();
        for (AttentionBench.Path p : paths.values()) {
            System.out.printf("  %-17s forward %6.2f  backward %6.2f  total %6.2f%n", p.name(), p.forwardMs(), p.backwardMs(),
                    p.totalMs());
            JsonObject j = new JsonObject();
            j.addProperty("forward", Math.round(p.forwardMs() * 1000) / 1000.0);
            j.addProperty("backward", Math.round(p.backwardMs() * 1000) / 1000.0);
            o.add(p.name(), j);
        }
        double ratio = paths.get("multimax fused").totalMs() / paths.get("softmax fused").totalMs();
        double fusion = paths.get("multimax unfused").totalMs() / paths.get("multimax fused").totalMs();
        System.out.printf("  MultiMax / softmax (fused): %.2fx; unfused / fused (MultiMax): %.2fx%n", ratio, fusion);
        o.addProperty("multimax_over_softmax", Math.round(ratio * 1000) / 1000.0);
        o.addProperty("unfused_over_fused", Math.round(fusion * 1000) / 1000.0);
        return o;
    }

    private static FloatArray filled(String name, int n, Random rng) {
        FloatArray a = new FloatArray(name, n);
        for (int i = 0; i < n; i++) a.host()[i] = (float) (rng.nextDouble() - 0.5);
        return a;
    }
}
