package dev.multimax.science;

import dev.multimax.device.ref.RefMultiMax;
import dev.multimax.device.ref.RefRows;
import dev.multimax.util.BadInput;
import java.util.List;

/**
 * A map from a row of scores z ∈ Rⁿ (n ≥ 1) to a probability vector y on the simplex, in float64.
 * {@link #backward} is the vector-Jacobian product: given the row z, its output y = forward(z) and
 * g = ∂L/∂y, it returns ∂L/∂z. Neither method changes its arguments.
 */
public sealed interface RowActivation
        permits RowActivation.Softmax, RowActivation.Sparsemax, RowActivation.Entmax15, RowActivation.EvSoftmax,
        RowActivation.MultiMax {

    /** The ids of {@link #parse}, one per family. */
    List<String> IDS = List.of("softmax", "multimax", "sparsemax", "entmax15", "evsoftmax");

    /** The family id: one of {@link #IDS}. */
    String id();

    /** A short label for figures and CSV files, including parameters (e.g. {@code softmax T=0.5}). */
    String label();

    double[] forward(double[] z);

    double[] backward(double[] z, double[] y, double[] g);

    /**
     * The default member of a family: softmax at T = 1, multimax with all 8 parameters 0 (equal to
     * softmax), evsoftmax in its evaluation form.
     */
    static RowActivation parse(String id) {
        return switch (id) {
            case "softmax" -> new Softmax(1.0);
            case "multimax" -> new MultiMax(new double[4], new double[4]);
            case "sparsemax" -> new Sparsemax();
            case "entmax15" -> new Entmax15();
            case "evsoftmax" -> new EvSoftmax(false);
            default -> throw new BadInput("unknown activation '" + id + "'; choose one of " + String.join(", ", IDS));
        };
    }

    /** softmax(z / T); ∂L/∂z = (1/T)·y ⊙ (g − ⟨y, g⟩). */
    record Softmax(double temperature) implements RowActivation {
        public Softmax {
            if (!(temperature > 0) || !Double.isFinite(temperature)) {
                throw new IllegalArgumentException("temperature must be positive and finite: " + temperature);
            }
        }

        @Override
        public String id() {
            return "softmax";
        }

        @Override
        public String label() {
            return "softmax T=" + Rows.shortNumber(temperature);
        }

        @Override
        public double[] forward(double[] z) {
            double[] y = new double[z.length];
            RefRows.softmaxTFwd(y, z, 1, z.length, 1 / temperature);
            return y;
        }

        @Override
        public double[] backward(double[] z, double[] y, double[] g) {
            double[] dz = new double[y.length];
            RefRows.softmaxTBwd(dz, g, y, 1, y.length, 1 / temperature);
            return dz;
        }
    }

    /** Sparsemax (Martins and Astudillo 2016): the Euclidean projection of z onto the simplex. */
    record Sparsemax() implements RowActivation {
        @Override
        public String id() {
            return "sparsemax";
        }

        @Override
        public String label() {
            return "sparsemax";
        }

        @Override
        public double[] forward(double[] z) {
            double[] y = new double[z.length];
            RefRows.sparsemaxFwd(y, z, 1, z.length);
            return y;
        }

        /** On the support S = {y > 0}: g − mean_S(g); 0 elsewhere. */
        @Override
        public double[] backward(double[] z, double[] y, double[] g) {
            double[] dz = new double[y.length];
            RefRows.sparsemaxBwd(dz, g, y, 1, y.length);
            return dz;
        }
    }

    /** 1.5-entmax (Peters, Niculae and Martins 2019): y = (z/2 − τ)₊² with Σy = 1. */
    record Entmax15() implements RowActivation {
        @Override
        public String id() {
            return "entmax15";
        }

        @Override
        public String label() {
            return "entmax-1.5";
        }

        @Override
        public double[] forward(double[] z) {
            double[] y = new double[z.length];
            RefRows.entmax15Fwd(y, z, 1, z.length);
            return y;
        }

        /** With s = √y: s ⊙ (g − ⟨s, g⟩ / Σs). */
        @Override
        public double[] backward(double[] z, double[] y, double[] g) {
            double[] dz = new double[y.length];
            RefRows.entmax15Bwd(dz, g, y, 1, y.length);
            return dz;
        }
    }

    /**
     * Evidential softmax (Chen et al. 2021): entries below the row mean are masked. Evaluation form
     * ({@code training} false): masked entries get exactly 0. Training form: they keep weight
     * {@link #EPSILON} instead of 0. Backward in both: y ⊙ (g − ⟨y, g⟩), the mask held fixed.
     */
    record EvSoftmax(boolean training) implements RowActivation {
        /** Weight of a masked entry in the training form. */
        public static final double EPSILON = 1e-6;

        @Override
        public String id() {
            return "evsoftmax";
        }

        @Override
        public String label() {
            return training ? "evsoftmax (training)" : "evsoftmax";
        }

        @Override
        public double[] forward(double[] z) {
            double[] y = new double[z.length];
            RefRows.evsoftmaxFwd(y, z, 1, z.length, training ? EPSILON : 0.0);
            return y;
        }

        @Override
        public double[] backward(double[] z, double[] y, double[] g) {
            double[] dz = new double[y.length];
            RefRows.softmaxBwd(dz, g, y, 1, y.length);
            return dz;
        }
    }

    /**
     * MultiMax: softmax(σ(z)) with the modulator σ of MULTIMAX.md §1 and its {@code ranges} r and
     * {@code ts} t (4 each, copied).
     */
    record MultiMax(double[] ranges, double[] ts) implements RowActivation {
        public MultiMax {
            if (ranges.length != 4 || ts.length != 4) throw new IllegalArgumentException("ranges and ts need 4 values each");
            ranges = ranges.clone();
            ts = ts.clone();
        }

        @Override
        public String id() {
            return "multimax";
        }

        @Override
        public String label() {
            return "multimax";
        }

        @Override
        public double[] ranges() {
            return ranges.clone();
        }

        @Override
        public double[] ts() {
            return ts.clone();
        }

        @Override
        public double[] forward(double[] z) {
            double[] y = new double[z.length];
            RefMultiMax.multimaxFwd(y, z, params(), 1, z.length);
            return y;
        }

        /** ∂L/∂z = u ⊙ σ'(z) with u = y ⊙ (g − ⟨y, g⟩). */
        @Override
        public double[] backward(double[] z, double[] y, double[] g) {
            double[] dz = new double[z.length];
            RefMultiMax.multimaxBwd(dz, new double[8], g, y, z, params(), 1, z.length);
            return dz;
        }

        /** ∂L/∂(ranges, ts) of this one row: 8 values, r0..r3 then t0..t3 (MULTIMAX.md §3). */
        public double[] parameterBackward(double[] z, double[] y, double[] g) {
            double[] dparams = new double[8];
            RefMultiMax.multimaxBwd(new double[z.length], dparams, g, y, z, params(), 1, z.length);
            return dparams;
        }

        /** (ranges, ts) as the 8 params of {@link RefMultiMax}. */
        public double[] params() {
            double[] p = new double[8];
            System.arraycopy(ranges, 0, p, 0, 4);
            System.arraycopy(ts, 0, p, 4, 4);
            return p;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MultiMax m && java.util.Arrays.equals(ranges, m.ranges)
                    && java.util.Arrays.equals(ts, m.ts);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(ranges) + java.util.Arrays.hashCode(ts);
        }

        @Override
        public String toString() {
            return "MultiMax[ranges=" + java.util.Arrays.toString(ranges) + ", ts=" + java.util.Arrays.toString(ts) + "]";
        }
    }
}
