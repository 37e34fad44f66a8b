package dev.multimax.cli;

import dev.multimax.model.Presets;
import dev.multimax.model.VitConfig;
import dev.multimax.util.UserError;
import picocli.CommandLine.Option;

/** What profile and compare run: a preset's training step at one batch size, how many steps. */
final class StepOptions {
    @Option(names = "--preset", defaultValue = "mnist-vit", paramLabel = "P", description = "Model preset: mnist-vit, deit-tiny, deit-small (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "20", paramLabel = "N", description = "Profiled steps; every number is their median (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "" + StepBench.DEFAULT_WARMUP, paramLabel = "W",
            description = "Steps run first and not counted: kernel compilation, JIT, caches (default: ${DEFAULT-VALUE}).")
    int warmup;

    /** Checks the numbers and resolves the preset; bad values are one-line user errors (exit code 2). */
    VitConfig check() {
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
        if (steps < 1) throw new UserError("--steps must be >= 1, got " + steps);
        if (warmup < 0) throw new UserError("--warmup must be >= 0, got " + warmup);
        return Presets.get(preset);
    }

    /** "mnist-vit, batch 128, 20 profiled steps after 15 warm-up steps". */
    String describe() {
        return preset + ", batch " + batch + ", " + steps + " profiled steps after " + warmup + " warm-up steps";
    }
}
