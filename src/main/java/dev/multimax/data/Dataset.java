package dev.multimax.data;

import java.util.Arrays;

/**
 * Images and labels held in memory.
 *
 * <p>Pixels stay unsigned bytes ({@code n * channels * rows * cols}, image-major, then channel,
 * row, column) because MNIST as floats would take four times the memory; {@link Batcher}
 * converts one batch at a time. Labels are ints in {@code [0, numClasses)}.
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 */
public record Dataset(String name, byte[] images, int[] labels, int n, int rows, int cols,
                      int channels, int numClasses) {

    public Dataset {
        if (n < 0 || rows <= 0 || cols <= 0 || channels <= 0) {
            throw new IllegalArgumentException("bad dataset sizes n=" + n + " rows=" + rows
                    + " cols=" + cols + " channels=" + channels);
        }
        if (images.length != (long) n * channels * rows * cols || labels.length != n) {
            throw new IllegalArgumentException("dataset arrays do not match n=" + n + ": "
                    + images.length + " pixels, " + labels.length + " labels");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
    }

    /** A dataset whose number of classes is the largest label + 1 (at least 2). */
    public static Dataset of(String name, byte[] images, int[] labels, int rows, int cols,
                             int channels) {
        return new Dataset(name, images, labels, labels.length, rows, cols, channels,
                classesFor(labels));
    }

    /** Largest label + 1, at least 2 (a classifier needs two classes to mean anything). */
    public static int classesFor(int[]... labelSets) {
        int max = 1;
        for (int[] labels : labelSets) {
            for (int label : labels) {
                max = Math.max(max, label);
            }
        }
        return max + 1;
    }

    /** Values per image: channels * rows * cols. */
    public int imageSize() {
        return channels * rows * cols;
    }

    /** The first {@code limit} examples; all of them when limit <= 0 or >= n. Keeps numClasses. */
    public Dataset first(int limit) {
        if (limit <= 0 || limit >= n) {
            return this;
        }
        return range(0, limit);
    }

    /** Examples {@code [from, to)} as a dataset of their own (copied). Keeps numClasses. */
    public Dataset range(int from, int to) {
        if (from < 0 || to > n || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + n + ")");
        }
        return new Dataset(name, Arrays.copyOfRange(images, from * imageSize(), to * imageSize()),
                Arrays.copyOfRange(labels, from, to), to - from, rows, cols, channels, numClasses);
    }

    /**
     * Mean and (population) std of all pixels in [0, 1] scale. Counts a histogram of the 256
     * byte values first, so the sums are exact and the result does not depend on pixel order.
     */
    public static MeanStd meanStd(Dataset data) {
        long[] counts = new long[256];
        for (byte b : data.images()) {
            counts[b & 0xff]++;
        }
        long total = data.images().length;
        if (total == 0) {
            return new MeanStd(0, 1);
        }
        double sum = 0;
        for (int v = 0; v < 256; v++) {
            sum += counts[v] * (v / 255.0);
        }
        double mean = sum / total;
        double squares = 0;
        for (int v = 0; v < 256; v++) {
            double d = v / 255.0 - mean;
            squares += counts[v] * d * d;
        }
        return new MeanStd(mean, Math.sqrt(squares / total));
    }
}
