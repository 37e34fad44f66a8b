package dev.multimax.cli;

import dev.multimax.model.VitConfig;
import dev.multimax.science.RowActivation;
import dev.multimax.simplex.InputPath;
import dev.multimax.simplex.SimplexFigure;
import dev.multimax.simplex.SimplexPlot;
import dev.multimax.train.Checkpoint;
import dev.multimax.util.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code multimax simplex}: the paper's Figure 1 idea, paths of 3-d inputs mapped onto the 2-simplex. */
@Command(name = "simplex", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Draw paths of 3-d inputs v(t), t in [0, 6], mapped by softmax (T = 0.5, 1, 2), sparsemax, entmax-1.5, "
                + "evsoftmax and MultiMax onto the 2-simplex (one panel per function; vertices: one mode, "
                + "edges: two, interior: three). Paths: two-large (t, 0.8t, -t), swap (3-t, t-3, 0), "
                + "rise-3 (1, 0.5, t-3).",
            "MultiMax uses the ranges/ts of --layer of --checkpoint, or built-in parameters "
                + "ranges [0, 1, 0, 0], ts [-2, -0.8, 0, 0]: slope 3 below 0 (suppresses the negative "
                + "entry), slope 0.2 above 1 (keeps the two large entries close), identity between."})
final class SimplexCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The figure to write (PNG).")
    Path out;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Take MultiMax's parameters from this model.safetensors.")
    Path checkpoint;

    @Option(names = "--layer", paramLabel = "L|head",
            description = "Which MultiMax of the checkpoint: attention block L (0-based) or 'head' for the classifier's (default: 0).")
    String layer;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the plotted points: function,path,t,y1,y2,y3.")
    Path csv;

    @Override
    public Integer call() {
        if (layer != null && checkpoint == null) throw new UserError("--layer needs --checkpoint");
        RowActivation.MultiMax mm = SimplexFigure.builtIn();
        String source = "built-in example";
        if (checkpoint != null) {
            String site = layer == null ? "0" : layer;
            mm = fromCheckpoint(checkpoint, site);
            source = checkpoint.getFileName() + (site.equals("head") ? ", head" : ", layer " + site);
        }
        SimplexFigure fig = new SimplexFigure(mm, source);
        byte[] png = SimplexPlot.png(fig);
        AtomicFiles.write(out, png);
        System.out.printf("wrote %s (%d x %d), %d functions x %d paths x %d points%n", out, SimplexPlot.width(),
                SimplexPlot.height(fig), fig.functions().size(), InputPath.ALL.size(), InputPath.SAMPLES);
        System.out.println("multimax (" + source + "): ranges " + Arrays.toString(mm.ranges()) + ", ts "
                + Arrays.toString(mm.ts()));
        if (csv != null) {
            AtomicFiles.write(csv, fig.csv().getBytes(StandardCharsets.UTF_8));
            System.out.printf("wrote %s (%d points)%n", csv, fig.points().size());
        }
        return 0;
    }

    /** The ranges/ts of one MultiMax site of a checkpoint: "head" or an attention block index. */
    static RowActivation.MultiMax fromCheckpoint(Path file, String site) {
        Checkpoint.Loaded loaded = Checkpoint.load(file);
        VitConfig c = loaded.model().config();
        String prefix;
        if (site.equals("head")) {
            if (!c.headAct().hasParameters()) {
                throw new UserError(file + ": the classifier output uses " + c.headAct().id() + ", not multimax");
            }
            prefix = "";
        } else {
            int l;
            try {
                l = Integer.parseInt(site);
            } catch (NumberFormatException e) {
                throw new UserError("--layer must be a block index or 'head', not '" + site + "'");
            }
            if (l < 0 || l >= c.depth()) {
                throw new UserError("--layer " + l + ": " + file + " has attention blocks 0.." + (c.depth() - 1));
            }
            if (!c.attnAct().hasParameters()) {
                throw new UserError(file + ": attention uses " + c.attnAct().id() + ", not multimax (try --layer head)");
            }
            prefix = "blocks." + l + ".attn.";
        }
        return new RowActivation.MultiMax(toDouble(loaded.model().get(prefix + "ranges")),
                toDouble(loaded.model().get(prefix + "ts")));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
