package dev.multimax.device.java;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The non-finite check after backward: is the loss or any gradient NaN or ±Inf, and which tensor
 * (in the order of the range table) holds the first such element. Chunks of the gradient are
 * scanned in parallel; each records its first bad element, and the smallest one wins, so the
 * result does not depend on the thread count or order.
 */
final class CheckKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHUNK = 16384;
    private static final int NONE = Integer.MAX_VALUE;

    private CheckKernels() {
    }

    /** status = [flag, first]: first 0 = the loss, k + 1 = tensor k, −1 = everything finite. */
    static void nonfiniteCheck(Parallel par, float[] status, int sOff, float[] loss, int lOff, float[] g, int gOff,
                               int[] ranges, int rOff, int tensors, int n) {
        for (int k = 0; k < tensors; k++) {
            if (ranges[rOff + k] < 0 || ranges[rOff + k] > ranges[rOff + k + 1]) {
                throw new IllegalStateException("nonfinite_check: ranges must be non-decreasing from 0, got "
                        + ranges[rOff + k] + " then " + ranges[rOff + k + 1] + " at " + k);
            }
        }
        int lo = ranges[rOff];
        int hi = ranges[rOff + tensors];
        if (hi > n) throw new IllegalStateException("nonfinite_check: ranges end at " + hi + ", grads hold " + n);
        if (!Float.isFinite(loss[lOff])) {
            status[sOff] = 1;
            status[sOff + 1] = 0;
            return;
        }
        int chunks = (hi - lo + CHUNK - 1) / CHUNK;
        int[] first = new int[chunks];
        Arrays.fill(first, NONE);
        par.forChunks(hi - lo, CHUNK, (i0, i1) -> first[i0 / CHUNK] = firstBad(g, gOff + lo + i0, i1 - i0, lo + i0));
        int bad = NONE;
        for (int f : first) {
            if (f != NONE) {
                bad = f;
                break;
            }
        }
        if (bad == NONE) {
            status[sOff] = 0;
            status[sOff + 1] = -1;
            return;
        }
        int k = 0;
        while (ranges[rOff + k + 1] <= bad) k++; // the tensor holding element bad (empty tensors skipped)
        status[sOff] = 1;
        status[sOff + 1] = k + 1;
    }

    /**
     * The index (counted from {@code base}) of the first non-finite of g[off, off + len), or NONE.
     * x·0 is 0 for finite x and NaN otherwise: the vector pass sums those, and only a chunk whose
     * sum is NaN is scanned again element by element.
     */
    private static int firstBad(float[] g, int off, int len, int base) {
        int bound = S.loopBound(len);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, g, off + i).mul(0f));
        }
        float tail = 0f;
        for (int i = bound; i < len; i++) tail += g[off + i] * 0f;
        if (!Float.isNaN(acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD) + tail)) return NONE;
        for (int i = 0; i < len; i++) {
            if (!Float.isFinite(g[off + i])) return base + i;
        }
        return NONE;
    }
}
