package dev.multimax.nn;

import dev.multimax.util.UserError;
import java.util.Arrays;
import java.util.Locale;

/** The function that turns attention scores or classifier logits into a distribution. */
public enum Activation {
    /** Plain softmax. */
    SOFTMAX,
    /** softmax(σ(x)) with the learnable piece-wise modulator σ (8 parameters per site). */
    MULTIMAX;

    /** The name used on the command line and in checkpoint metadata. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the site carries learnable {@code ranges} and {@code ts}. */
    public boolean hasParameters() {
        return this == MULTIMAX;
    }

    public static Activation parse(String s) {
        for (Activation a : values()) {
            if (a.id().equals(s)) return a;
        }
        throw new UserError("unknown activation '" + s + "'; choose one of "
                + String.join(", ", Arrays.stream(values()).map(Activation::id).toList()));
    }
}
