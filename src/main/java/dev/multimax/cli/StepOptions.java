package dev.multimax.cli;

import dev.multimax.experiment.StepBench;
import dev.multimax.experiment.StepSetup;
import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import picocli.CommandLine.Option;

/** What profile and compare run: a preset's training step at one batch size, how many steps. */
final class StepOptions {
    @Option(names = "--preset", defaultValue = "mnist-vit", paramLabel = "P", description = "Model preset: mnist-vit, mnist-vit-p7, deit-tiny, deit-small (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "20", paramLabel = "N", description = "Profiled steps; every number is their median (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "" + StepBench.DEFAULT_WARMUP, paramLabel = "W",
            description = "Steps run first and not counted: kernel compilation, JIT, caches (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--unfused", description = "Run the unfused ops: attention as three tasks each way (scores, "
            + "row activation, context) instead of one, for comparing against the fused step.")
    boolean unfused;

    /** The preset's config (the options were checked by {@code OptionChecks} before any work). */
    VitConfig config() {
        return Presets.get(preset);
    }

    /** What to run, for the {@code experiment} package. */
    StepSetup setup() {
        return new StepSetup(preset, batch, steps, warmup, !unfused);
    }

    /** "mnist-vit, batch 128, 20 profiled steps after 15 warm-up steps". */
    String describe() {
        return setup().describe();
    }
}
