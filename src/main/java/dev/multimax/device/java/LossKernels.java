package dev.multimax.device.java;

import java.util.Arrays;

/** Softmax cross-entropy with its gradient, and the argmax accuracy count. */
final class LossKernels {
    private LossKernels() {
    }

    /**
     * Over the first {@code valid} rows of logits(B,K): metrics = [Σ loss, #correct] and
     * dlogits = (softmax − onehot)/valid; rows past {@code valid} (padding of a last, short
     * batch) get zero gradient. Sequential: B·K is tiny and the loss sum keeps a fixed order.
     */
    static void crossEntropy(float[] dlogits, int dOff, float[] metrics, int mOff, float[] logits, int lOff,
                             int[] labels, int labOff, float[] valid, int vOff, int b, int k) {
        int rows = validRows(valid[vOff], b);
        double lossSum = 0;
        int correct = 0;
        float scale = rows == 0 ? 0f : 1f / rows;
        for (int r = 0; r < b; r++) {
            int row = r * k;
            if (r >= rows) {
                Arrays.fill(dlogits, dOff + row, dOff + row + k, 0f);
                continue;
            }
            int label = label(labels, labOff + r, k);
            int argmax = argmax(logits, lOff + row, k);
            float max = logits[lOff + row + argmax];
            double sum = 0;
            for (int j = 0; j < k; j++) sum += StrictMath.exp(logits[lOff + row + j] - max);
            double lse = max + StrictMath.log(sum);
            lossSum += lse - logits[lOff + row + label];
            if (argmax == label) correct++;
            for (int j = 0; j < k; j++) {
                float prob = (float) StrictMath.exp(logits[lOff + row + j] - lse);
                dlogits[dOff + row + j] = (prob - (j == label ? 1f : 0f)) * scale;
            }
        }
        metrics[mOff] = (float) lossSum;
        metrics[mOff + 1] = correct;
    }

    /** Probabilities below this count as this in the loss (their gradient is 0). */
    static final float NLL_FLOOR = 1e-12f;

    /**
     * Over the first {@code valid} rows of probabilities p(B,K): loss −log(max(p[label], 1e-12)),
     * dp = −1/(valid·p[label]) at the label where p[label] > 1e-12 (else 0), 0 elsewhere and on
     * padding rows; metrics = [Σ loss, #rows whose argmax (first maximum) of p is the label].
     */
    static void nllProbs(float[] dp, int dOff, float[] metrics, int mOff, float[] p, int pOff,
                         int[] labels, int labOff, float[] valid, int vOff, int b, int k) {
        int rows = validRows(valid[vOff], b);
        double lossSum = 0;
        int correct = 0;
        float scale = rows == 0 ? 0f : 1f / rows;
        for (int r = 0; r < b; r++) {
            int row = r * k;
            Arrays.fill(dp, dOff + row, dOff + row + k, 0f);
            if (r >= rows) continue;
            int label = label(labels, labOff + r, k);
            int argmax = argmax(p, pOff + row, k);
            float pl = p[pOff + row + label];
            lossSum += -StrictMath.log(Math.max(pl, NLL_FLOOR));
            if (argmax == label) correct++;
            if (pl > NLL_FLOOR) dp[dOff + row + label] = -scale / pl;
        }
        metrics[mOff] = (float) lossSum;
        metrics[mOff + 1] = correct;
    }

    private static int validRows(float valid, int b) {
        int rows = (int) valid;
        if (rows < 0 || rows > b) throw new IllegalStateException("valid rows " + rows + " outside [0, " + b + "]");
        return rows;
    }

    private static int label(int[] labels, int at, int k) {
        int label = labels[at];
        if (label < 0 || label >= k) throw new IllegalStateException("label " + label + " outside [0, " + k + ")");
        return label;
    }

    /** Index of the first maximum of a[off, off + k) (NaN never wins, as before: v > max). */
    private static int argmax(float[] a, int off, int k) {
        float max = Float.NEGATIVE_INFINITY;
        int argmax = 0;
        for (int j = 0; j < k; j++) {
            if (a[off + j] > max) {
                max = a[off + j];
                argmax = j;
            }
        }
        return argmax;
    }
}
