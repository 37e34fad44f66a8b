package dev.multimax.train;

import dev.multimax.model.OptimizerConfig;

/**
 * How to train: schedule, batch, seed, optimizer constants and augmentation ({@code shift}: random
 * translation of training images by up to that many pixels per axis, 0 for none). Validated on
 * construction.
 */
public record TrainOptions(int epochs, int batch, double lr, double minLr, int warmupSteps, long seed,
                           OptimizerConfig optimizer, int shift) {
    /** No augmentation. */
    public TrainOptions(int epochs, int batch, double lr, double minLr, int warmupSteps, long seed,
                        OptimizerConfig optimizer) {
        this(epochs, batch, lr, minLr, warmupSteps, seed, optimizer, 0);
    }

    public TrainOptions {
        // the command line checks its options first, naming them; these guard other callers
        if (shift < 0) throw new IllegalArgumentException("shift must be >= 0, got " + shift);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("lr must be a positive number, got " + lr);
        if (!(minLr >= 0) || minLr > lr) throw new IllegalArgumentException("min lr must be in [0, lr], got " + minLr);
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        if (!(optimizer.weightDecay() >= 0)) throw new IllegalArgumentException("weight decay must be >= 0");
        if (!(optimizer.beta2() > 0 && optimizer.beta2() < 1)) throw new IllegalArgumentException("beta2 must be in (0, 1)");
    }
}
