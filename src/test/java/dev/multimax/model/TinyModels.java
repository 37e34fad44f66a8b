package dev.multimax.model;

import dev.multimax.nn.Activation;
import java.util.Random;

/** Small configs and batches for model-level tests. */
public final class TinyModels {
    private TinyModels() {
    }

    /** 8×8 images, patch 4 (4 tokens), D 8, 2 heads, depth 2, MLP 16, 3 classes. */
    public static VitConfig config(Activation attn, Activation head, boolean qkvBias) {
        return new VitConfig(8, 4, 1, 3, 8, 2, 2, 2.0, qkvBias, attn, head, 1e-6);
    }

    /** Parameters far from init (std ~0.5) so every path carries signal; MultiMax pieces all active. */
    public static VitModel randomModel(VitConfig c, long seed) {
        VitModel m = new VitModel(c);
        Random rng = new Random(seed);
        float[] p = m.params().host();
        for (ParamLayout.Param prm : m.layout().params()) {
            for (int i = 0; i < prm.size(); i++) {
                double v = rng.nextGaussian() * 0.5;
                if (prm.name().endsWith("norm1.weight") || prm.name().endsWith("norm2.weight")
                        || prm.name().equals("norm.weight")) {
                    v = 1 + 0.2 * rng.nextGaussian();
                }
                if (prm.name().endsWith("ranges")) v = new double[] {-0.5, 0.5, -1.0, 1.0}[i] + 0.2 * rng.nextGaussian();
                if (prm.name().endsWith("ts")) v = 0.3 * rng.nextGaussian();
                p[prm.offset() + i] = (float) v;
            }
        }
        return m;
    }

    /** Fills the step's batch with standard-normal images and random labels; all rows valid. */
    public static void randomBatch(VitStep step, long seed) {
        Random rng = new Random(seed);
        float[] img = step.images().host();
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextGaussian();
        for (int i = 0; i < step.batch(); i++) step.labels().host()[i] = rng.nextInt(step.model().config().numClasses());
        step.valid().host()[0] = step.batch();
    }
}
