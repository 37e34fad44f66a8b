package dev.multimax.analysis;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Locale;

/** report.md and analysis.json of {@code multimax analyze}: the same numbers, for people and for programs. */
public final class AnalysisReport {
    public static final String EPSILON = "the row's mean score, ε = mean_k x_k";
    public static final String REFERENCE = "the smallest probability softmax at T = 1 gives on the row: "
            + "s = exp(min_k x_k − logsumexp_k x_k) (at least 2.2e-308 where that underflows)";

    /** One modulator site: activation id, and ranges/ts (null without a modulator). */
    public record Site(String activation, double[] ranges, double[] ts) {
    }

    /** What the report describes besides the measurements. */
    public record Context(String checkpoint, String data, String device, Site attention, List<Site> layerSites,
                          Site head, String sigmaFile, List<String> attentionFiles) {
    }

    private AnalysisReport() {
    }

    public static String json(AttentionAnalysis.Result r, Context ctx) {
        JsonObject o = new JsonObject();
        o.addProperty("checkpoint", ctx.checkpoint());
        o.addProperty("data", ctx.data());
        o.addProperty("device", ctx.device());
        o.addProperty("images", r.images());
        o.add("accuracy", num(r.correct() / (double) r.images()));
        o.addProperty("attention_activation", ctx.attention().activation());
        o.addProperty("head_activation", ctx.head().activation());
        JsonObject def = new JsonObject();
        def.addProperty("row", "one query's scaled scores x = S[b,h,q,:] (input of the activation) "
                + "and its attention probabilities phi = P[b,h,q,:]");
        def.addProperty("epsilon", EPSILON);
        def.addProperty("s", REFERENCE);
        def.addProperty("small_threshold", AttentionStats.SMALL);
        def.addProperty("entropy", "-sum_k P ln P per row, nats");
        def.addProperty("averaging", "means over rows (all images, heads, queries) where the measure is defined");
        o.add("definitions", def);
        JsonArray layers = new JsonArray();
        for (int l = 0; l < r.layers().size(); l++) {
            AttentionStats s = r.layers().get(l);
            JsonObject e = new JsonObject();
            e.addProperty("layer", l);
            e.add("sparsity", num(s.sparsity()));
            e.add("multi_modality", num(s.multiModality()));
            e.add("fraction_below_1e-3", num(s.fractionBelow()));
            e.add("entropy", num(s.entropy()));
            e.add("entropy_uniform", num(Math.log(r.tokens())));
            e.addProperty("rows", s.rows());
            e.addProperty("sparsity_rows", s.sparsityRows());
            e.addProperty("multi_modality_rows", s.multiModalityRows());
            e.add("score_min", num(s.min()));
            e.add("score_max", num(s.max()));
            Site site = ctx.layerSites().get(l);
            e.add("ranges", array(site.ranges()));
            e.add("ts", array(site.ts()));
            layers.add(e);
        }
        o.add("layers", layers);
        JsonObject head = new JsonObject();
        head.addProperty("activation", ctx.head().activation());
        head.add("logit_min", num(r.headMin()));
        head.add("logit_max", num(r.headMax()));
        head.add("ranges", array(ctx.head().ranges()));
        head.add("ts", array(ctx.head().ts()));
        o.add("head", head);
        JsonObject files = new JsonObject();
        files.addProperty("sigma", ctx.sigmaFile());
        JsonArray att = new JsonArray();
        ctx.attentionFiles().forEach(att::add);
        files.add("attention", att);
        files.addProperty("report", "report.md");
        o.add("files", files);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    public static String markdown(AttentionAnalysis.Result r, Context ctx) {
        StringBuilder b = new StringBuilder();
        b.append("# Attention analysis\n\n");
        b.append("Checkpoint `").append(ctx.checkpoint()).append("`, data `").append(ctx.data()).append("`, the first ")
                .append(r.images()).append(" test images (accuracy on them ")
                .append(fmt(100.0 * r.correct() / r.images(), 2)).append("%), device `").append(ctx.device())
                .append("`. Attention: ").append(ctx.attention().activation()).append("; classifier output: ")
                .append(ctx.head().activation()).append(".\n\n");
        b.append("## Measures per attention layer\n\n");
        b.append("| layer | S (sparsity) | M (multi-modality) | fraction < 1e-3 | entropy (nats) | scores min .. max |\n");
        b.append("|---:|---:|---:|---:|---:|---:|\n");
        for (int l = 0; l < r.layers().size(); l++) {
            AttentionStats s = r.layers().get(l);
            b.append("| ").append(l).append(" | ").append(fmt(s.sparsity(), 4)).append(" | ")
                    .append(fmt(s.multiModality(), 4)).append(" | ").append(fmt(s.fractionBelow(), 4)).append(" | ")
                    .append(fmt(s.entropy(), 3)).append(" | ").append(fmt(s.min(), 2)).append(" .. ")
                    .append(fmt(s.max(), 2)).append(" |\n");
        }
        b.append("\nA row has N = ").append(r.tokens()).append(" keys; a uniform row has entropy ln N = ")
                .append(fmt(Math.log(r.tokens()), 3)).append(" nats.\n\n");
        b.append("## Definitions\n\n");
        b.append("- A row is one query's scaled scores x = S[b,h,q,:] (the input of the attention activation) and its ")
                .append("attention probabilities φ = P[b,h,q,:]. Each number is a mean over the rows of all analysed ")
                .append("images, heads and queries; S and M over the rows where they are defined (counts in ")
                .append("`analysis.json`).\n");
        b.append("- S(x) = (1/L)·Σ_l exp(−φ_l / s) over the L entries with x_l < ε; larger is sparser ")
                .append("(MULTIMAX.md §7, the paper's Definition 3.3).\n");
        b.append("- M(x) = 1 − (1/N')·Σ_n (φ_max − φ_n) over the N' entries with ε < x_n < max x; close to 1 when ")
                .append("the other relevant entries keep about the top one's probability (Definition 3.2).\n");
        b.append("- ε: ").append(EPSILON).append(".\n");
        b.append("- s: ").append(REFERENCE).append(". Softmax never gives less than s, so softmax rows have ")
                .append("S ≤ e⁻¹ ≈ 0.368.\n");
        b.append("- fraction < 1e-3: the share of all attention weights below 1e-3; entropy: −Σ φ ln φ per row.\n\n");
        b.append("## Modulators σ\n\n");
        b.append("Each layer's σ over the scores it saw (min .. max above), the head's over the logits it saw (")
                .append(fmt(r.headMin(), 2)).append(" .. ").append(fmt(r.headMax(), 2))
                .append("); identity dashed.\n\n");
        b.append("| site | activation | ranges r0..r3 | ts t0..t3 |\n|---|---|---|---|\n");
        for (int l = 0; l < ctx.layerSites().size(); l++) siteRow(b, "layer " + l, ctx.layerSites().get(l));
        siteRow(b, "head", ctx.head());
        b.append("\n![σ per site](").append(ctx.sigmaFile()).append(")\n\n");
        b.append("## Attention maps\n\n");
        b.append("Per layer, mean over heads: (a) the attention row of the centre patch, (b) the attention each ")
                .append("patch receives, mean over all queries; upsampled to the image and overlaid in heat colours, ")
                .append("each map scaled from 0 to its own maximum.\n\n");
        for (int i = 0; i < ctx.attentionFiles().size(); i++) {
            AttentionFigure.Sample s = r.samples().get(i);
            String f = ctx.attentionFiles().get(i);
            b.append("- [").append(f).append("](").append(f).append("): test image ").append(s.index())
                    .append(", label ").append(s.label()).append(", predicted ").append(s.predicted()).append("\n");
        }
        b.append("\n");
        for (String f : ctx.attentionFiles()) b.append("![").append(f).append("](").append(f).append(")\n\n");
        return b.toString();
    }

    private static void siteRow(StringBuilder b, String name, Site s) {
        b.append("| ").append(name).append(" | ").append(s.activation()).append(" | ")
                .append(s.ranges() == null ? "no modulator" : vec(s.ranges())).append(" | ")
                .append(s.ts() == null ? "" : vec(s.ts())).append(" |\n");
    }

    private static String vec(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(fmt(v[i], 4));
        return b.toString();
    }

    static String fmt(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "n/a";
    }

    private static JsonElement num(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private static JsonElement array(double[] v) {
        if (v == null) return JsonNull.INSTANCE;
        JsonArray a = new JsonArray();
        for (double x : v) a.add(x);
        return a;
    }
}
