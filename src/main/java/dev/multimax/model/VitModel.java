package dev.multimax.model;

import dev.multimax.device.FloatArray;
import java.util.Random;

/** A ViT's configuration, parameter layout and flat parameter array (host copy and device buffer). */
public final class VitModel {
    private final VitConfig config;
    private final ParamLayout layout;
    private final FloatArray params;

    public VitModel(VitConfig config) {
        this.config = config;
        this.layout = new ParamLayout(config);
        this.params = new FloatArray("params", layout.total());
    }

    public VitConfig config() {
        return config;
    }

    public ParamLayout layout() {
        return layout;
    }

    public FloatArray params() {
        return params;
    }

    /** Copies out one parameter's host values. */
    public float[] get(String name) {
        ParamLayout.Param p = layout.get(name);
        float[] out = new float[p.size()];
        System.arraycopy(params.host(), p.offset(), out, 0, out.length);
        return out;
    }

    /** Sets one parameter's host values. */
    public void set(String name, float[] values) {
        ParamLayout.Param p = layout.get(name);
        if (values.length != p.size()) {
            throw new IllegalArgumentException(name + ": expected " + p.size() + " values, got " + values.length);
        }
        System.arraycopy(values, 0, params.host(), p.offset(), values.length);
    }

    /**
     * Seeded initialisation as in timm (java.util.Random, whose Gaussian sequence is specified, so a
     * seed gives the same weights on every JDK): Linear weights and pos_embed trunc-normal std 0.02
     * (cut at ±2, i.e. effectively never); the patch Conv2d keeps PyTorch's default
     * U(±1/√fan_in) for weight and bias; other biases 0; LayerNorm weights 1; MultiMax ranges and ts N(0, 0.02²).
     */
    public void initialize(long seed) {
        Random rng = new Random(seed);
        float[] host = params.host();
        for (ParamLayout.Param p : layout.params()) {
            String n = p.name();
            int o = p.offset();
            int fanIn = config.patchValues();
            for (int i = 0; i < p.size(); i++) {
                float v;
                if (n.startsWith("patch_embed.proj.")) {
                    v = (float) ((rng.nextDouble() * 2 - 1) / Math.sqrt(fanIn));
                } else if (n.endsWith("ranges") || n.endsWith("ts")) {
                    v = (float) (0.02 * rng.nextGaussian());
                } else if (n.equals("pos_embed") || (n.endsWith(".weight") && p.shape().length == 2)) {
                    v = truncNormal(rng, 0.02);
                } else if (n.endsWith("norm1.weight") || n.endsWith("norm2.weight") || n.equals("norm.weight")) {
                    v = 1f;
                } else {
                    v = 0f;
                }
                host[o + i] = v;
            }
        }
    }

    private static float truncNormal(Random rng, double std) {
        while (true) {
            double v = std * rng.nextGaussian();
            if (Math.abs(v) <= 2.0) return (float) v;
        }
    }
}
