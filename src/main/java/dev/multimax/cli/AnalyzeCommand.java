package dev.multimax.cli;

import dev.multimax.analysis.AnalysisReport;
import dev.multimax.analysis.AttentionAnalysis;
import dev.multimax.analysis.AttentionFigure;
import dev.multimax.analysis.AttentionStats;
import dev.multimax.analysis.SigmaPlot;
import dev.multimax.data.Dataset;
import dev.multimax.data.MnistFiles;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import dev.multimax.nn.Activation;
import dev.multimax.train.Checkpoint;
import dev.multimax.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code multimax analyze}: how sparse and multi-modal a checkpoint's attention is, with figures. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measure the attention of a checkpoint on the first N test images and write DIR/report.md, "
                + "DIR/analysis.json, DIR/sigma.png and DIR/attention-<i>.png.",
            "Per attention layer: the paper's sparsity S and multi-modality M per attention row (input x: the "
                + "row's scaled scores; output: its attention probabilities; threshold eps: the row's mean score; "
                + "reference s: the smallest probability softmax(T=1) gives on the row), averaged over rows, heads "
                + "and images; the fraction of attention weights below 1e-3; the mean row entropy (nats).",
            "sigma.png: each layer's and the head's learned modulator over the inputs it saw (identity dashed). "
                + "attention-<i>.png: for test image i, per layer, the mean over heads of the centre patch's "
                + "attention row and of the attention received (mean over queries), overlaid on the image."})
final class AnalyzeCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A model.safetensors written by train.")
    Path checkpoint;

    @Option(names = "--data", defaultValue = "mnist", paramLabel = "mnist|DIR", description = "Test data (default: ${DEFAULT-VALUE}).")
    String data;

    @Mixin
    DeviceOption device;

    @Option(names = "--n", defaultValue = "256", paramLabel = "N", description = "Analyse the first N test images (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--samples", defaultValue = "4", paramLabel = "K",
            description = "Attention maps for the first K of them (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--batch", defaultValue = "64", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the report and figures (created if missing).")
    Path out;

    @Override
    public Integer call() {
        if (n < 1) throw new UserError("--n must be >= 1");
        if (samples < 0 || samples > n) throw new UserError("--samples must be in [0, --n] = [0, " + n + "]");
        if (batch < 1) throw new UserError("--batch must be >= 1");
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UserError("--out " + out + ": not a directory");
        Checkpoint.Loaded loaded = Checkpoint.load(checkpoint);
        VitModel model = loaded.model();
        VitConfig c = model.config();
        Path home = Home.get();
        if (data.equals(MnistFiles.MNIST)) MnistInstaller.ensure(home);
        Dataset test = MnistFiles.load(data, home, 1, n).test();
        if (test.rows() != c.imgSize() || test.cols() != c.imgSize() || test.channels() != c.inChans()
                || test.numClasses() > c.numClasses()) {
            throw new UserError(checkpoint + ": model expects " + c.inChans() + "x" + c.imgSize() + "x" + c.imgSize()
                    + " images and " + c.numClasses() + " classes; the data has " + test.channels() + "x" + test.rows()
                    + "x" + test.cols() + " and " + test.numClasses());
        }
        if (test.n() < n) throw new UserError("--n " + n + ": the test set has only " + test.n() + " images");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot create the directory: " + e.getMessage(), e);
        }
        // unfused: the analysis reads every layer's scores S, which fused softmax attention does not keep
        VitStep step = new VitStep(model, Math.min(batch, n), false);
        AttentionAnalysis.Result r;
        String deviceId;
        try (var dev = device.open().device();
             ExecutionPlan plan = new ExecutionPlan(step.evalGraph(true)).withDevice(dev)) {
            deviceId = dev.id();
            r = AttentionAnalysis.run(plan, step, test, loaded.normalization(), n, samples, System.err::println);
        }

        List<AnalysisReport.Site> layerSites = new ArrayList<>();
        List<SigmaPlot.Panel> panels = new ArrayList<>();
        for (int l = 0; l < c.depth(); l++) {
            AnalysisReport.Site site = site(model, c.attnAct(), "blocks." + l + ".attn.");
            layerSites.add(site);
            AttentionStats s = r.layers().get(l);
            panels.add(new SigmaPlot.Panel("layer " + l + " (attention scores)", site.activation(), site.ranges(),
                    site.ts(), s.min(), s.max()));
        }
        AnalysisReport.Site head = site(model, c.headAct(), "");
        panels.add(new SigmaPlot.Panel("head (class logits)", head.activation(), head.ranges(), head.ts(),
                r.headMin(), r.headMax()));

        String sigmaFile = "sigma.png";
        AtomicFiles.write(out.resolve(sigmaFile), SigmaPlot.png(panels,
                "Learned modulators \u03c3 over the observed inputs, " + checkpoint.getFileName()));
        List<String> attentionFiles = new ArrayList<>();
        for (AttentionFigure.Sample s : r.samples()) {
            String f = "attention-" + s.index() + ".png";
            String title = String.format(Locale.ROOT, "%s: test image %d, label %d, predicted %d (%s attention)",
                    checkpoint.getFileName(), s.index(), s.label(), s.predicted(), c.attnAct().id());
            AtomicFiles.write(out.resolve(f), AttentionFigure.png(s, title));
            attentionFiles.add(f);
        }
        AnalysisReport.Context ctx = new AnalysisReport.Context(checkpoint.toString(), data, deviceId,
                new AnalysisReport.Site(c.attnAct().id(), null, null), layerSites, head, sigmaFile, attentionFiles);
        AtomicFiles.write(out.resolve("analysis.json"), AnalysisReport.json(r, ctx).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("report.md"), AnalysisReport.markdown(r, ctx).getBytes(StandardCharsets.UTF_8));

        System.out.printf(Locale.ROOT, "analysed %d images (accuracy %.2f%%), %d attention layers%n", r.images(),
                100.0 * r.correct() / r.images(), c.depth());
        System.out.println("layer  S       M       <1e-3   entropy");
        for (int l = 0; l < c.depth(); l++) {
            AttentionStats s = r.layers().get(l);
            System.out.printf(Locale.ROOT, "%-6d %-7s %-7s %-7s %s%n", l, fmt(s.sparsity()), fmt(s.multiModality()),
                    fmt(s.fractionBelow()), fmt(s.entropy()));
        }
        System.out.println("wrote " + out.resolve("report.md") + ", analysis.json, " + sigmaFile + " and "
                + attentionFiles.size() + " attention map(s)");
        return 0;
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

    /** ranges/ts of a MultiMax site (prefix "" for the head); none for other activations. */
    private static AnalysisReport.Site site(VitModel model, Activation act, String prefix) {
        if (act != Activation.MULTIMAX) return new AnalysisReport.Site(act.id(), null, null);
        return new AnalysisReport.Site(act.id(), toDouble(model.get(prefix + "ranges")), toDouble(model.get(prefix + "ts")));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
