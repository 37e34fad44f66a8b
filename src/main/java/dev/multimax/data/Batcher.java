package dev.multimax.data;

import java.util.SplittableRandom;

/**
 * Seeded shuffling and batch filling for one dataset.
 *
 * <p>Epoch e's order depends only on (seed, e), never on earlier epochs, so a run resumed at
 * epoch e sees exactly the batches the uninterrupted run would have seen. Filling writes into
 * caller-owned buffers and allocates nothing.
 */
public final class Batcher {
    private final Dataset data;
    private final int batchSize;
    private final long seed;

    public Batcher(Dataset data, int batchSize, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public Dataset data() {
        return data;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch, counting a final partial batch. */
    public int batchesPerEpoch() {
        return (data.n() + batchSize - 1) / batchSize;
    }

    /** A buffer for one batch of normalized images: batchSize * channels * rows * cols. */
    public float[] newImageBuffer() {
        return new float[batchSize * data.imageSize()];
    }

    public int[] newLabelBuffer() {
        return new int[batchSize];
    }

    /** The shuffled order of example indices for an epoch. */
    public int[] permutation(int epoch) {
        int[] out = new int[data.n()];
        permutation(seed, epoch, out);
        return out;
    }

    /**
     * Fills {@code out} with a permutation of 0..out.length-1 determined by (seed, epoch) alone
     * (Fisher-Yates with a generator seeded from both).
     */
    public static void permutation(long seed, int epoch, int[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, epoch));
        for (int i = out.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
    }

    /**
     * Mixes seed and epoch so nearby pairs (seed, e) and (seed + 1, e) give unrelated streams;
     * a plain seed + epoch would make run 1's epoch 2 equal run 2's epoch 1.
     */
    static long mix(long seed, int epoch) {
        return murmur(murmur(seed) ^ (epoch * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
    }

    private static long murmur(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /**
     * Writes examples {@code indices[from .. from+count)} as normalized floats
     * {@code (p/255 - mean) / std} in [count, channels*rows*cols] layout, and their labels.
     * Stops early at the end of {@code indices}; returns the number of examples written.
     */
    public int fill(int[] indices, int from, int count, float[] images, int[] labels,
                    float mean, float std) {
        int actual = Math.max(0, Math.min(count, indices.length - from));
        checkBuffers(actual, images, labels);
        for (int b = 0; b < actual; b++) {
            copyShifted(indices[from + b], b, images, labels, mean, std, 0, 0);
        }
        return actual;
    }

    /**
     * Like {@link #fill}, with each image translated by a random whole number of pixels in
     * {@code [-shift, shift]} along each axis (pixels moved in from outside the image are 0, the
     * background of MNIST-like data). The offsets depend only on (seed, epoch, position in the
     * epoch), like the order, so a resumed run sees the same images. {@code shift} 0 is {@link #fill}.
     */
    public int fillShifted(int[] indices, int from, int count, float[] images, int[] labels,
                           float mean, float std, int shift, int epoch) {
        if (shift == 0) return fill(indices, from, count, images, labels, mean, std);
        if (shift < 0) throw new IllegalArgumentException("shift must be >= 0, got " + shift);
        int actual = Math.max(0, Math.min(count, indices.length - from));
        checkBuffers(actual, images, labels);
        long stream = mix(seed ^ SHIFT_STREAM, epoch);
        int span = 2 * shift + 1;
        for (int b = 0; b < actual; b++) {
            long r = murmur(stream + (from + b) * 0x9E3779B97F4A7C15L);
            int dy = (int) Long.remainderUnsigned(r, span) - shift;
            int dx = (int) Long.remainderUnsigned(r >>> 32, span) - shift;
            copyShifted(indices[from + b], b, images, labels, mean, std, dy, dx);
        }
        return actual;
    }

    /** Keeps the shift offsets' stream apart from the order's stream for the same seed. */
    private static final long SHIFT_STREAM = 0x5DEECE66DL;

    /**
     * Like {@link #fill} but in dataset order, examples {@code [start, start+count)}, for
     * evaluation. Returns the number written (fewer at the end of the dataset).
     */
    public int fillSequential(int start, int count, float[] images, int[] labels,
                              float mean, float std) {
        int actual = Math.max(0, Math.min(count, data.n() - start));
        checkBuffers(actual, images, labels);
        for (int b = 0; b < actual; b++) {
            copyShifted(start + b, b, images, labels, mean, std, 0, 0);
        }
        return actual;
    }

    private void checkBuffers(int count, float[] images, int[] labels) {
        if (images.length < (long) count * data.imageSize() || labels.length < count) {
            throw new IllegalArgumentException("batch buffers too small for " + count
                    + " examples: " + images.length + " floats, " + labels.length + " labels");
        }
    }

    /**
     * Writes example {@code example} normalised into batch slot {@code slot}, translated: output pixel
     * (y, x) takes input pixel (y - dy, x - dx), or 0 when that is outside the image (0, 0: a copy).
     */
    private void copyShifted(int example, int slot, float[] images, int[] labels, float mean, float std,
                             int dy, int dx) {
        int rows = data.rows();
        int cols = data.cols();
        byte[] src = data.images();
        float background = (0f - mean) / std;
        for (int c = 0; c < data.channels(); c++) {
            int in = (example * data.channels() + c) * rows * cols;
            int out = (slot * data.channels() + c) * rows * cols;
            for (int y = 0; y < rows; y++) {
                int sy = y - dy;
                for (int x = 0; x < cols; x++) {
                    int sx = x - dx;
                    boolean inside = sy >= 0 && sy < rows && sx >= 0 && sx < cols;
                    // p / 255f (not p * (1/255f)) so a pixel maps to the correctly rounded p/255
                    images[out + y * cols + x] = inside
                            ? ((src[in + sy * cols + sx] & 0xff) / 255f - mean) / std : background;
                }
            }
        }
        labels[slot] = data.labels()[example];
    }
}
