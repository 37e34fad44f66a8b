package dev.multimax.analysis;

import dev.multimax.data.Batcher;
import dev.multimax.data.Dataset;
import dev.multimax.data.MeanStd;
import dev.multimax.device.DeviceArray;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitStep;
import dev.multimax.nn.BlockBuffers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the eval graph over the first images of a dataset and collects, per attention layer, the
 * {@link AttentionStats} of every attention row, the range of the classifier's pre-modulation
 * outputs, and the attention maps of the first few images.
 */
public final class AttentionAnalysis {
    /**
     * What one run found: per-layer stats, the range of the head's inputs to σ_out, accuracy on
     * the analysed images, keys per attention row, and the maps of the first samples.
     */
    public record Result(List<AttentionStats> layers, double headMin, double headMax, int images, int correct,
                         int tokens, List<AttentionFigure.Sample> samples) {
    }

    private AttentionAnalysis() {
    }

    /** The query whose attention row the maps show: the centre patch of a grid × grid layout (row-major). */
    public static int centre(int grid) {
        return (grid / 2) * grid + grid / 2;
    }

    /**
     * {@code plan}'s graph 0 must be {@code step.evalGraph(true)}. Analyses images [0, n) of
     * {@code data}; keeps maps for the first {@code samples} of them. {@code progress} gets one
     * line per batch.
     */
    public static Result run(ExecutionPlan plan, VitStep step, Dataset data, MeanStd norm, int n, int samples,
                             Consumer<String> progress) {
        VitConfig c = step.model().config();
        int depth = c.depth();
        int heads = c.numHeads();
        int tokens = c.numPatches();
        int grid = c.imgSize() / c.patchSize();
        int classes = c.numClasses();
        int mid = centre(grid);
        List<AttentionStats> stats = new ArrayList<>();
        for (int l = 0; l < depth; l++) stats.add(new AttentionStats());
        List<AttentionFigure.Sample> maps = new ArrayList<>();
        DeviceArray[] wanted = new DeviceArray[2 * depth + 2];
        for (int l = 0; l < depth; l++) {
            BlockBuffers b = step.blocks().get(l);
            wanted[2 * l] = b.s();
            wanted[2 * l + 1] = b.p();
        }
        wanted[2 * depth] = step.headOutput();
        wanted[2 * depth + 1] = step.logits();
        double headMin = Double.POSITIVE_INFINITY;
        double headMax = Double.NEGATIVE_INFINITY;
        int correct = 0;
        Batcher batcher = new Batcher(data, step.batch(), 0);
        int batches = (n + step.batch() - 1) / step.batch();
        for (int start = 0, k = 1; start < n; start += step.batch(), k++) {
            int rows = batcher.fillSequential(start, Math.min(step.batch(), n - start), step.images().host(),
                    step.labels().host(), (float) norm.mean(), (float) norm.std());
            step.valid().host()[0] = rows;
            ExecutionResult result = plan.withGraph(0).execute();
            result.transferToHost(wanted);
            float[] head = step.headOutput().host();
            float[] logits = step.logits().host();
            for (int b = 0; b < rows; b++) {
                for (int j = 0; j < classes; j++) {
                    headMin = Math.min(headMin, head[b * classes + j]);
                    headMax = Math.max(headMax, head[b * classes + j]);
                }
                int predicted = argmax(logits, b * classes, classes);
                if (predicted == step.labels().host()[b]) correct++;
                boolean keep = start + b < samples;
                double[][] centreRows = new double[depth][tokens];
                double[][] meanRows = new double[depth][tokens];
                for (int l = 0; l < depth; l++) {
                    float[] s = step.blocks().get(l).s().host();
                    float[] p = step.blocks().get(l).p().host();
                    for (int h = 0; h < heads; h++) {
                        for (int q = 0; q < tokens; q++) {
                            int off = ((b * heads + h) * tokens + q) * tokens;
                            stats.get(l).add(s, off, p, off, tokens);
                            if (!keep) continue;
                            for (int j = 0; j < tokens; j++) {
                                meanRows[l][j] += p[off + j] / (double) (heads * tokens);
                                if (q == mid) centreRows[l][j] += p[off + j] / (double) heads;
                            }
                        }
                    }
                }
                if (keep) {
                    maps.add(new AttentionFigure.Sample(start + b, step.labels().host()[b], predicted,
                            grayImage(data, start + b), data.rows(), grid, mid, centreRows, meanRows));
                }
            }
            progress.accept("analyze: batch " + k + "/" + batches + " (" + (start + rows) + "/" + n + " images)");
        }
        return new Result(stats, headMin, headMax, n, correct, tokens, maps);
    }

    /** Image {@code i} in [0, 1], channels averaged. */
    static float[] grayImage(Dataset data, int i) {
        int plane = data.rows() * data.cols();
        float[] out = new float[plane];
        int base = i * data.imageSize();
        for (int ch = 0; ch < data.channels(); ch++) {
            for (int k = 0; k < plane; k++) out[k] += (data.images()[base + ch * plane + k] & 0xff) / 255f / data.channels();
        }
        return out;
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[off + j] > v[off + best]) best = j;
        }
        return best;
    }
}
