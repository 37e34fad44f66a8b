package dev.multimax.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-row measures and their bookkeeping, on rows small enough to check by hand. */
class AttentionStatsTest {
    @Test
    void handMadeRow() {
        // mean 0 = ε: below it only -3 (L = 1); strictly between ε and the max only 1 (N' = 1; 0 is not > ε).
        double[] x = {2, 1, 0, -3};
        double[] phi = {0.5, 0.3, 0.2, 0.0};
        AttentionStats.Row r = AttentionStats.row(x, phi);
        double lse = Math.log(Math.exp(2) + Math.exp(1) + Math.exp(0) + Math.exp(-3));
        assertThat(r.eps()).isEqualTo(0.0);
        assertThat(r.s()).isCloseTo(Math.exp(-3 - lse), within(1e-15));
        assertThat(r.sparsity()).isEqualTo(1.0); // the irrelevant entry got exactly 0
        assertThat(r.multiModality()).isCloseTo(1 - (0.5 - 0.3), within(1e-15));
        assertThat(r.below()).isEqualTo(1);
        assertThat(r.entropy()).isCloseTo(-(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2)),
                within(1e-15));
    }

    @Test
    void softmaxRowsScoreAtMostOneOverE() {
        Random rng = new Random(7);
        for (int k = 0; k < 200; k++) {
            double[] x = new double[2 + rng.nextInt(10)];
            for (int i = 0; i < x.length; i++) x[i] = 3 * rng.nextGaussian();
            AttentionStats.Row r = AttentionStats.row(x, softmax(x));
            if (!Double.isNaN(r.sparsity())) assertThat(r.sparsity()).isLessThanOrEqualTo(Math.exp(-1) + 1e-12);
        }
        // The smallest-score entry alone below ε: φ = s exactly, S = e⁻¹.
        double[] x = {1, 1, 1, -2};
        assertThat(AttentionStats.row(x, softmax(x)).sparsity()).isCloseTo(Math.exp(-1), within(1e-12));
    }

    @Test
    void undefinedMeasuresAreNaNAndLeftOutOfTheMeans() {
        AttentionStats.Row flat = AttentionStats.row(new double[] {0.5, 0.5, 0.5}, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
        assertThat(flat.sparsity()).isNaN();
        assertThat(flat.multiModality()).isNaN();
        assertThat(flat.entropy()).isCloseTo(Math.log(3), within(1e-12));
        AttentionStats.Row two = AttentionStats.row(new double[] {1, -1}, new double[] {0.9, 0.1});
        assertThat(two.multiModality()).isNaN(); // no entry between ε and the maximum
        assertThat(two.sparsity()).isFinite();
    }

    @Test
    void underflowingReferenceStaysPositive() {
        AttentionStats.Row r = AttentionStats.row(new double[] {0, -2000}, new double[] {1, 0});
        assertThat(r.s()).isEqualTo(Double.MIN_NORMAL);
        assertThat(r.sparsity()).isEqualTo(1.0);
    }

    @Test
    void accumulatesRowsAtOffsets() {
        // Two rows of 3 inside larger arrays: offsets 1 (scores) and 2 (probabilities).
        float[] s = {99, 2, 1, 0, /* row 2 */ 0.5f, 0.5f, 0.5f};
        float[] p = {-1, -1, 0.7f, 0.25f, 0.0005f, 1 / 3f, 1 / 3f, 1 / 3f};
        AttentionStats st = new AttentionStats();
        assertThat(st.sparsity()).isNaN();
        assertThat(st.fractionBelow()).isNaN();
        AttentionStats.Row a = st.add(s, 1, p, 2, 3);
        st.add(s, 4, p, 5, 3);
        assertThat(st.rows()).isEqualTo(2);
        // row 1: ε = 1; below: {0} → S = exp(-0.0005/s); between 1 and 2: none → M undefined.
        assertThat(a.multiModality()).isNaN();
        assertThat(st.sparsityRows()).isEqualTo(1);
        assertThat(st.multiModalityRows()).isZero();
        assertThat(st.sparsity()).isCloseTo(a.sparsity(), within(1e-15));
        assertThat(st.multiModality()).isNaN();
        assertThat(st.fractionBelow()).isCloseTo(1 / 6.0, within(1e-15));
        double h1 = -(0.7 * Math.log(0.7) + 0.25 * Math.log(0.25) + 0.0005 * Math.log(0.0005));
        assertThat(st.entropy()).isCloseTo((h1 + Math.log(3)) / 2, within(1e-6));
        assertThat(st.min()).isEqualTo(0.0);
        assertThat(st.max()).isEqualTo(2.0);
    }

    private static double[] softmax(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) m = Math.max(m, v);
        double[] y = new double[x.length];
        double z = 0;
        for (int i = 0; i < x.length; i++) z += y[i] = Math.exp(x[i] - m);
        for (int i = 0; i < x.length; i++) y[i] /= z;
        return y;
    }
}
