package dev.multimax.data;

/** Pixel mean and standard deviation in [0, 1] scale, used to normalize inputs. */
public record MeanStd(double mean, double std) {
    /** The customary MNIST training-set constants, used so results match published recipes. */
    public static final MeanStd MNIST = new MeanStd(0.1307, 0.3081);

    /** A std of (nearly) zero would blow normalized values up; a constant image set gets std 1. */
    public MeanStd safe() {
        return std > 1e-8 ? this : new MeanStd(mean, 1.0);
    }
}
