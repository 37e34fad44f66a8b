package dev.multimax.train;

/**
 * Linear warm-up from 0 over {@code warmup} steps, then cosine from {@code peak} to {@code min} at
 * {@code total}. StrictMath: Math.cos may round differently once JIT-compiled, and a resumed run must
 * see the very same learning rates as an uninterrupted one.
 */
public record LrSchedule(double peak, double min, int warmup, int total) {
    public LrSchedule {
        if (!(peak > 0) || min < 0 || warmup < 0 || total < 1) {
            throw new IllegalArgumentException("bad schedule " + peak + "/" + min + "/" + warmup + "/" + total);
        }
    }

    /** Learning rate of step t (1-based). */
    public double at(int t) {
        if (t <= warmup) return peak * t / warmup;
        if (total <= warmup) return peak;
        double progress = Math.min(1.0, (t - warmup) / (double) (total - warmup));
        return min + 0.5 * (peak - min) * (1 + StrictMath.cos(Math.PI * progress));
    }
}
