package dev.multimax.experiment;

/** What a step benchmark runs: a preset's training step at one batch size, and how many steps. */
public record StepSetup(String preset, int batch, int steps, int warmup) {
    /** "mnist-vit, batch 128, 20 profiled steps after 15 warm-up steps". */
    public String describe() {
        return preset + ", batch " + batch + ", " + steps + " profiled steps after " + warmup + " warm-up steps";
    }
}
