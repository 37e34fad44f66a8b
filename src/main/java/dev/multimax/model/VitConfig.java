package dev.multimax.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.multimax.nn.Activation;
import dev.multimax.util.BadInput;

/**
 * The shape of a ViT with global average pooling (no CLS token). Validated on construction so
 * that an impossible shape fails before any work starts.
 */
public record VitConfig(int imgSize, int patchSize, int inChans, int numClasses, int embedDim, int depth,
                        int numHeads, double mlpRatio, boolean qkvBias, Activation attnAct, Activation headAct,
                        double layerNormEps, double attnTemperature) {
    public VitConfig {
        require(imgSize > 0 && patchSize > 0 && inChans > 0 && numClasses > 1 && embedDim > 0 && depth > 0
                && numHeads > 0 && mlpRatio > 0 && layerNormEps > 0, "all sizes must be positive (classes >= 2)");
        require(imgSize % patchSize == 0, "image size " + imgSize + " is not divisible by patch size " + patchSize);
        require(embedDim % numHeads == 0, "embed dim " + embedDim + " is not divisible by " + numHeads + " heads");
        require((long) embedDim * (long) (embedDim * mlpRatio) < Integer.MAX_VALUE, "model too large");
        require(attnTemperature > 0 && Double.isFinite(attnTemperature),
                "attention temperature must be positive and finite, got " + attnTemperature);
        require(attnTemperature == 1.0 || attnAct == Activation.SOFTMAX,
                "an attention temperature (" + attnTemperature + ") needs softmax attention, not " + attnAct.id());
    }

    /** A config with softmax temperature 1 (the default). */
    public VitConfig(int imgSize, int patchSize, int inChans, int numClasses, int embedDim, int depth, int numHeads,
                     double mlpRatio, boolean qkvBias, Activation attnAct, Activation headAct, double layerNormEps) {
        this(imgSize, patchSize, inChans, numClasses, embedDim, depth, numHeads, mlpRatio, qkvBias, attnAct, headAct,
                layerNormEps, 1.0);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new BadInput("invalid model config: " + message);
    }

    /** Tokens per image. */
    public int numPatches() {
        int g = imgSize / patchSize;
        return g * g;
    }

    public int headDim() {
        return embedDim / numHeads;
    }

    public int mlpHidden() {
        return (int) (embedDim * mlpRatio);
    }

    /** Values of one flattened patch: C·P·P. */
    public int patchValues() {
        return inChans * patchSize * patchSize;
    }

    public VitConfig withActivations(Activation attn, Activation head) {
        return withActivations(attn, head, 1.0);
    }

    /** The activations, and the softmax temperature of attention (1 unless attn is softmax). */
    public VitConfig withActivations(Activation attn, Activation head, double attnTemperature) {
        return new VitConfig(imgSize, patchSize, inChans, numClasses, embedDim, depth, numHeads, mlpRatio, qkvBias,
                attn, head, layerNormEps, attnTemperature);
    }

    public VitConfig withInput(int img, int chans, int classes) {
        return new VitConfig(img, patchSize, chans, classes, embedDim, depth, numHeads, mlpRatio, qkvBias, attnAct,
                headAct, layerNormEps, attnTemperature);
    }

    /** The checkpoint's {@code __metadata__.config} (timm-like keys) with the data normalisation. */
    public JsonObject toJson(double normalizeMean, double normalizeStd) {
        JsonObject o = new JsonObject();
        o.addProperty("img_size", imgSize);
        o.addProperty("patch_size", patchSize);
        o.addProperty("in_chans", inChans);
        o.addProperty("num_classes", numClasses);
        o.addProperty("embed_dim", embedDim);
        o.addProperty("depth", depth);
        o.addProperty("num_heads", numHeads);
        o.addProperty("mlp_ratio", mlpRatio);
        o.addProperty("qkv_bias", qkvBias);
        o.addProperty("attn_act", attnAct.id());
        o.addProperty("head_act", headAct.id());
        o.addProperty("attn_temperature", attnTemperature);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("normalize_mean", normalizeMean);
        o.addProperty("normalize_std", normalizeStd);
        return o;
    }

    /**
     * Parses the config JSON of a checkpoint; {@code source} names the file in errors. A missing
     * {@code attn_temperature} (checkpoints written before it existed) reads as 1.
     */
    public static VitConfig fromJson(String json, String source) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            return new VitConfig(o.get("img_size").getAsInt(), o.get("patch_size").getAsInt(),
                    o.get("in_chans").getAsInt(), o.get("num_classes").getAsInt(), o.get("embed_dim").getAsInt(),
                    o.get("depth").getAsInt(), o.get("num_heads").getAsInt(), o.get("mlp_ratio").getAsDouble(),
                    o.get("qkv_bias").getAsBoolean(), Activation.parse(o.get("attn_act").getAsString()),
                    Activation.parse(o.get("head_act").getAsString()), o.get("layer_norm_eps").getAsDouble(),
                    o.has("attn_temperature") ? o.get("attn_temperature").getAsDouble() : 1.0);
        } catch (BadInput e) {
            throw new BadInput(source + ": " + e.getMessage());
        } catch (JsonParseException e) {
            throw new BadInput(source + ": __metadata__.config is not valid JSON (" + firstLine(e.getMessage()) + ")");
        } catch (RuntimeException e) {
            throw new BadInput(source + ": __metadata__.config is not a valid model config (" + firstLine(e.toString()) + ")");
        }
    }

    /** Errors are one line; Gson appends a troubleshooting link on a second. */
    private static String firstLine(String message) {
        if (message == null) return "parse error";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).replaceAll("[,;]$", "");
    }
}
