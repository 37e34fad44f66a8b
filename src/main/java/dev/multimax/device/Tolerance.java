package dev.multimax.device;

/**
 * How far a device's fp32 output may be from {@code ref:0}'s float64 result, and why. An element
 * passes when {@code |got − ref| ≤ abs·peak + rel·|ref|}, where peak is the largest |ref| of that
 * output: the absolute part scales with the output, so a cancellation (a gradient that sums terms
 * of both signs to nearly 0) is judged against the size of what was summed, not of the result. A
 * NaN or an element the kernel did not write (outputs are poisoned with NaN) never passes.
 */
public record Tolerance(double abs, double rel, String why) {
    public Tolerance {
        if (!(abs >= 0) || !(rel >= 0)) throw new IllegalArgumentException("tolerances must be >= 0");
    }

    /** Copies and integer results: no error allowed. */
    public static final Tolerance EXACT = new Tolerance(0, 0, "copies and integers: exact");

    public boolean passes(double got, double ref, double peak) {
        return Math.abs(got - ref) <= abs * peak + rel * Math.abs(ref);
    }
}
