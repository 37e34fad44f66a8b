package dev.multimax.experiment;

/**
 * What a step benchmark runs: a preset's training step at one batch size, and how many steps;
 * {@code fused} false runs the unfused ops (attention as scores, row activation and context).
 */
public record StepSetup(String preset, int batch, int steps, int warmup, boolean fused) {
    /** "mnist-vit, batch 128, 20 profiled steps after 15 warm-up steps" (", unfused ops" when so). */
    public String describe() {
        return preset + ", batch " + batch + ", " + steps + " profiled steps after " + warmup + " warm-up steps"
                + (fused ? "" : ", unfused ops");
    }
}
