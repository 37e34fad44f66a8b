package dev.multimax.train;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.data.MeanStd;
import dev.multimax.io.SafetensorsFile;
import dev.multimax.io.SafetensorsWriter;
import dev.multimax.model.ParamLayout;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitModel;
import dev.multimax.util.BadInput;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Model checkpoints as safetensors with timm's names; {@code __metadata__.config} holds the model
 * config and the data normalisation, so PyTorch/timm code can rebuild the model from the file alone.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    /** A model read back from a file, with the normalisation its inputs need. */
    public record Loaded(VitModel model, MeanStd normalization, JsonObject config) {
    }

    /** Writes the host copy of the model's parameters (atomically: temp file, fsync, rename). */
    public static void save(Path file, VitModel model, MeanStd norm) {
        SafetensorsWriter w = new SafetensorsWriter();
        for (ParamLayout.Param p : model.layout().params()) w.add(p.name(), model.get(p.name()), p.shape());
        w.metadata("config", new Gson().toJson(model.config().toJson(norm.mean(), norm.std())));
        w.metadata("format", "multimax-vit");
        w.write(file);
    }

    /** Reads and checks a checkpoint: every parameter the config needs, with its shape, and nothing else. */
    public static Loaded load(Path file) {
        SafetensorsFile f = SafetensorsFile.read(file);
        String json = f.metadata().get("config");
        if (json == null) throw new BadInput(file + ": header: no __metadata__.config (not a multimax-vit checkpoint?)");
        VitConfig config = VitConfig.fromJson(json, file.toString());
        JsonObject obj = JsonParser.parseString(json).getAsJsonObject();
        MeanStd norm;
        try {
            norm = new MeanStd(obj.get("normalize_mean").getAsDouble(), obj.get("normalize_std").getAsDouble());
        } catch (RuntimeException e) {
            throw new BadInput(file + ": __metadata__.config lacks normalize_mean/normalize_std");
        }
        if (!(norm.std() > 0) || !Double.isFinite(norm.mean())) {
            throw new BadInput(file + ": __metadata__.config has an invalid normalisation " + norm);
        }
        requireTensors(file, f, config);
        VitModel model = new VitModel(config);
        for (ParamLayout.Param p : model.layout().params()) {
            model.set(p.name(), f.floatsExpect(p.name(), p.shape()));
        }
        for (float v : model.params().host()) {
            if (!Float.isFinite(v)) throw new BadInput(file + ": parameters contain NaN or infinity");
        }
        return new Loaded(model, norm, obj);
    }

    /**
     * Every parameter the config needs is in the file with its shape, and no other tensor is:
     * checked on the header alone, before the model is allocated, so a corrupt config (say depth
     * 10^9 or embed dim 10^6) fails with a message instead of allocating what the file cannot hold.
     * Extra tensors are an error, not a warning: they mean the file belongs to another model.
     */
    private static void requireTensors(Path file, SafetensorsFile f, VitConfig config) {
        int tensors = f.names().size();
        if (config.depth() > tensors) { // each block has several tensors; keeps the layout loop bounded
            throw new BadInput(file + ": __metadata__.config: depth " + config.depth()
                    + " needs more tensors than the file's " + tensors);
        }
        Set<String> expected = new HashSet<>();
        for (ParamLayout.Param p : new ParamLayout(config).params()) {
            expected.add(p.name());
            f.requireShape(p.name(), p.shape());
        }
        for (String name : f.names()) {
            if (!expected.contains(name)) {
                throw new BadInput(file + ": tensor '" + name + "': not a parameter of this model config");
            }
        }
    }
}
