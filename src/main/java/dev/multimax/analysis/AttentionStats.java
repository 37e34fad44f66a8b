package dev.multimax.analysis;

import dev.multimax.science.Measures;

/**
 * The measures of one attention layer, per row and as running means over rows (all heads, queries
 * and images). A row is one query's scaled scores x = S[b, h, q, :] (the input of the activation)
 * and its attention probabilities φ = P[b, h, q, :].
 *
 * <p>Per row (MULTIMAX.md §7), with the two free choices of the paper's measures fixed as:
 * <ul>
 *   <li>ε, the relevance threshold, is the row's mean score: entries below it count as irrelevant
 *       (sparsity), entries above it and below the row's maximum as the other modes
 *       (multi-modality);</li>
 *   <li>s, the reference probability of the sparsity measure, is the smallest probability
 *       softmax at T = 1 gives on the row, exp(min x − logsumexp x) (at least
 *       {@link Double#MIN_NORMAL} where that underflows).</li>
 * </ul>
 * Softmax itself never puts less than s on an entry, so softmax rows score at most e⁻¹ ≈ 0.37 on
 * sparsity; an activation that pushes irrelevant entries below s scores closer to 1.
 * A row where a measure is undefined (no entry below ε, or none strictly between ε and the maximum)
 * does not count towards that measure's mean; {@link #sparsityRows} and {@link #multiModalityRows}
 * say how many did. Also kept: the fraction of weights below {@link #SMALL}, the mean entropy
 * −Σ φ ln φ (nats) and the range of the scores.
 */
public final class AttentionStats {
    /** The threshold of "near-zero" attention weights. */
    public static final double SMALL = 1e-3;

    /** The measures of one row, with the ε and s they used. NaN for an undefined measure. */
    public record Row(double eps, double s, double sparsity, double multiModality, int below, double entropy) {
    }

    private long rows;
    private long weights;
    private long below;
    private double entropySum;
    private double sparsitySum;
    private long sparsityRows;
    private double multiModalitySum;
    private long multiModalityRows;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /** The measures of row x (scores) with output φ (probabilities), same length ≥ 1. */
    public static Row row(double[] x, double[] phi) {
        if (x.length != phi.length || x.length == 0) {
            throw new IllegalArgumentException("row lengths " + x.length + " and " + phi.length);
        }
        double mean = 0;
        double xMax = Double.NEGATIVE_INFINITY;
        double xMin = Double.POSITIVE_INFINITY;
        for (double v : x) {
            mean += v;
            xMax = Math.max(xMax, v);
            xMin = Math.min(xMin, v);
        }
        mean /= x.length;
        double z = 0;
        for (double v : x) z += Math.exp(v - xMax);
        double s = Math.max(Math.exp(xMin - xMax - Math.log(z)), Double.MIN_NORMAL);
        int small = 0;
        double h = 0;
        for (double p : phi) {
            if (p < SMALL) small++;
            if (p > 0) h -= p * Math.log(p);
        }
        return new Row(mean, s, Measures.sparsity(x, phi, mean, s), Measures.multiModality(x, phi, mean), small, h);
    }

    /** Adds the row of {@code n} scores at {@code scores[so..]} and probabilities at {@code probs[po..]}. */
    public Row add(float[] scores, int so, float[] probs, int po, int n) {
        double[] x = new double[n];
        double[] phi = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scores[so + i];
            phi[i] = probs[po + i];
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
        }
        Row r = row(x, phi);
        rows++;
        weights += n;
        below += r.below();
        entropySum += r.entropy();
        if (!Double.isNaN(r.sparsity())) {
            sparsitySum += r.sparsity();
            sparsityRows++;
        }
        if (!Double.isNaN(r.multiModality())) {
            multiModalitySum += r.multiModality();
            multiModalityRows++;
        }
        return r;
    }

    public long rows() {
        return rows;
    }

    /** Mean sparsity over the rows where it is defined; NaN if none. */
    public double sparsity() {
        return sparsityRows == 0 ? Double.NaN : sparsitySum / sparsityRows;
    }

    public long sparsityRows() {
        return sparsityRows;
    }

    /** Mean multi-modality over the rows where it is defined; NaN if none. */
    public double multiModality() {
        return multiModalityRows == 0 ? Double.NaN : multiModalitySum / multiModalityRows;
    }

    public long multiModalityRows() {
        return multiModalityRows;
    }

    /** Fraction of all attention weights below {@link #SMALL}; NaN before the first row. */
    public double fractionBelow() {
        return weights == 0 ? Double.NaN : below / (double) weights;
    }

    /** Mean entropy of a row in nats; NaN before the first row. */
    public double entropy() {
        return rows == 0 ? Double.NaN : entropySum / rows;
    }

    /** Smallest score seen (+∞ before the first row). */
    public double min() {
        return min;
    }

    /** Largest score seen (−∞ before the first row). */
    public double max() {
        return max;
    }
}
