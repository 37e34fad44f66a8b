package dev.multimax.device;

import static dev.multimax.device.KernelHarness.assertClose;
import static dev.multimax.device.KernelHarness.freshSeed;
import static dev.multimax.device.KernelHarness.poisoned;
import static dev.multimax.device.KernelHarness.random;
import static dev.multimax.device.KernelHarness.run;
import static dev.multimax.device.KernelHarness.toDouble;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matmul op through each device (the Java kernel's own tests go deeper): all transposes,
 * overwrite and accumulate, shapes of 1 and non-multiples of tiles. Sums of K products of values
 * in [-1, 1]: |error| ≤ K·2⁻²³ relative to Σ|a·b| ≤ K, so atol 2e-6·K.
 */
class MatmulOpTest {

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void allTransposesAndAccumulate(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("matmul-op"));
        for (int[] s : new int[][] {{1, 1, 1}, {3, 35, 7}, {97, 33, 130}, {301, 49, 96}}) {
            int m = s[0], n = s[1], k = s[2];
            for (int ta = 0; ta < 2; ta++) {
                for (int tb = 0; tb < 2; tb++) {
                    FloatArray a = random("a", m * k, rng, 1);
                    FloatArray b = random("b", k * n, rng, 1);
                    double[] want = Reference.matmul(toDouble(a), toDouble(b), m, n, k, ta == 1, tb == 1);
                    FloatArray c = poisoned("c", m * n);
                    run(dev, Op.MATMUL, new int[] {m, n, k, ta, tb, 0}, new float[0], c, a, b);
                    String what = String.format("matmul %dx%dx%d transA=%d transB=%d", m, n, k, ta, tb);
                    assertClose(what, c.host(), want, 2e-6 * k, 1e-5);
                    double[] c0 = toDouble(c);
                    run(dev, Op.MATMUL, new int[] {m, n, k, ta, tb, 1}, new float[0], c, a, b);
                    for (int i = 0; i < want.length; i++) want[i] += c0[i];
                    assertClose(what + " accumulate", c.host(), want, 4e-6 * k, 1e-5);
                }
            }
        }
    }
}
