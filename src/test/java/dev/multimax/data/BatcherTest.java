package dev.multimax.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatcherTest {
    private static Dataset data(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return Dataset.of("t", Idx.pattern(n, 2, 3), labels, 2, 3, 1);
    }

    @Test
    void sameSeedAndEpochSameOrder() {
        Batcher a = new Batcher(data(100), 8, 42);
        Batcher b = new Batcher(data(100), 8, 42);
        assertThat(a.permutation(3)).isEqualTo(b.permutation(3));
    }

    @Test
    void differentEpochOrSeedDifferentOrder() {
        Batcher a = new Batcher(data(100), 8, 42);
        assertThat(a.permutation(0)).isNotEqualTo(a.permutation(1));
        assertThat(a.permutation(1)).isNotEqualTo(new Batcher(data(100), 8, 43).permutation(1));
        // seed+epoch must not collapse to one number
        assertThat(new Batcher(data(100), 8, 1).permutation(2))
                .isNotEqualTo(new Batcher(data(100), 8, 2).permutation(1));
    }

    @Test
    void isPermutation() {
        for (int n : new int[] {0, 1, 2, 7, 1000}) {
            int[] p = new Batcher(data(n), 4, 7).permutation(5);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertThat(sorted[i]).isEqualTo(i);
            }
        }
        assertThat(new Batcher(data(1000), 4, 7).permutation(5)).isNotEqualTo(identity(1000));
    }

    @Test
    void fillNormalizesAndCopiesLabels() {
        Dataset d = data(10);
        Batcher b = new Batcher(d, 4, 1);
        float[] images = b.newImageBuffer();
        int[] labels = b.newLabelBuffer();
        int[] order = {9, 2, 5, 0, 7};
        float mean = 0.1307f;
        float std = 0.3081f;
        assertThat(b.fill(order, 1, 4, images, labels, mean, std)).isEqualTo(4);
        for (int s = 0; s < 4; s++) {
            int ex = order[1 + s];
            assertThat(labels[s]).isEqualTo(d.labels()[ex]);
            for (int k = 0; k < 6; k++) {
                double p = d.images()[ex * 6 + k] & 0xff;
                assertThat((double) images[s * 6 + k]).isCloseTo((p / 255 - mean) / std, within(1e-5));
            }
        }
        // partial batch at the end of the order
        assertThat(b.fill(order, 3, 4, images, labels, mean, std)).isEqualTo(2);
        assertThat(labels[1]).isEqualTo(d.labels()[7]);
    }

    @Test
    void sequentialCoversDatasetInOrder() {
        Dataset d = data(10);
        Batcher b = new Batcher(d, 4, 1);
        float[] images = b.newImageBuffer();
        int[] labels = b.newLabelBuffer();
        assertThat(b.batchesPerEpoch()).isEqualTo(3);
        int seen = 0;
        for (int start = 0; start < d.n(); start += 4) {
            int got = b.fillSequential(start, 4, images, labels, 0f, 1f);
            for (int s = 0; s < got; s++) {
                assertThat(labels[s]).isEqualTo(d.labels()[start + s]);
                assertThat(images[s * 6]).isEqualTo((d.images()[(start + s) * 6] & 0xff) / 255f);
            }
            seen += got;
        }
        assertThat(seen).isEqualTo(10);
        assertThat(b.fillSequential(10, 4, images, labels, 0f, 1f)).isZero();
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Images whose pixels are all non-zero and distinct, so a shifted copy can be traced back. */
    private static Dataset distinctPixels(int n, int rows, int cols) {
        byte[] px = new byte[n * rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (1 + i % 255);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        return Dataset.of("s", px, labels, rows, cols, 1);
    }

    @Test
    void shiftZeroIsFillAndShiftsAreTranslationsWithBackgroundFill() {
        int rows = 9;
        int cols = 7;
        int batch = 13;
        int shift = 2;
        Dataset d = distinctPixels(40, rows, cols);
        Batcher b = new Batcher(d, batch, 5);
        int[] order = b.permutation(1);
        float[] plain = b.newImageBuffer();
        float[] same = b.newImageBuffer();
        int[] labels = b.newLabelBuffer();
        b.fill(order, 26, batch, plain, labels, 0.2f, 0.5f);
        b.fillShifted(order, 26, batch, same, labels, 0.2f, 0.5f, 0, 1);
        assertThat(same).isEqualTo(plain);

        float[] shifted = b.newImageBuffer();
        int rowsWritten = b.fillShifted(order, 26, batch, shifted, labels, 0.2f, 0.5f, shift, 1);
        assertThat(rowsWritten).isEqualTo(batch);
        float background = (0f - 0.2f) / 0.5f;
        java.util.Set<String> offsets = new java.util.HashSet<>();
        for (int s = 0; s < batch; s++) {
            int[] found = null;
            for (int dy = -shift; dy <= shift && found == null; dy++) {
                for (int dx = -shift; dx <= shift && found == null; dx++) {
                    if (isShift(plain, shifted, s * rows * cols, rows, cols, dy, dx, background)) found = new int[] {dy, dx};
                }
            }
            assertThat(found).as("slot %d is a translation of its image by at most %d pixels", s, shift).isNotNull();
            offsets.add(found[0] + "," + found[1]);
            assertThat(labels[s]).isEqualTo(d.labels()[order[26 + s]]);
        }
        assertThat(offsets.size()).as("the offsets vary across a batch").isGreaterThan(3);

        // the offsets depend on (seed, epoch, position) only: the same call gives the same images,
        // another epoch other ones
        float[] again = b.newImageBuffer();
        b.fillShifted(order, 26, batch, again, labels, 0.2f, 0.5f, shift, 1);
        assertThat(again).isEqualTo(shifted);
        b.fillShifted(order, 26, batch, again, labels, 0.2f, 0.5f, shift, 2);
        assertThat(again).isNotEqualTo(shifted);
    }

    private static boolean isShift(float[] plain, float[] shifted, int base, int rows, int cols, int dy, int dx,
                                   float background) {
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int sy = y - dy;
                int sx = x - dx;
                float want = sy >= 0 && sy < rows && sx >= 0 && sx < cols ? plain[base + sy * cols + sx] : background;
                if (shifted[base + y * cols + x] != want) return false;
            }
        }
        return true;
    }
}
