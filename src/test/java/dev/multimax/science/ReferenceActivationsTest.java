package dev.multimax.science;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The float64 references: forward on the simplex, exact zeros where they belong, against brute
 * force and MULTIMAX.md §5, every backward against central differences. Rows come from a fresh
 * seed per test, printed in every failure message.
 */
class ReferenceActivationsTest {
    private static final int[] LENGTHS = {1, 2, 3, 4, 7, 49};

    /** Every activation, with random MultiMax parameters of the size training produces and beyond. */
    private static List<RowActivation> all(Random rng) {
        double[] r = new double[4];
        double[] t = new double[4];
        for (int i = 0; i < 4; i++) {
            r[i] = new double[] {-0.5, 0.5, -1.0, 1.0}[i] + 0.3 * rng.nextGaussian();
            t[i] = 0.4 * rng.nextGaussian();
        }
        return List.of(new RowActivation.Softmax(0.5), new RowActivation.Softmax(1), new RowActivation.Softmax(2),
                new RowActivation.Sparsemax(), new RowActivation.Entmax15(), new RowActivation.EvSoftmax(false),
                new RowActivation.EvSoftmax(true), new RowActivation.MultiMax(r, t));
    }

    /** Gaussian entries at a random scale in [0.1, 5]; never all zeros. */
    static double[] row(Random rng, int n) {
        double scale = 0.1 + 4.9 * rng.nextDouble();
        double[] z = new double[n];
        boolean nonZero = false;
        for (int i = 0; i < n; i++) {
            z[i] = scale * rng.nextGaussian();
            nonZero |= z[i] != 0;
        }
        if (!nonZero) z[0] = 1;
        return z;
    }

    private static long freshSeed() {
        return System.nanoTime() ^ Double.doubleToLongBits(Math.random());
    }

    @Test
    void everyForwardLiesOnTheSimplex() {
        long seed = freshSeed();
        Random rng = new Random(seed);
        for (int trial = 0; trial < 40; trial++) {
            for (int n : LENGTHS) {
                double[] z = row(rng, n);
                for (RowActivation a : all(rng)) {
                    double[] y = a.forward(z);
                    String what = "seed " + seed + " " + a + " n=" + n;
                    double sum = 0;
                    for (double v : y) {
                        assertThat(v).as(what).isGreaterThanOrEqualTo(0.0).isLessThanOrEqualTo(1.0);
                        sum += v;
                    }
                    assertThat(sum).as(what).isCloseTo(1.0, within(1e-12));
                }
            }
        }
    }

    @Test
    void sparsemaxAndEntmaxGiveExactZerosSoftmaxAndMultimaxNever() {
        double[] z = {2.0, 1.5, 0.3, -10.0, 1.0};
        assertThat(new RowActivation.Sparsemax().forward(z)[3]).isEqualTo(0.0);
        assertThat(new RowActivation.Entmax15().forward(z)[3]).isEqualTo(0.0);
        assertThat(new RowActivation.Sparsemax().forward(z)[0]).isPositive();
        long seed = freshSeed();
        Random rng = new Random(seed);
        for (int trial = 0; trial < 50; trial++) {
            double[] w = row(rng, 1 + rng.nextInt(49));
            for (RowActivation a : List.of(new RowActivation.Softmax(0.5), new RowActivation.Softmax(2),
                    all(rng).get(7))) {
                for (double v : a.forward(w)) assertThat(v).as("seed %d %s", seed, a).isPositive();
            }
        }
    }

    @Test
    void multimaxWithZeroParametersIsSoftmax() {
        long seed = freshSeed();
        Random rng = new Random(seed);
        RowActivation mm = RowActivation.parse("multimax");
        for (int n : LENGTHS) {
            double[] z = row(rng, n);
            assertThat(mm.forward(z)).as("seed %d", seed).containsExactly(RowActivation.parse("softmax").forward(z));
            double[] g = row(rng, n);
            double[] y = mm.forward(z);
            assertThat(mm.backward(z, y, g)).as("seed %d", seed)
                    .containsExactly(new RowActivation.Softmax(1).backward(z, y, g));
        }
    }

    @Test
    void multimaxMatchesTheVectorsOfMultimaxMd() {
        double[] x = {-2.0, -0.5, 0.0, 0.3, 1.0, 2.5};
        var mm = new RowActivation.MultiMax(new double[] {-0.4, 0.8, -1.0, 1.5}, new double[] {-0.6, -0.25, -0.1, 0.05});
        double[] sigma = new double[x.length];
        dev.multimax.device.ref.RefMultiMax.modulateFwd(sigma, x, mm.params(), x.length);
        assertThat(sigma)
                .containsExactly(new double[] {-3.06, -0.56, 0.0, 0.3, 0.95, 2.125}, within(1e-14));
        double[] y = mm.forward(x);
        assertThat(y).containsExactly(new double[] {0.003366781608828539, 0.04101579661656122, 0.07180522721435159,
            0.09692691838528861, 0.18566746959751798, 0.6012178065774519}, within(1e-15));
        double[] g = {0.3, -1.0, 0.5, 0.2, -0.4, 1.1};
        // 1e-15: the PyTorch values are float64 too; a few ulps of sums of six terms.
        assertThat(mm.backward(x, y, g)).containsExactly(new double[] {-0.0018323328533248594, -0.10515497600211726,
            -0.007349612151099575, -0.038999014210015955, -0.13957851432681712, 0.254314164603647}, within(1e-15));
        assertThat(mm.parameterBackward(x, y, g)).containsExactly(new double[] {0.04004389361856893,
            0.02827211226468261, 0.0002035925392583177, -0.029919313482781998, -0.008200926314198869,
            0.47140739205347604, -0.0010179626962915885, 0.29919313482781995}, within(1e-15));
        // Cross-entropy with target 4 is L = −log y4, i.e. g = −1/y4 at index 4.
        double[] ce = new double[6];
        ce[4] = -1 / y[4];
        assertThat(-Math.log(y[4])).isCloseTo(1.6837980031496316, within(1e-14));
        assertThat(mm.backward(x, y, ce)).containsExactly(new double[] {0.006060206895891372, 0.06562527458649794,
            0.07180522721435158, 0.09692691838528861, -0.6107493978018614, 0.5110351355908341}, within(1e-14));
        assertThat(mm.parameterBackward(x, y, ce)).containsExactly(new double[] {-0.02662954693523385,
            -0.05327868095625751, -0.000673356321765708, -0.0601217806577452, 0.009488430235781786,
            0.8592037651011719, 0.0033667816088285398, 0.6012178065774519}, within(1e-14));
    }

    @Test
    void sparsemaxAndEntmaxAgreeWithBisectionOnTau() {
        long seed = freshSeed();
        Random rng = new Random(seed);
        for (int trial = 0; trial < 30; trial++) {
            for (int n : LENGTHS) {
                double[] z = row(rng, n);
                // sparsemax: Σ(z − τ)₊ = 1; entmax-1.5: Σ((z/2 − τ)₊)² = 1; both decreasing in τ.
                double[] sp = bisection(z, 1.0, d -> d);
                double[] ent = bisection(z, 0.5, d -> d * d);
                // 1e-12: bisection to τ's last bits; y moves by at most n·|Δτ|-scale rounding.
                assertThat(new RowActivation.Sparsemax().forward(z)).as("seed %d n=%d", seed, n)
                        .containsExactly(sp, within(1e-12));
                assertThat(new RowActivation.Entmax15().forward(z)).as("seed %d n=%d", seed, n)
                        .containsExactly(ent, within(1e-12));
            }
        }
    }

    /** y_i = f((scale·z_i − τ)₊) with τ found by bisection so that Σy = 1. */
    private static double[] bisection(double[] z, double scale, Function<Double, Double> f) {
        double top = Rows.max(z) * scale;
        double lo = top - 1;
        double hi = top;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            double sum = 0;
            for (double v : z) sum += f.apply(Math.max(v * scale - mid, 0));
            if (sum > 1) lo = mid; else hi = mid;
        }
        double tau = 0.5 * (lo + hi);
        double[] y = new double[z.length];
        for (int i = 0; i < z.length; i++) y[i] = f.apply(Math.max(z[i] * scale - tau, 0));
        return y;
    }

    @Test
    void everyBackwardMatchesCentralDifferences() {
        long seed = freshSeed();
        Random rng = new Random(seed);
        int checked = 0;
        int skipped = 0;
        for (int trial = 0; trial < 15; trial++) {
            for (int n : LENGTHS) {
                double[] z = row(rng, n);
                double[] g = row(rng, n);
                for (RowActivation a : all(rng)) {
                    double[] analytic = a.backward(z, a.forward(z), g);
                    double h = 1e-6;
                    for (int i = 0; i < n; i++) {
                        double[] plus = z.clone();
                        double[] minus = z.clone();
                        plus[i] += h;
                        minus[i] -= h;
                        // A kink (support, mask or σ piece changing) between z ± h makes the difference meaningless.
                        if (!pattern(a, plus).equals(pattern(a, minus))) {
                            skipped++;
                            continue;
                        }
                        double fd = (dot(a.forward(plus), g) - dot(a.forward(minus), g)) / (2 * h);
                        // Central differences: O(h²) truncation plus ~1e-16·|L|/h rounding ≈ 1e-10 here.
                        assertThat(analytic[i]).as("seed %d %s n=%d i=%d", seed, a, n, i)
                                .isCloseTo(fd, within(1e-7 + 1e-6 * Math.abs(fd)));
                        checked++;
                    }
                }
            }
        }
        assertThat(skipped).as("seed %d", seed).isLessThan(checked / 100);
    }

    @Test
    void multimaxParameterGradientMatchesCentralDifferences() {
        long seed = freshSeed();
        Random rng = new Random(seed);
        for (int n : LENGTHS) {
            double[] z = row(rng, n);
            double[] g = row(rng, n);
            var mm = (RowActivation.MultiMax) all(rng).get(7);
            double[] analytic = mm.parameterBackward(z, mm.forward(z), g);
            for (int p = 0; p < 8; p++) {
                double h = 1e-6;
                var plus = shifted(mm, p, h);
                var minus = shifted(mm, p, -h);
                if (!pattern(plus, z).equals(pattern(minus, z))) continue;
                double fd = (dot(plus.forward(z), g) - dot(minus.forward(z), g)) / (2 * h);
                assertThat(analytic[p]).as("seed %d n=%d param %d", seed, n, p)
                        .isCloseTo(fd, within(1e-7 + 1e-6 * Math.abs(fd)));
            }
        }
    }

    private static RowActivation.MultiMax shifted(RowActivation.MultiMax mm, int p, double h) {
        double[] r = mm.ranges();
        double[] t = mm.ts();
        if (p < 4) r[p] += h; else t[p - 4] += h;
        return new RowActivation.MultiMax(r, t);
    }

    /** What must not change across a finite difference: the support, the mask or σ's pieces. */
    private static List<Boolean> pattern(RowActivation a, double[] z) {
        List<Boolean> bits = new ArrayList<>();
        if (a instanceof RowActivation.Sparsemax || a instanceof RowActivation.Entmax15) {
            for (double v : a.forward(z)) bits.add(v > 0);
        } else if (a instanceof RowActivation.EvSoftmax) {
            double mean = 0;
            for (double v : z) mean += v / z.length;
            for (double v : z) bits.add(v >= mean);
        } else if (a instanceof RowActivation.MultiMax m) {
            double[] r = m.ranges();
            for (double v : z) for (double k : r) bits.add(v > k);
        }
        return bits;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void evsoftmaxMasksEntriesBelowTheMean() {
        double[] z = {3.0, -1.0, 0.5, 2.0, -4.0}; // mean 0.1
        double[] y = new RowActivation.EvSoftmax(false).forward(z);
        assertThat(y[1]).isZero();
        assertThat(y[4]).isZero();
        double kept = Math.exp(3) + Math.exp(0.5) + Math.exp(2);
        assertThat(y[0]).isCloseTo(Math.exp(3) / kept, within(1e-15));
        assertThat(y[2]).isCloseTo(Math.exp(0.5) / kept, within(1e-15));
        double[] train = new RowActivation.EvSoftmax(true).forward(z);
        double all = kept + 1e-6 * (Math.exp(-1) + Math.exp(-4));
        assertThat(train[1]).isCloseTo(1e-6 * Math.exp(-1) / all, within(1e-20));
        assertThat(train[3]).isCloseTo(Math.exp(2) / all, within(1e-15));
        // A constant row is all at its mean: nothing is masked, even through rounding of the mean.
        assertThat(new RowActivation.EvSoftmax(false).forward(new double[] {0.1, 0.1, 0.1}))
                .containsExactly(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, within(1e-16));
    }

    @Test
    void parseKnowsEveryIdAndNamesTheChoices() {
        for (String id : RowActivation.IDS) assertThat(RowActivation.parse(id).id()).isEqualTo(id);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RowActivation.parse("tanh"))
                .hasMessageContaining("unknown activation 'tanh'").hasMessageContaining("entmax15");
    }
}
