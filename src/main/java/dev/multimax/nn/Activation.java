package dev.multimax.nn;

import dev.multimax.util.BadInput;
import java.util.Arrays;
import java.util.Locale;

/**
 * The function that turns attention scores or classifier logits into a distribution (MULTIMAX.md
 * §6). At the classifier output, softmax and MultiMax feed logits (z, or σ(z)) to softmax
 * cross-entropy; the others output probabilities p, and the loss is −log(max(p[label], 1e-12))
 * with its gradient taken back through the activation's own backward.
 */
public enum Activation {
    /** Plain softmax. */
    SOFTMAX,
    /** softmax(σ(x)) with the learnable piece-wise modulator σ (8 parameters per site). */
    MULTIMAX,
    /** Euclidean projection onto the simplex (exact zeros). */
    SPARSEMAX,
    /** 1.5-entmax (exact zeros, smoother than sparsemax). */
    ENTMAX15,
    /** Evidential softmax, training form (entries below the row mean weighted 1e-6), in training and evaluation. */
    EVSOFTMAX;

    /** Weight of an EvSoftmax entry below the row mean (the training form of Chen et al.). */
    public static final float EVSOFTMAX_MASKED_WEIGHT = 1e-6f;

    /** The name used on the command line and in checkpoint metadata. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the site carries learnable {@code ranges} and {@code ts}. */
    public boolean hasParameters() {
        return this == MULTIMAX;
    }

    /**
     * Whether at the classifier output this activation yields probabilities (loss on them), rather
     * than logits for softmax cross-entropy (softmax and MultiMax).
     */
    public boolean outputsProbabilities() {
        return this == SPARSEMAX || this == ENTMAX15 || this == EVSOFTMAX;
    }

    public static Activation parse(String s) {
        for (Activation a : values()) {
            if (a.id().equals(s)) return a;
        }
        throw new BadInput("unknown activation '" + s + "'; choose one of "
                + String.join(", ", Arrays.stream(values()).map(Activation::id).toList()));
    }
}
