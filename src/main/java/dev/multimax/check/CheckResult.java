package dev.multimax.check;

import dev.multimax.device.Op;
import dev.multimax.device.Tolerance;

/**
 * One row of a check: an op (or {@code step}) on a device in one variant and shape, against
 * {@code ref:0}. maxAbs and relL2 are the worst over the op's written buffers; detail names what
 * failed (a buffer and its worst element, a padding or input overwritten, or the device's error).
 */
public record CheckResult(String device, String op, String family, String variant, String shape, double maxAbs,
                          double relL2, String tolerance, boolean ok, String detail) {

    static CheckResult of(String device, Op op, String variant, String shape, double maxAbs, double relL2, boolean ok,
                          String detail) {
        Tolerance t = op.tolerance();
        String tol = t.abs() == 0 && t.rel() == 0 ? "exact" : "abs " + shortSci(t.abs()) + (t.floor() > 0 ? "·max(peak," + shortSci(t.floor()) + ")" : "·peak") + ", rel " + shortSci(t.rel());
        return new CheckResult(device, op.kernelName(), op.family(), variant, shape, maxAbs, relL2, tol, ok, detail);
    }

    /** 1e-05 → 1e-5, 2e-06 → 2e-6. */
    private static String shortSci(double v) {
        if (v >= 1 && v == Math.rint(v)) return Long.toString((long) v);
        return String.format(java.util.Locale.ROOT, "%.0e", v).replace("e-0", "e-");
    }
}
