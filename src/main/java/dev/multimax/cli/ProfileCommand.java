package dev.multimax.cli;

import dev.multimax.experiment.StepBench;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import dev.multimax.device.Device;
import dev.multimax.device.ref.RefDevice;
import dev.multimax.graph.GraphProfile;
import dev.multimax.graph.TaskCheck;
import dev.multimax.graph.ProfileSummary;
import dev.multimax.graph.ProfileSummary.Row;
import dev.multimax.model.VitConfig;
import dev.multimax.util.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code multimax profile}: the training step on one device, per op family and kernel: ms per
 * step, share of the step, GFLOP/s or GB/s; optionally every profiled step's TornadoVM-format JSON.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Profile the training step (forward, loss, backward, AdamW) on one device, per op family and kernel.",
            "",
            "The step graph of --preset at --batch is built with fixed-seed weights and data (the same as bench and "
                + "compare), run --warmup times without counting (kernel compilation, JIT, caches), then --steps times "
                + "with the profiler.",
            "",
            "Kernel time of a task is the device's own timer (OpenCL: event start to end; java:0: wall time around "
                + "the kernel). Step time is the wall time of one graph execution (copies, launches, kernels). Every "
                + "number printed is the median over the profiled steps; a family's time is the sum of its tasks' "
                + "kernel times in one step.",
            "",
            "GFLOP/s = FLOPs of the products (matmul 2*M*N*K, attention 2*B*H*N*N*Dh each) / kernel time, for matmul "
                + "and attention. GB/s = the least bytes an op moves (inputs read and outputs written once, 4 bytes "
                + "an element) / kernel time, for the memory-bound rest.",
            "",
            "--json writes a JSON array with one TornadoVM profiler object per profiled step (TornadoVM's keys, "
                + "times in ns as strings).",
            ""},
        footer = {"", "Exit codes: 0 done, 2 bad option or file, 4 a kernel failed to build or run on the device, 5 --check found a task "
            + "off its tolerance."})
final class ProfileCommand implements Callable<Integer> {
    @Mixin
    DeviceOption device;

    @Mixin
    StepOptions step;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every profiled step's profile, a JSON array (times in ns).")
    Path json;

    @Option(names = "--check", description = "After profiling, run one more step task by task against ref:0, the float64 "
            + "reference, and name the first task whose outputs leave their tolerance (exit code 5). Slow: ref:0 is a "
            + "plain loop (seconds per GFLOP).")
    boolean check;

    @Override
    public Integer call() {
        OptionChecks.profile(this);
        VitConfig config = step.config();
        requireFolderOf(json);
        StepBench bench = new StepBench(config, step.batch, !step.unfused);
        List<GraphProfile> profiles = new ArrayList<>();
        ProfileSummary sum;
        boolean checkFailed = false;
        try (Device dev = device.open().device()) {
            System.out.println("step graph: " + step.describe() + ", " + bench.tasks() + " tasks");
            sum = bench.run(dev, step.warmup, step.steps, dev.id(), profiles::add);
            summary(sum, step.batch).forEach(System.out::println);
            if (check) {
                System.err.println("check: running the step on " + dev.id() + " and ref:0, task by task ...");
                List<TaskCheck> checks;
                try (RefDevice ref = new RefDevice()) {
                    checks = bench.check(dev, ref);
                }
                TaskCheckReport.print(step.describe() + " on " + dev.id(), checks);
                if (checks.stream().anyMatch(c -> !c.ok())) checkFailed = true;
            }
        }
        if (json != null) {
            JsonArray all = new JsonArray();
            for (GraphProfile p : profiles) all.add(p.toJson());
            String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(all) + "\n";
            AtomicFiles.write(json, text.getBytes(StandardCharsets.UTF_8));
            System.out.println("wrote " + json + " (" + profiles.size() + " step profiles)");
        }
        return checkFailed ? Main.CHECK_FAILED : 0;
    }

    /** A file we will write at the end must be writable before minutes of work: its folder must exist. */
    static void requireFolderOf(Path file) {
        if (file == null) return;
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError(file + ": cannot write: directory " + dir + " does not exist");
        }
    }

    /** The printed summary: step totals, then a row per family and per kernel of a family with several. */
    static List<String> summary(ProfileSummary s, int batch) {
        double step = s.graphMs();
        List<String> out = new ArrayList<>();
        out.add(String.format("step %.2f ms (median wall time of one execution), %.1f images/s", step, batch * 1000 / step));
        out.add(String.format("  kernels %.2f ms, host<->device copies %.2f ms, dispatch %.2f ms (medians)",
                s.kernelMs(), s.copyMs(), s.dispatchMs()));
        out.add("");
        out.add(String.format("%-24s %5s %9s %7s %9s %8s", "family / kernel", "tasks", "ms/step", "% step", "GFLOP/s", "GB/s"));
        List<Row> kernels = s.kernels();
        for (Row f : s.families()) {
            out.add(row(f.family(), f, step));
            List<Row> mine = kernels.stream().filter(k -> k.family().equals(f.family())).toList();
            if (mine.size() == 1 && mine.get(0).kernel().equals(f.family())) continue;
            for (Row k : mine) out.add(row("  " + k.kernel(), k, step));
        }
        return out;
    }

    private static String row(String name, Row r, double stepMs) {
        boolean timed = r.ms() > 0; // a kernel faster than the timer's resolution has no rate
        String gflops = timed && r.cost().computeBound() ? String.format("%.1f", r.gflops()) : "-";
        String gbps = timed && !r.cost().computeBound() ? String.format("%.1f", r.gbps()) : "-";
        return String.format("%-24s %5d %9.2f %6.1f%% %9s %8s", name, r.tasks(), r.ms(), 100 * r.ms() / stepMs, gflops, gbps);
    }
}
