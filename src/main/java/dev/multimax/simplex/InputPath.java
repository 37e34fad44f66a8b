package dev.multimax.simplex;

import java.util.List;
import java.util.function.DoubleFunction;

/** A path v(t) ∈ R³, t ∈ [0, {@link #T_MAX}], of inputs to the activations. */
public record InputPath(String name, String formula, DoubleFunction<double[]> at) {
    public static final double T_MAX = 6.0;
    /** Samples per path: t = 0, 0.05, …, 6. */
    public static final int SAMPLES = 121;

    /**
     * The three paths of the figure:
     * <ul>
     * <li>{@code two-large} (t, 0.8t, −t): two large entries and a negative one, the paper's case.
     *     A good map keeps both large entries (ends on the e1–e2 edge, near its middle) and drops the
     *     negative one.</li>
     * <li>{@code swap} (3 − t, t − 3, 0): mass moves from entry 1 to entry 2 while entry 3 stays at 0;
     *     it crosses the centre of the simplex at t = 3.</li>
     * <li>{@code rise-3} (1, 0.5, t − 3): entry 3 rises from well below to well above the other two;
     *     from near the e1–e2 edge towards e3.</li>
     * </ul>
     */
    public static final List<InputPath> ALL = List.of(
            new InputPath("two-large", "(t, 0.8t, -t)", t -> new double[] {t, 0.8 * t, -t}),
            new InputPath("swap", "(3-t, t-3, 0)", t -> new double[] {3 - t, t - 3, 0}),
            new InputPath("rise-3", "(1, 0.5, t-3)", t -> new double[] {1, 0.5, t - 3}));

    public static double t(int sample) {
        return T_MAX * sample / (SAMPLES - 1);
    }
}
