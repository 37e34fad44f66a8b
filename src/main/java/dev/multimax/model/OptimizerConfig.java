package dev.multimax.model;

/** AdamW constants baked into the step graph (the learning rate travels per step). */
public record OptimizerConfig(float beta1, float beta2, float eps, float weightDecay) {
    public static final OptimizerConfig DEFAULT = new OptimizerConfig(0.9f, 0.999f, 1e-8f, 0.05f);
}
