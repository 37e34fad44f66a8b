package dev.multimax.model;

import dev.multimax.check.StepCheck;
import dev.multimax.nn.Activation;

/** Small configs and batches for model-level tests. */
public final class TinyModels {
    private TinyModels() {
    }

    /** 8×8 images, patch 4 (4 tokens), D 8, 2 heads, depth 2, MLP 16, 3 classes. */
    public static VitConfig config(Activation attn, Activation head, boolean qkvBias) {
        return new VitConfig(8, 4, 1, 3, 8, 2, 2, 2.0, qkvBias, attn, head, 1e-6);
    }

    /** Parameters far from init, every MultiMax piece active (as {@code check}'s step uses). */
    public static VitModel randomModel(VitConfig c, long seed) {
        return StepCheck.randomModel(c, seed);
    }

    /** Fills the step's batch with standard-normal images and random labels; all rows valid. */
    public static void randomBatch(VitStep step, long seed) {
        StepCheck.randomBatch(step, seed);
    }
}
