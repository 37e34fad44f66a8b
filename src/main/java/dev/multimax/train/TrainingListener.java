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
     * One epoch: mean train loss, test metrics, training throughput, wall time since the first step,
     * and the batches skipped for a non-finite loss or gradient ({@code --on-nonfinite skip}; the
     * train loss and accuracy are over the other batches).
     */
    record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                      double imagesPerSecond, double elapsedSeconds, int skipped) {
        /** No batch skipped. */
        public EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double imagesPerSecond, double elapsedSeconds) {
            this(epoch, trainLoss, trainAccuracy, testLoss, testAccuracy, imagesPerSecond, elapsedSeconds, 0);
        }
    }
}
