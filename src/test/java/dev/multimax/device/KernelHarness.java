package dev.multimax.device;

import static org.junit.jupiter.api.Assertions.fail;

import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.TaskGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Runs one op on a device through a one-task graph: every array is copied in (outputs are
 * poisoned with NaN first, by {@link #poisoned}), the kernel runs, every array is copied back.
 */
public final class KernelHarness {
    private KernelHarness() {
    }

    public static void run(Device device, Op op, int[] ints, float[] floats, DeviceArray... arrays) {
        List<Slice> slices = new ArrayList<>();
        for (DeviceArray a : arrays) slices.add(a.all());
        TaskGraph g = new TaskGraph("test")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, arrays)
                .task(op.kernelName(), new KernelCall(op, slices, ints, floats))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, arrays);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device)) {
            plan.execute();
        }
    }

    public static FloatArray poisoned(String name, int n) {
        FloatArray a = new FloatArray(name, n);
        Arrays.fill(a.host(), Float.NaN);
        return a;
    }

    /** Uniform in [-scale, scale): never all zeros, never round values. */
    public static FloatArray random(String name, int n, Random rng, double scale) {
        FloatArray a = new FloatArray(name, n);
        for (int i = 0; i < n; i++) a.host()[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        return a;
    }

    public static double[] toDouble(FloatArray a) {
        double[] d = new double[a.length()];
        for (int i = 0; i < d.length; i++) d[i] = a.host()[i];
        return d;
    }

    /**
     * Checks |actual − expected| ≤ atol + rtol·|expected| element-wise (NaN fails: an element the
     * kernel did not write keeps its poison). Prints the first mismatches and the worst one.
     */
    public static void assertClose(String what, float[] actual, double[] expected, double atol, double rtol) {
        assertClose(what, actual, expected, i -> atol, rtol);
    }

    /** Like {@link #assertClose(String, float[], double[], double, double)}, with an absolute tolerance per element. */
    public static void assertClose(String what, float[] actual, double[] expected,
                                   java.util.function.IntToDoubleFunction atolAt, double rtol) {
        if (actual.length != expected.length) fail(what + ": length " + actual.length + " != " + expected.length);
        StringBuilder first = new StringBuilder();
        int bad = 0;
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            double allowed = atolAt.applyAsDouble(i) + rtol * Math.abs(expected[i]);
            double ratio = Float.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : d / allowed;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
            if (!(d <= allowed)) {
                if (bad < 5) first.append(String.format("%n  [%d] got %s expected %s", i, actual[i], expected[i]));
                bad++;
            }
        }
        if (bad > 0) {
            fail(String.format("%s: %d of %d elements off (atol %.1e at the worst, rtol %.1e)%s%n  worst [%d] got %s expected %s",
                    what, bad, actual.length, atolAt.applyAsDouble(worst), rtol, first, worst, actual[worst], expected[worst]));
        }
    }

    /** Fresh seed per run, printed so a failure can be replayed. */
    public static long freshSeed(String test) {
        long seed = System.nanoTime() ^ test.hashCode();
        System.out.println(test + " seed " + seed);
        return seed;
    }
}
