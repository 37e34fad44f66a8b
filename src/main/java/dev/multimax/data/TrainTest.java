package dev.multimax.data;

/** A training set and a test set with the same image size and number of classes. */
public record TrainTest(Dataset train, Dataset test) {
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
