package dev.multimax.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void meanStdInUnitScale() {
        byte[] px = {0, (byte) 255, 0, (byte) 255, (byte) 51, (byte) 102};
        Dataset d = Dataset.of("t", px, new int[] {0, 1, 1}, 1, 2, 1);
        double[] v = {0, 1, 0, 1, 0.2, 0.4};
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean) / v.length;
        }
        MeanStd ms = Dataset.meanStd(d);
        assertThat(ms.mean()).isCloseTo(mean, within(1e-12));
        assertThat(ms.std()).isCloseTo(Math.sqrt(var), within(1e-12));
    }

    @Test
    void constantImagesGetSafeStd() {
        Dataset d = Dataset.of("t", new byte[] {9, 9, 9, 9}, new int[] {0, 1}, 1, 2, 1);
        assertThat(Dataset.meanStd(d).std()).isZero();
        assertThat(Dataset.meanStd(d).safe().std()).isEqualTo(1.0);
    }

    @Test
    void numClassesIsMaxLabelPlusOneAtLeastTwo() {
        assertThat(Dataset.of("t", new byte[2], new int[] {0, 0}, 1, 1, 1).numClasses()).isEqualTo(2);
        assertThat(Dataset.of("t", new byte[2], new int[] {0, 200}, 1, 1, 1).numClasses()).isEqualTo(201);
    }

    @Test
    void firstKeepsPrefixAndClasses() {
        Dataset d = Dataset.of("t", new byte[] {1, 2, 3, 4, 5, 6}, new int[] {4, 1, 2}, 1, 2, 1);
        Dataset f = d.first(2);
        assertThat(f.n()).isEqualTo(2);
        assertThat(f.images()).containsExactly(1, 2, 3, 4);
        assertThat(f.numClasses()).isEqualTo(5);
        assertThat(d.first(0)).isSameAs(d);
        assertThat(d.first(99)).isSameAs(d);
    }

    @Test
    void rejectsInconsistentArrays() {
        assertThatThrownBy(() -> new Dataset("t", new byte[3], new int[2], 2, 1, 1, 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Dataset("t", new byte[2], new int[] {0, 2}, 2, 1, 1, 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holdOutTakesTheLastImagesOfTheTrainingSetAsValidation() {
        int n = 11;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 4;
        Dataset train = Dataset.of("t", Idx.pattern(n, 2, 3), labels, 2, 3, 1);
        Dataset test = Dataset.of("t", Idx.pattern(3, 2, 3), new int[] {0, 1, 2}, 2, 3, 1);
        TrainTest split = new TrainTest(train, test).holdOut(4);
        assertThat(split.train().n()).isEqualTo(7);
        assertThat(split.validation().n()).isEqualTo(4);
        assertThat(split.test()).isSameAs(test);
        assertThat(split.validation().labels()).containsExactly(3, 0, 1, 2);
        assertThat(split.validation().images()).isEqualTo(
                java.util.Arrays.copyOfRange(train.images(), 7 * 6, 11 * 6));
        assertThat(split.validation().numClasses()).isEqualTo(train.numClasses());
        assertThat(new TrainTest(train, test).holdOut(0).validation()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrainTest(train, test).holdOut(11))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
