package dev.multimax.model;

import dev.multimax.nn.Activation;
import dev.multimax.util.BadInput;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named model configurations. {@link #DEFAULT} is the main job's: patch 7 gives 16 tokens, a third of
 * patch 4's 49, and 4 blocks instead of 6, so an epoch on a 2-core machine takes about a fifth of
 * {@code mnist-vit}'s, and 12 epochs reach ≥ 98 % on MNIST within 10 minutes (docs/PERFORMANCE.md,
 * "The main job").
 */
public final class Presets {
    /** The main job's preset, and the default of {@code train} and {@code study}. */
    public static final String DEFAULT = "mnist-vit-p7";

    private static final Map<String, VitConfig> PRESETS = new LinkedHashMap<>();

    static {
        Activation mm = Activation.MULTIMAX;
        PRESETS.put(DEFAULT, new VitConfig(28, 7, 1, 10, 96, 4, 4, 4.0, false, mm, mm, 1e-6));
        PRESETS.put("mnist-vit", new VitConfig(28, 4, 1, 10, 96, 6, 3, 4.0, false, mm, mm, 1e-6));
        PRESETS.put("deit-tiny", new VitConfig(224, 16, 3, 1000, 192, 12, 3, 4.0, false, mm, mm, 1e-6));
        PRESETS.put("deit-small", new VitConfig(224, 16, 3, 1000, 384, 12, 6, 4.0, false, mm, mm, 1e-6));
    }

    /** The preset names, in the order {@code --help} lists them. */
    public static String names() {
        return String.join(", ", PRESETS.keySet());
    }

    private Presets() {
    }

    public static VitConfig get(String name) {
        VitConfig c = PRESETS.get(name);
        if (c == null) {
            throw new BadInput("unknown preset '" + name + "'; choose one of " + names());
        }
        return c;
    }
}
