package dev.multimax.science;

/**
 * The paper's measures of sparsity and multi-modality (Definitions 3.2 and 3.3 as MULTIMAX.md §7
 * restates them) for an input row x and its output distribution φ = φ(x).
 */
public final class Measures {
    private Measures() {
    }

    /**
     * S(x) = (1/L)·Σ_l exp(−φ_l / s) over the L entries with x_l < ε; s is a reference probability
     * (e.g. the smallest probability softmax at T = 1 gives). In (0, 1]; 1 when every irrelevant
     * entry gets exactly 0. NaN when no entry is below ε (the measure is undefined there).
     */
    public static double sparsity(double[] x, double[] phi, double eps, double s) {
        if (!(s > 0)) throw new IllegalArgumentException("reference probability s must be > 0: " + s);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] < eps) {
                sum += Math.exp(-phi[i] / s);
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * M(x) = 1 − (1/N)·Σ_n (φ_max − φ_n) over the N entries with ε < x_n < max(x); φ_max is the
     * largest entry of φ. Close to 1 when the other relevant entries keep about the top one's
     * probability. NaN when no entry qualifies (fewer than two relevant entries).
     */
    public static double multiModality(double[] x, double[] phi, double eps) {
        double xMax = Rows.max(x);
        double phiMax = Rows.max(phi);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > eps && x[i] < xMax) {
                sum += phiMax - phi[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : 1 - sum / count;
    }
}
