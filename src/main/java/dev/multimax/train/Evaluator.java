package dev.multimax.train;

import dev.multimax.data.Batcher;
import dev.multimax.data.Dataset;
import dev.multimax.data.MeanStd;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.model.VitStep;

/** Runs the eval graph over a whole dataset, batch by batch, summing loss and correct counts. */
public final class Evaluator {
    private Evaluator() {
    }

    /** Mean loss and accuracy over {@code data}. */
    public record Result(double loss, double accuracy, int count) {
    }

    /** Receives each batch's model outputs (after an UNDER_DEMAND transfer) when not null. */
    public interface LogitsSink {
        void accept(float[] logits, int rows);
    }

    /** {@code plan.withGraph(evalIndex)} must be the eval graph of {@code step}. */
    public static Result evaluate(ExecutionPlan plan, int evalIndex, VitStep step, Dataset data, MeanStd norm,
                                  LogitsSink sink) {
        Batcher batcher = new Batcher(data, step.batch(), 0);
        double loss = 0;
        long correct = 0;
        for (int start = 0; start < data.n(); start += step.batch()) {
            int rows = batcher.fillSequential(start, step.batch(), step.images().host(), step.labels().host(),
                    (float) norm.mean(), (float) norm.std());
            step.valid().host()[0] = rows;
            var result = plan.withGraph(evalIndex).execute();
            loss += step.metrics().host()[0];
            correct += Math.round(step.metrics().host()[1]);
            if (sink != null) {
                result.transferToHost(step.logits());
                sink.accept(step.logits().host(), rows);
            }
        }
        return new Result(loss / data.n(), correct / (double) data.n(), data.n());
    }
}
