package dev.multimax.experiment;

import dev.multimax.data.Batcher;
import dev.multimax.data.Dataset;
import dev.multimax.data.MeanStd;
import dev.multimax.device.Device;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import dev.multimax.nn.BlockBuffers;
import dev.multimax.science.Measures;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-layer sparsity S and multi-modality M (MULTIMAX.md §7, {@link Measures}) of a trained model's
 * attention, for {@code multimax study}. One forward pass of the eval graph over the first test batch;
 * every attention row (image × head × query token) counts, x = the scaled scores, φ = the attention
 * probabilities. Conventions: ε = the row's mean score (entries above the mean are "relevant"), s =
 * the smallest probability softmax at T = 1 gives on that row. S and M are averaged over the rows
 * where they are defined. Kept small and separate so an {@code analyze} command's measures can replace it.
 */
final class StudyMeasures {
    private StudyMeasures() {
    }

    /** One layer's mean S and M (NaN when no row defines them). */
    public record Layer(int layer, double sparsity, double multiModality) {
    }

    /** Measures every layer of {@code model} (weights on the host) on the first {@code batch} images of {@code test}. */
    static List<Layer> measure(VitModel model, Device device, Dataset test, MeanStd norm, int batch) {
        int b = Math.max(1, Math.min(batch, test.n()));
        // unfused: the measures read the scores S, which fused softmax attention does not keep
        VitStep step = new VitStep(model, b, false);
        int tokens = model.config().numPatches();
        int heads = model.config().numHeads();
        List<Layer> out = new ArrayList<>();
        try (ExecutionPlan plan = new ExecutionPlan(step.evalGraph(true)).withDevice(device)) {
            int rows = new Batcher(test, b, 0).fillSequential(0, b, step.images().host(), step.labels().host(),
                    (float) norm.mean(), (float) norm.std());
            step.valid().host()[0] = rows;
            ExecutionResult r = plan.withGraph(0).execute();
            List<BlockBuffers> blocks = step.blocks();
            for (int i = 0; i < blocks.size(); i++) {
                BlockBuffers bb = blocks.get(i);
                r.transferToHost(bb.s(), bb.p());
                double[] sm = rowMeans(bb.s().host(), bb.p().host(), rows * heads * tokens, tokens);
                out.add(new Layer(i, sm[0], sm[1]));
            }
        }
        return out;
    }

    /** Mean S and mean M over {@code count} rows of length {@code n} (scores x, probabilities phi). */
    static double[] rowMeans(float[] x, float[] phi, int count, int n) {
        double sSum = 0;
        double mSum = 0;
        int sRows = 0;
        int mRows = 0;
        double[] xr = new double[n];
        double[] pr = new double[n];
        for (int r = 0; r < count; r++) {
            double mean = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                xr[j] = x[r * n + j];
                pr[j] = phi[r * n + j];
                mean += xr[j];
                max = Math.max(max, xr[j]);
            }
            mean /= n;
            // smallest softmax(T=1) probability: exp(min − max) / Σ exp(x − max)
            double z = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                z += Math.exp(xr[j] - max);
                min = Math.min(min, xr[j]);
            }
            double ref = Math.exp(min - max) / z;
            if (ref > 0) {
                double s = Measures.sparsity(xr, pr, mean, ref);
                if (!Double.isNaN(s)) {
                    sSum += s;
                    sRows++;
                }
            }
            double m = Measures.multiModality(xr, pr, mean);
            if (!Double.isNaN(m)) {
                mSum += m;
                mRows++;
            }
        }
        return new double[] {sRows == 0 ? Double.NaN : sSum / sRows, mRows == 0 ? Double.NaN : mSum / mRows};
    }
}
