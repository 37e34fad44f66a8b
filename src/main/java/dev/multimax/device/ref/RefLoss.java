package dev.multimax.device.ref;

/** ref:0's losses over the first valid[0] rows of a batch; later rows (padding) get zero gradient. */
public final class RefLoss {
    /** Probabilities below this count as this in the NLL loss (and their gradient is 0). */
    public static final double NLL_FLOOR = 1e-12f;

    private RefLoss() {
    }

    /** loss = logsumexp(logits) − logits[label]; dLogits = (softmax − onehot)/valid; metrics = [Σ loss, #argmax = label]. */
    public static void crossEntropy(double[] dlogits, double[] metrics, double[] logits, int[] labels, double[] valid,
                                    int b, int k) {
        int rows = validRows(valid[0], b);
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < b; r++) {
            int o = r * k;
            if (r >= rows) {
                for (int j = 0; j < k; j++) dlogits[o + j] = 0;
                continue;
            }
            int label = label(labels[r], k);
            int argmax = argmax(logits, o, k);
            double max = logits[o + argmax];
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(logits[o + j] - max);
            double lse = max + Math.log(sum);
            loss += lse - logits[o + label];
            if (argmax == label) correct++;
            for (int j = 0; j < k; j++) dlogits[o + j] = (Math.exp(logits[o + j] - lse) - (j == label ? 1 : 0)) / rows;
        }
        metrics[0] = loss;
        metrics[1] = correct;
    }

    /** loss = −log(max(P[label], floor)); dP = −1/(valid·P[label]) at the label above the floor, else 0. */
    public static void nllProbs(double[] dp, double[] metrics, double[] p, int[] labels, double[] valid, int b, int k) {
        int rows = validRows(valid[0], b);
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < b; r++) {
            int o = r * k;
            for (int j = 0; j < k; j++) dp[o + j] = 0;
            if (r >= rows) continue;
            int label = label(labels[r], k);
            double pl = p[o + label];
            loss += -Math.log(Math.max(pl, NLL_FLOOR));
            if (argmax(p, o, k) == label) correct++;
            if (pl > NLL_FLOOR) dp[o + label] = -1 / (rows * pl);
        }
        metrics[0] = loss;
        metrics[1] = correct;
    }

    private static int validRows(double valid, int b) {
        int rows = (int) valid;
        if (rows < 0 || rows > b) throw new IllegalStateException("valid rows " + rows + " outside [0, " + b + "]");
        return rows;
    }

    private static int label(int label, int k) {
        if (label < 0 || label >= k) throw new IllegalStateException("label " + label + " outside [0, " + k + ")");
        return label;
    }

    /** The first maximum (NaN never wins). */
    private static int argmax(double[] a, int o, int k) {
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (a[o + j] > max) {
                max = a[o + j];
                best = j;
            }
        }
        return best;
    }
}
