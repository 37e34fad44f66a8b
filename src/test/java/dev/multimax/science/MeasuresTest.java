package dev.multimax.science;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** §7's measures on rows small enough to compute by hand. */
class MeasuresTest {
    @Test
    void sparsityIsOneForExactZerosAndLowerForSoftmax() {
        double[] x = {3.0, 2.0, -1.0, -2.0};
        double[] sparse = new RowActivation.Sparsemax().forward(x); // (1, 0, 0, 0)
        double[] soft = new RowActivation.Softmax(1).forward(x);
        double s = soft[3]; // the smallest probability softmax gives: the §7 reference
        assertThat(Measures.sparsity(x, sparse, 0, s)).isEqualTo(1.0);
        double expected = (Math.exp(-soft[2] / s) + Math.exp(-1)) / 2;
        assertThat(Measures.sparsity(x, soft, 0, s)).isCloseTo(expected, within(1e-15));
        assertThat(Measures.sparsity(new double[] {1, 2}, new double[] {0.3, 0.7}, 0, s)).isNaN();
    }

    @Test
    void multiModalityComparesRelevantEntriesWithTheTop() {
        double[] x = {3.0, 2.0, 1.0, -2.0};
        double[] phi = {0.5, 0.3, 0.2, 0.0};
        // relevant (0 < x < 3): entries 1 and 2 → 1 − ((0.5 − 0.3) + (0.5 − 0.2)) / 2
        assertThat(Measures.multiModality(x, phi, 0)).isCloseTo(0.75, within(1e-15));
        assertThat(Measures.multiModality(x, new double[] {1, 0, 0, 0}, 0)).isCloseTo(0.0, within(1e-15));
        assertThat(Measures.multiModality(new double[] {3, -1}, new double[] {0.9, 0.1}, 0)).isNaN();
    }
}
