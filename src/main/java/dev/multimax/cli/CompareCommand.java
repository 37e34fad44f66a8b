package dev.multimax.cli;

import dev.multimax.experiment.CompareChart;
import dev.multimax.experiment.Comparison;
import dev.multimax.experiment.StepBench;
import dev.multimax.device.Device;
import dev.multimax.graph.ProfileSummary;
import dev.multimax.model.VitConfig;
import dev.multimax.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code multimax compare}: the same training step (same weights, same data) profiled on several
 * devices one after the other; writes compare.md, compare.json and compare.png.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Profile the same training step on several devices and show them side by side.",
            "",
            "Every device runs the step graph of --preset at --batch with the same fixed-seed weights and data: "
                + "--warmup steps not counted (kernel compilation, JIT, caches), then --steps profiled ones. Numbers "
                + "are medians over those. Kernel time per task comes from each device's timer (OpenCL: event start "
                + "to end; java:0: wall time around the kernel); a family's time sums its tasks in one step; step "
                + "time is the wall time of one graph execution. Speed-ups are over java:0 when it is compared, else "
                + "over the first device.",
            "",
            "Writes DIR/compare.md (the table printed here), DIR/compare.json (per device: step, kernel, copy and "
                + "dispatch ms, images/s, ms per family and per kernel with FLOPs and bytes) and DIR/compare.png "
                + "(bars). A device that fails stops the whole comparison, and no file is written.",
            ""},
        footer = {"", "Exit codes: 0 done, 2 bad option (unknown device, bad number), 4 a kernel failed on a device."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--devices", required = true, split = ",", paramLabel = "ID,ID...", hideParamSyntax = true,
            description = "Devices to compare, e.g. java:0,opencl:0:0 (see 'multimax devices').")
    List<String> devices;

    @Mixin
    StepOptions step;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/compare-<date-time>).")
    Path out;

    @Override
    public Integer call() {
        OptionChecks.compare(this);
        VitConfig config = step.config();
        Set<String> seen = new HashSet<>();
        for (String id : devices) {
            if (!seen.add(id)) throw new UserError("--devices names " + id + " twice");
        }
        Path dir = out != null ? out
                : Path.of("runs", "compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Device> opened = new ArrayList<>();
        try {
            for (String id : devices) opened.add(DeviceOption.open(id).device()); // every id checked before any work
            createFolder(dir);
            System.out.println("step graph: " + step.describe());
            List<Comparison.DeviceRun> runs = new ArrayList<>();
            for (Device dev : opened) {
                ProfileSummary s = new StepBench(config, step.batch, !step.unfused).run(dev, step.warmup, step.steps, dev.id(), p -> { });
                runs.add(new Comparison.DeviceRun(dev.id(), dev.info(), s));
            }
            Comparison c = new Comparison(step.setup(), runs);
            List<String> md = c.markdown();
            md.forEach(System.out::println);
            write(dir.resolve("compare.md"), String.join("\n", md) + "\n");
            write(dir.resolve("compare.json"), c.json());
            AtomicFiles.write(dir.resolve("compare.png"), CompareChart.png(c));
            System.out.println("wrote " + dir.resolve("compare.md") + ", compare.json, compare.png");
        } finally {
            for (Device d : opened) d.close();
        }
        return 0;
    }

    private static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot create the output directory: " + e.getMessage());
        }
    }

    private static void write(Path file, String text) {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
