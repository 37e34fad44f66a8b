package dev.multimax.experiment;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.multimax.train.TrainingListener.EpochStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The numbers of one {@code multimax study}: every run, and their summaries per variant as study.md and study.json. */
public record Study(Setup setup, List<String> variants, List<Run> runs) {

    /** What was held fixed across all runs. */
    public record Setup(String preset, String data, String device, int epochs, int seeds, int batch, int trainImages,
                 int testImages, String command) {
    }

    /** One training run: variant (attn = head activation), seed, per-epoch stats and ms per step, layer measures. */
    public record Run(String variant, long seed, String checkpoint, List<EpochStats> epochs, List<Double> msPerStep,
               List<StudyMeasures.Layer> layers) {
        double finalTestAccuracy() {
            return epochs.get(epochs.size() - 1).testAccuracy();
        }

        double finalTrainLoss() {
            return epochs.get(epochs.size() - 1).trainLoss();
        }

        /** The last epoch's ms per step (the first one also pays for kernel builds). */
        double lastMsPerStep() {
            return msPerStep.get(msPerStep.size() - 1);
        }
    }

    List<Run> runsOf(String variant) {
        return runs.stream().filter(r -> r.variant().equals(variant)).toList();
    }

    /** Mean and sample standard deviation (0 for one value); NaNs are skipped. */
    record Stat(double mean, double std, int n) {
        static Stat of(List<Double> xs) {
            List<Double> v = xs.stream().filter(x -> !Double.isNaN(x)).toList();
            if (v.isEmpty()) return new Stat(Double.NaN, Double.NaN, 0);
            double mean = v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
            double ss = 0;
            for (double x : v) ss += (x - mean) * (x - mean);
            return new Stat(mean, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0, v.size());
        }

        String format(String pattern) {
            if (n == 0) return "—";
            return String.format(Locale.ROOT, pattern, mean) + " ± " + String.format(Locale.ROOT, pattern, std);
        }
    }

    Stat stat(String variant, ToDoubleFunction<Run> f) {
        return Stat.of(runsOf(variant).stream().map(r -> f.applyAsDouble(r)).toList());
    }

    /** Mean over seeds of a per-epoch number, one value per epoch. */
    List<Double> curve(String variant, ToDoubleFunction<EpochStats> f) {
        List<Double> out = new ArrayList<>();
        for (int e = 0; e < setup.epochs(); e++) {
            int epoch = e;
            out.add(Stat.of(runsOf(variant).stream().map(r -> f.applyAsDouble(r.epochs().get(epoch))).toList()).mean());
        }
        return out;
    }

    int depth() {
        return runs.stream().mapToInt(r -> r.layers().size()).max().orElse(0);
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        Setup s = setup;
        sb.append("# MultiMax study\n\n");
        sb.append(String.format(Locale.ROOT,
                "Preset `%s` on %s (%d train / %d test images), %d epoch(s), batch %d, device `%s`; %d seed(s) "
                        + "(1..%d) per variant, each seed giving every variant the same initialisation seed and data order. "
                        + "A variant uses its activation for both attention and head (`--attn X --head X`).%n%n",
                s.preset(), s.data(), s.trainImages(), s.testImages(), s.epochs(), s.batch(), s.device(), s.seeds(),
                s.seeds()));
        sb.append("Command: `").append(s.command()).append("`\n\n");
        sb.append("| variant | final test accuracy (%) | final train loss | ms per step | S (mean over layers) "
                + "| M (mean over layers) |\n|---|---|---|---|---|---|\n");
        for (String v : variants) {
            sb.append("| ").append(v)
                    .append(" | ").append(stat(v, r -> 100 * r.finalTestAccuracy()).format("%.2f"))
                    .append(" | ").append(stat(v, Run::finalTrainLoss).format("%.4f"))
                    .append(" | ").append(stat(v, Run::lastMsPerStep).format("%.1f"))
                    .append(" | ").append(stat(v, r -> layerMean(r, true)).format("%.3f"))
                    .append(" | ").append(stat(v, r -> layerMean(r, false)).format("%.3f"))
                    .append(" |\n");
        }
        sb.append("\nValues are mean ± sample standard deviation over seeds. Accuracy and loss are the last epoch's; "
                + "ms per step is the last epoch's training time divided by its steps (the host may be shared, "
                + "so compare variants within one study only).\n\n");
        sb.append("## Sparsity S and multi-modality M per layer\n\n");
        sb.append("Attention of the trained model on the first test batch: every row (image × head × query), "
                + "x = scaled scores, φ = attention probabilities; ε = the row's mean score, s = the smallest "
                + "probability softmax (T = 1) gives on the row (MULTIMAX.md §7). S: larger is sparser "
                + "(at most e⁻¹ ≈ 0.37 for softmax); M: closer to 1 keeps more modes. Mean over seeds.\n\n");
        sb.append("| layer |");
        for (String v : variants) sb.append(" S ").append(v).append(" | M ").append(v).append(" |");
        sb.append("\n|---|");
        sb.append("---|---|".repeat(variants.size()));
        sb.append('\n');
        for (int l = 0; l < depth(); l++) {
            int layer = l;
            sb.append("| ").append(l).append(" |");
            for (String v : variants) {
                sb.append(' ').append(stat(v, r -> layerValue(r, layer, true)).format("%.3f")).append(" |");
                sb.append(' ').append(stat(v, r -> layerValue(r, layer, false)).format("%.3f")).append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nCurves: `curves.png` (test accuracy and train loss per epoch, mean over seeds). Every run: "
                + "`study.json`; checkpoints: `runs/<variant>-seed<k>/model.safetensors`.\n");
        return sb.toString();
    }

    private static double layerValue(Run r, int layer, boolean sparsity) {
        if (layer >= r.layers().size()) return Double.NaN;
        StudyMeasures.Layer l = r.layers().get(layer);
        return sparsity ? l.sparsity() : l.multiModality();
    }

    private static double layerMean(Run r, boolean sparsity) {
        return Stat.of(r.layers().stream().map(l -> sparsity ? l.sparsity() : l.multiModality()).toList()).mean();
    }

    public String json() {
        JsonObject o = new JsonObject();
        Setup s = setup;
        o.addProperty("preset", s.preset());
        o.addProperty("data", s.data());
        o.addProperty("device", s.device());
        o.addProperty("epochs", s.epochs());
        o.addProperty("seeds", s.seeds());
        o.addProperty("batch", s.batch());
        o.addProperty("train_images", s.trainImages());
        o.addProperty("test_images", s.testImages());
        o.addProperty("command", s.command());
        JsonArray vs = new JsonArray();
        variants.forEach(vs::add);
        o.add("variants", vs);
        o.addProperty("measures", "attention of the first test batch; eps = row mean score; s = min softmax(T=1) "
                + "probability of the row; mean over rows where defined");
        JsonArray rs = new JsonArray();
        for (Run r : runs) {
            JsonObject ro = new JsonObject();
            ro.addProperty("variant", r.variant());
            ro.addProperty("seed", r.seed());
            ro.addProperty("checkpoint", r.checkpoint());
            ro.addProperty("final_test_acc", r.finalTestAccuracy());
            ro.addProperty("final_train_loss", r.finalTrainLoss());
            ro.addProperty("ms_per_step", r.lastMsPerStep());
            JsonArray es = new JsonArray();
            for (int i = 0; i < r.epochs().size(); i++) {
                EpochStats e = r.epochs().get(i);
                JsonObject eo = new JsonObject();
                eo.addProperty("epoch", e.epoch());
                eo.addProperty("train_loss", e.trainLoss());
                eo.addProperty("train_acc", e.trainAccuracy());
                eo.addProperty("test_loss", e.testLoss());
                eo.addProperty("test_acc", e.testAccuracy());
                eo.addProperty("images_per_s", e.imagesPerSecond());
                eo.addProperty("ms_per_step", r.msPerStep().get(i));
                eo.addProperty("elapsed_s", e.elapsedSeconds());
                es.add(eo);
            }
            ro.add("epochs", es);
            JsonArray ls = new JsonArray();
            for (StudyMeasures.Layer l : r.layers()) {
                JsonObject lo = new JsonObject();
                lo.addProperty("layer", l.layer());
                addNumber(lo, "sparsity", l.sparsity());
                addNumber(lo, "multi_modality", l.multiModality());
                ls.add(lo);
            }
            ro.add("layers", ls);
            rs.add(ro);
        }
        o.add("runs", rs);
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }

    /** JSON has no NaN: undefined measures are null. */
    private static void addNumber(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) o.addProperty(key, v);
        else o.add(key, com.google.gson.JsonNull.INSTANCE);
    }
}
