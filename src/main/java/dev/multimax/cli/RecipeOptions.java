package dev.multimax.cli;

import dev.multimax.model.Presets;
import picocli.CommandLine.Option;

/**
 * The options {@code train} and {@code study} share, declared once: which model, and the parts of
 * the recipe with the same default in both (the main job's). bench, profile and compare take their
 * own {@code --preset} ({@link StepOptions}), whose default is the step the performance numbers
 * are measured on.
 */
final class RecipeOptions {
    @Option(names = "--preset", defaultValue = Presets.DEFAULT,
            description = "Model preset: mnist-vit-p7 (patch 7, 16 tokens), mnist-vit (patch 4, 49 tokens), deit-tiny, deit-small "
                    + "(default: ${DEFAULT-VALUE}, the main job's).")
    String preset;

    @Option(names = "--batch", defaultValue = "128", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate of AdamW (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", defaultValue = "200", paramLabel = "STEPS", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--shift", defaultValue = "2", paramLabel = "PIXELS",
            description = "Augmentation: move each training image by a random whole number of pixels in [-PIXELS, PIXELS] "
                    + "along each axis, filling with background (0: off; default: ${DEFAULT-VALUE}).")
    int shift;
}
