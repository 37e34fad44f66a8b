package dev.multimax.device;

/**
 * How far a device's fp32 output may be from {@code ref:0}'s float64 result, and why. An element
 * passes when {@code |got − ref| ≤ abs·max(peak, floor) + rel·|ref|}, where peak is the largest
 * |ref| of that output: the absolute part scales with the output, so a cancellation (a gradient that
 * sums terms of both signs to nearly 0) is judged against the size of what was summed, not of the
 * result. {@code floor} is for outputs whose terms have a known size however small the result: σ
 * adds terms of the size of its input, 1 in the checks. A NaN or an element the kernel did not write
 * (outputs are poisoned with NaN) never passes.
 */
public record Tolerance(double abs, double rel, double floor, String why, java.util.Map<String, Tolerance> byBuffer) {
    public Tolerance {
        if (!(abs >= 0) || !(rel >= 0) || !(floor >= 0)) throw new IllegalArgumentException("tolerances must be >= 0");
        byBuffer = java.util.Map.copyOf(byBuffer);
    }

    public Tolerance(double abs, double rel, double floor, String why) {
        this(abs, rel, floor, why, java.util.Map.of());
    }

    public Tolerance(double abs, double rel, String why) {
        this(abs, rel, 0, why);
    }

    /** This tolerance, with {@code other} for output {@code buffer} (an output whose error has another cause). */
    public Tolerance and(String buffer, Tolerance other) {
        java.util.Map<String, Tolerance> m = new java.util.HashMap<>(byBuffer);
        m.put(buffer, other);
        return new Tolerance(abs, rel, floor, why, m);
    }

    /** The tolerance of output {@code buffer}. */
    public Tolerance of(String buffer) {
        return byBuffer.getOrDefault(buffer, this);
    }

    /** Copies and integer results: no error allowed. */
    public static final Tolerance EXACT = new Tolerance(0, 0, "copies and integers: exact");

    /** The error allowed at {@code ref} in an output whose largest |ref| is {@code peak}. */
    public double allowed(double ref, double peak) {
        return abs * Math.max(peak, floor) + rel * Math.abs(ref);
    }

    public boolean passes(double got, double ref, double peak) {
        return Math.abs(got - ref) <= allowed(ref, peak);
    }
}
