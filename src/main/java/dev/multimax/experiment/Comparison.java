package dev.multimax.experiment;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.java.JavaDevice;
import dev.multimax.graph.ProfileSummary;
import dev.multimax.graph.ProfileSummary.Row;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The same training step profiled on several devices, side by side: a Markdown table (ms per step
 * per op family, kernels, step, images/s, speed-ups over the baseline) and the JSON behind it.
 * The baseline is {@code java:0} when it was compared, else the first device.
 */
public final class Comparison {
    /** One device's result. */
    public record DeviceRun(String id, DeviceInfo info, ProfileSummary summary) {
    }

    private final StepSetup step;
    private final List<DeviceRun> runs;
    private final DeviceRun baseline;

    public Comparison(StepSetup step, List<DeviceRun> runs) {
        this.step = step;
        this.runs = List.copyOf(runs);
        this.baseline = runs.stream().filter(r -> r.id().equals(JavaDevice.ID)).findFirst().orElse(runs.get(0));
    }

    List<DeviceRun> runs() {
        return runs;
    }

    String title() {
        return "Training step of " + step.preset() + " at batch " + step.batch();
    }

    /** Every family any device ran, in the baseline's order (largest first), then any others. */
    List<String> families() {
        Set<String> f = new LinkedHashSet<>(baseline.summary().familyMs().keySet());
        for (DeviceRun r : runs) f.addAll(r.summary().familyMs().keySet());
        return new ArrayList<>(f);
    }

    static double familyMs(DeviceRun r, String family) {
        return r.summary().familyMs().getOrDefault(family, 0.0);
    }

    public List<String> markdown() {
        List<String> md = new ArrayList<>();
        md.add("# " + title());
        md.add("");
        md.add(step.describe() + ", the same weights and data on every device.");
        md.add("Every number is a median over the profiled steps. Kernel time of a task comes from the device's timer");
        md.add("(OpenCL events; java:0: wall time around the kernel); a family's time is the sum of its tasks in one step;");
        md.add("step is the wall time of one graph execution (copies, launches, kernels); host is copies plus dispatch.");
        md.add("");
        md.add("| device | name |");
        md.add("|---|---|");
        for (DeviceRun r : runs) md.add("| `" + r.id() + "` | " + r.info().name() + " |");
        md.add("");
        StringBuilder head = new StringBuilder("| ms per step |");
        StringBuilder rule = new StringBuilder("|---|");
        for (DeviceRun r : runs) {
            head.append(" `").append(r.id()).append("` |");
            rule.append("---:|");
        }
        md.add(head.toString());
        md.add(rule.toString());
        for (String f : families()) md.add(line(f, r -> familyMs(r, f), false));
        md.add(line("**kernels**", r -> r.summary().kernelMs(), false));
        md.add(line("host", r -> r.summary().copyMs() + r.summary().dispatchMs(), false));
        md.add(line("**step**", r -> r.summary().graphMs(), false));
        md.add(line("**images/s**", r -> step.batch() * 1000 / r.summary().graphMs(), true));
        md.add("");
        md.add("(N.Nx): speed-up over `" + baseline.id() + "` (its time divided by this device's).");
        return md;
    }

    private String line(String label, ToDoubleFunction<DeviceRun> value, boolean rate) {
        StringBuilder s = new StringBuilder("| " + label + " |");
        double base = value.applyAsDouble(baseline);
        for (DeviceRun r : runs) {
            double v = value.applyAsDouble(r);
            s.append(' ').append(String.format(rate ? "%.1f" : "%.2f", v));
            double speedup = rate ? v / base : base / v;
            if (r != baseline && v > 0 && base > 0) s.append(String.format(" (%.1fx)", speedup));
            s.append(" |");
        }
        return s.toString();
    }

    public String json() {
        JsonObject o = new JsonObject();
        o.addProperty("preset", step.preset());
        o.addProperty("batch", step.batch());
        o.addProperty("steps", step.steps());
        o.addProperty("warmup", step.warmup());
        o.addProperty("baseline", baseline.id());
        JsonArray devs = new JsonArray();
        for (DeviceRun r : runs) {
            ProfileSummary s = r.summary();
            JsonObject d = new JsonObject();
            d.addProperty("id", r.id());
            d.addProperty("backend", r.info().backend());
            d.addProperty("name", r.info().name());
            d.addProperty("step_ms", round(s.graphMs()));
            d.addProperty("kernel_ms", round(s.kernelMs()));
            d.addProperty("copy_ms", round(s.copyMs()));
            d.addProperty("dispatch_ms", round(s.dispatchMs()));
            d.addProperty("images_per_s", round(step.batch() * 1000 / s.graphMs()));
            d.addProperty("speedup", round(baseline.summary().graphMs() / s.graphMs()));
            JsonObject fam = new JsonObject();
            s.familyMs().forEach((f, ms) -> fam.addProperty(f, round(ms)));
            d.add("family_ms", fam);
            JsonArray kernels = new JsonArray();
            for (Row k : s.kernels()) {
                JsonObject kj = new JsonObject();
                kj.addProperty("family", k.family());
                kj.addProperty("kernel", k.kernel());
                kj.addProperty("tasks", k.tasks());
                kj.addProperty("ms", round(k.ms()));
                kj.addProperty("flops", k.cost().flops());
                kj.addProperty("bytes", k.cost().bytes());
                kernels.add(kj);
            }
            d.add("kernels", kernels);
            devs.add(d);
        }
        o.add("devices", devs);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    /** Three decimals: microseconds for times in ms; timers are not finer than that anyway. */
    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
