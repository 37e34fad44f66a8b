package dev.multimax.train;

/**
 * Training stopped because the loss or a gradient was not finite ({@link NonFiniteGuard} in its
 * stop mode, or a whole epoch of skipped batches). The message names the step and the tensor;
 * nothing was written after it.
 */
public final class DivergedException extends RuntimeException {
    public DivergedException(String message) {
        super(message);
    }
}
