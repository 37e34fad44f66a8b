package dev.multimax.train;

import java.util.List;
import java.util.Locale;

/**
 * Reads the step graph's non-finite status after each step (see {@code VitStep.status()}): in
 * {@link Mode#STOP} a set flag ends training with a {@link DivergedException} naming the step
 * and the first non-finite tensor; in {@link Mode#SKIP} the batch counts as skipped (AdamW already
 * left the weights and moments as they were) and training goes on.

 */
public final class NonFiniteGuard {
    /** What to do when the loss or a gradient is not finite. */
    public enum Mode {
        STOP, SKIP;

        /** {@code stop} or {@code skip}, as given to {@code --on-nonfinite}. */
        public static Mode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "stop" -> STOP;
                case "skip" -> SKIP;
                default -> throw new IllegalArgumentException("non-finite mode must be stop or skip, got '" + s + "'");
            };
        }
    }

    private final Mode mode;
    private final List<String> tensors;
    private int skipped;

    /** {@code tensors}: the names of the check's tensors in its order ({@code VitStep.checkedTensors()}). */
    public NonFiniteGuard(Mode mode, List<String> tensors) {
        this.mode = mode;
        this.tensors = List.copyOf(tensors);
    }

    public Mode mode() {
        return mode;
    }

    /** Continues a resumed run that had skipped {@code before} batches. */
    public void resume(int before) {
        skipped = before;
    }

    /** Batches skipped so far (all epochs). */
    public int skipped() {
        return skipped;
    }

    /**
     * Inspects {@code status} = [flag, first] after step {@code step} of {@code epoch}: false when
     * all was finite; true when the batch was skipped (SKIP); throws {@link DivergedException} in
     * STOP mode.
     */
    public boolean afterStep(float[] status, int epoch, int step, double lr) {
        if (status[0] == 0f) return false;
        if (mode == Mode.SKIP) {
            skipped++;
            return true;
        }
        throw new DivergedException("training stopped: non-finite " + describe(status[1]) + " at epoch " + epoch + ", step "
                + step + " (lr " + lr + "); the update was not applied and nothing was written after it");
    }

    /** "loss", "&lt;tensor&gt; gradient", or "value (unknown tensor)" for the status's first item. */
    public String describe(float first) {
        if (first == 0f) return "loss";
        if (first >= 1 && first <= tensors.size() && first == Math.rint(first)) {
            return tensors.get((int) first - 1) + " gradient";
        }
        return "value (unknown tensor)";
    }
}
