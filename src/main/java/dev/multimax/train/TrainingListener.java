package dev.multimax.train;

/** What a training run reports as it goes (progress bars and logs live in the CLI). */
public interface TrainingListener {
    /** Called once before the first step. */
    default void onStart(int totalSteps, int stepsPerEpoch) {
    }

    /** After each optimizer step: the batch's mean loss and the images per second of the epoch so far. */
    default void onStep(int epoch, int step, double loss, double imagesPerSecond) {
    }

    default void onEpochStart(int epoch) {
    }

    default void onEpoch(EpochStats stats) {
    }

    /**
     * Bytes of the listener's log written so far, made durable (-1: no log). Recorded in each
     * resumable checkpoint so a resume can cut the log back to the checkpoint's moment.
     */
    default long logBytes() {
        return -1;
    }

    /** After a step checked against the reference device ({@link Trainer#withCheckStep}): every task's comparison. */
    default void onCheck(int step, java.util.List<dev.multimax.graph.TaskCheck> checks) {
    }

    /** After a resumable checkpoint is complete in {@code folder}. */
    default void onCheckpoint(java.nio.file.Path folder, int step) {
    }

    /**
     * One epoch: mean train loss, validation metrics (null without a validation split), test
     * metrics, training throughput, and wall time since the first step (evaluations included).
     */
    record EpochStats(int epoch, double trainLoss, double trainAccuracy, Double valLoss, Double valAccuracy,
                      double testLoss, double testAccuracy, double imagesPerSecond, double elapsedSeconds, int skipped) {
        /** No validation split, no batch skipped. */
        public EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double imagesPerSecond, double elapsedSeconds) {
            this(epoch, trainLoss, trainAccuracy, null, null, testLoss, testAccuracy, imagesPerSecond, elapsedSeconds, 0);
        }
    }
}
