package dev.multimax.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.multimax.check.CheckResult;
import dev.multimax.check.CheckTarget;
import dev.multimax.check.DeviceCheck;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.Devices;
import dev.multimax.device.Op;
import dev.multimax.device.opencl.OpenClDevice;
import dev.multimax.device.ref.RefDevice;
import dev.multimax.util.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code multimax check}: every op, and a training step, on a device against {@code ref:0}. Prints
 * one row per case and exits 1 naming the first failure.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a device against ref:0, the float64 reference: every op of the catalog on random inputs "
                + "of odd shapes (outputs poisoned first), in every kernel variant (on an OpenCL CPU device also the "
                + "GPU kernels), then one training step, task by task and end to end.",
            "Run it first on a new device. Exit 0 when everything is within its tolerance, 1 otherwise."})
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "all", paramLabel = "ID",
            description = "Device id (see 'multimax devices'; opencl:P:D/spirv runs the shipped SPIR-V modules), or 'all' for "
                    + "every device but ref:0, OpenCL devices also from SPIR-V where the driver takes it (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--ops", paramLabel = "FAMILIES", split = ",",
            description = "Only these op families (comma-separated, or 'all'): ${COMPLETION-CANDIDATES}. "
                    + "Without --step, giving --ops skips the training step.",
            completionCandidates = Families.class)
    List<String> ops;

    @Option(names = "--step", description = "Check the training step (tiny model and the default preset at batch 4); "
            + "alone, only the step.")
    boolean step;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random cases (default: a fresh one, printed).")
    Long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every row as JSON: one object per (device, op, variant, shape).")
    Path json;

    static final class Families extends ArrayList<String> {
        Families() {
            super(Op.families());
        }
    }

    @Override
    public Integer call() {
        List<Op> chosen = chosenOps();
        boolean withStep = step || ops == null;
        List<String> ids = targets();
        OptionChecks.outputFile("--json", json);
        long s = seed != null ? seed : System.nanoTime();
        System.err.println("check: seed " + s + " (rerun with --seed " + s + ")");
        DeviceCheck check = new DeviceCheck(chosen, withStep, s);
        List<CheckResult> rows = new ArrayList<>();
        try (RefDevice ref = new RefDevice()) {
            for (String id : ids) {
                for (CheckTarget t : openTargets(id)) {
                    try (var dev = t.device()) {
                        int total = check.opCases() + (withStep ? 3 : 0);
                        int[] done = {0};
                        long t0 = System.nanoTime();
                        List<CheckResult> mine = check.run(t, ref, what -> Progress.line(String.format(Locale.ROOT,
                                "check %s  %d/%d  %s", t.label(), ++done[0], total, what)));
                        Progress.done(String.format(Locale.ROOT, "check %s: %d rows in %.1f s", t.label(), mine.size(),
                                (System.nanoTime() - t0) / 1e9));
                        rows.addAll(mine);
                    }
                }
            }
        }
        printTable(rows);
        if (json != null) AtomicFiles.write(json, toJson(rows).getBytes(StandardCharsets.UTF_8));
        List<CheckResult> failed = rows.stream().filter(r -> !r.ok()).toList();
        System.out.printf(Locale.ROOT, "%n%d checks, %d failed%s%n", rows.size(), failed.size(),
                json != null ? "; rows written to " + json : "");
        if (failed.isEmpty()) return 0;
        CheckResult f = failed.get(0);
        System.out.printf("first failure: %s %s (%s) %s: %s%n", f.device(), f.op(), f.variant(), f.shape(), f.detail());
        return 1;
    }

    private List<Op> chosenOps() {
        if (ops == null) return step ? List.of() : Arrays.asList(Op.values());
        if (ops.contains("all")) return Arrays.asList(Op.values());
        try {
            return DeviceCheck.opsOf(ops);
        } catch (IllegalArgumentException e) {
            throw new UserError("--ops: " + e.getMessage());
        }
    }

    private List<String> targets() {
        if (!device.equals("all")) {
            if (device.equals("auto")) throw new UserError("--device auto: name a device, or 'all'");
            OptionChecks.device("--device", device);
            return List.of(device);
        }
        List<String> all = new ArrayList<>();
        for (DeviceInfo d : Devices.list()) {
            if (d.id().equals(RefDevice.ID)) continue;
            all.add(d.id());
            if (d.backend().equals("OPENCL") && OpenClDevice.takesSpirv(d.id())) all.add(d.id() + OpenClDevice.SPIRV_SUFFIX);
        }
        return all;
    }

    private static List<CheckTarget> openTargets(String id) {
        List<CheckTarget> targets = CheckTarget.open(id);
        for (CheckTarget t : targets) {
            System.err.println("device: " + t.label() + " — " + t.device().info().name());
        }
        return targets;
    }

    private static void printTable(List<CheckResult> rows) {
        int dw = Math.max(6, rows.stream().mapToInt(r -> r.device().length()).max().orElse(6));
        int ow = Math.max(2, rows.stream().mapToInt(r -> r.op().length()).max().orElse(2));
        int vw = Math.max(7, rows.stream().mapToInt(r -> r.variant().length()).max().orElse(7));
        int sw = Math.max(5, rows.stream().mapToInt(r -> r.shape().length()).max().orElse(5));
        String fmt = "%-" + dw + "s  %-" + ow + "s  %-" + vw + "s  %-" + sw + "s  %11s  %9s  %-22s  %s%n";
        System.out.printf(fmt, "device", "op", "variant", "shape", "max abs err", "rel L2", "tolerance", "ok");
        for (CheckResult r : rows) {
            System.out.printf(Locale.ROOT, fmt, r.device(), r.op(), r.variant(), r.shape(), sci(r.maxAbs()), sci(r.relL2()),
                    r.tolerance(), r.ok() ? "ok" : "FAIL  " + r.detail());
        }
    }

    private static String sci(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2e", v);
    }

    private static String toJson(List<CheckResult> rows) {
        JsonArray arr = new JsonArray();
        for (CheckResult r : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("device", r.device());
            o.addProperty("op", r.op());
            o.addProperty("family", r.family());
            o.addProperty("variant", r.variant());
            o.addProperty("shape", r.shape());
            if (!Double.isNaN(r.maxAbs())) o.addProperty("max_abs_error", r.maxAbs());
            if (!Double.isNaN(r.relL2())) o.addProperty("rel_l2", r.relL2());
            o.addProperty("tolerance", r.tolerance());
            o.addProperty("ok", r.ok());
            if (!r.detail().isEmpty()) o.addProperty("detail", r.detail());
            arr.add(o);
        }
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(arr) + "\n";
    }
}
