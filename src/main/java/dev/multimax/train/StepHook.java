package dev.multimax.train;

import dev.multimax.graph.TaskGraph;
import dev.multimax.model.VitStep;

/**
 * Extra work the {@link Trainer} weaves into every training step: tasks added to the step graph
 * after the backward pass (before the non-finite check and AdamW), and host inputs set before each
 * step. Tests use one to poison a gradient at a chosen step; a run has none by default.
 */
public interface StepHook {
    /** Adds tasks (and their transfers) to {@code g}, the graph of {@code step}. */
    void addTasks(TaskGraph g, VitStep step);

    /** Before global step {@code t} (from 1) executes. */
    default void beforeStep(int t) {
    }
}
