package dev.multimax.data;

/**
 * A training set, an optional validation set held out from the training data (null when none),
 * and a test set, all with the same image size and number of classes.
 */
public record TrainTest(Dataset train, Dataset validation, Dataset test) {
    /** No validation split. */
    public TrainTest(Dataset train, Dataset test) {
        this(train, null, test);
    }

    /**
     * Holds out the last {@code n} training images as the validation set (0: none). The split is
     * fixed (not shuffled), so every run and every seed validates on the same images; recipes are
     * chosen on it, and the test set is only reported.
     *
     * @throws IllegalArgumentException when {@code n} leaves no training image
     */
    public TrainTest holdOut(int n) {
        if (n == 0) return this;
        if (n < 0 || n >= train.n()) {
            throw new IllegalArgumentException("cannot hold out " + n + " of " + train.n() + " training images");
        }
        return new TrainTest(train.range(0, train.n() - n), train.range(train.n() - n, train.n()), test);
    }

    /**
     * The MNIST constants for the dataset named {@code mnist} (so runs match the usual recipe),
     * otherwise mean and std computed over the training set.
     */
    public MeanStd normalization() {
        if (MnistFiles.MNIST.equals(train.name())) {
            return MeanStd.MNIST;
        }
        return Dataset.meanStd(train).safe();
    }
}
