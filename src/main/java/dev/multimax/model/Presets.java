package dev.multimax.model;

import dev.multimax.nn.Activation;
import dev.multimax.util.UserError;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named model configurations. */
public final class Presets {
    private static final Map<String, VitConfig> PRESETS = new LinkedHashMap<>();

    static {
        Activation mm = Activation.MULTIMAX;
        PRESETS.put("mnist-vit", new VitConfig(28, 4, 1, 10, 96, 6, 3, 4.0, false, mm, mm, 1e-6));
        PRESETS.put("deit-tiny", new VitConfig(224, 16, 3, 1000, 192, 12, 3, 4.0, false, mm, mm, 1e-6));
        PRESETS.put("deit-small", new VitConfig(224, 16, 3, 1000, 384, 12, 6, 4.0, false, mm, mm, 1e-6));
    }

    private Presets() {
    }

    public static VitConfig get(String name) {
        VitConfig c = PRESETS.get(name);
        if (c == null) {
            throw new UserError("unknown preset '" + name + "'; choose one of " + String.join(", ", PRESETS.keySet()));
        }
        return c;
    }
}
