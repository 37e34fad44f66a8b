package dev.multimax.device;

import static dev.multimax.device.KernelHarness.assertClose;
import static dev.multimax.device.KernelHarness.freshSeed;
import static dev.multimax.device.KernelHarness.poisoned;
import static dev.multimax.device.KernelHarness.random;
import static dev.multimax.device.KernelHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cross-entropy (with padding rows), the non-finite check and AdamW against float64 formulas. */
class LossAndOptimizerOpsTest {

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void crossEntropyCountsOnlyValidRows(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("cross-entropy"));
        int b = 7;
        int k = 11;
        int valid = 5;
        FloatArray logits = random("logits", b * k, rng, 4);
        IntArray labels = new IntArray("labels", b);
        for (int i = 0; i < b; i++) labels.host()[i] = rng.nextInt(k);
        FloatArray dlogits = poisoned("dlogits", b * k);
        FloatArray metrics = poisoned("metrics", 2);
        FloatArray v = new FloatArray("valid", new float[] {valid});
        run(dev, Op.CROSS_ENTROPY, new int[] {b, k}, new float[0], dlogits, metrics, logits, labels, v);
        double loss = 0;
        int correct = 0;
        double[] grad = new double[b * k];
        for (int r = 0; r < valid; r++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                if (logits.host()[r * k + j] > max) {
                    max = logits.host()[r * k + j];
                    arg = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(logits.host()[r * k + j] - max);
            loss += max + Math.log(sum) - logits.host()[r * k + labels.host()[r]];
            if (arg == labels.host()[r]) correct++;
            for (int j = 0; j < k; j++) {
                grad[r * k + j] = (Math.exp(logits.host()[r * k + j] - max) / sum - (j == labels.host()[r] ? 1 : 0)) / valid;
            }
        }
        assertThat((double) metrics.host()[0]).isCloseTo(loss, Offset.offset(1e-5 * valid));
        assertThat(metrics.host()[1]).isEqualTo((float) correct);
        assertClose("cross_entropy dlogits (padding rows 0)", dlogits.host(), grad, 1e-7, 1e-5);
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void adamwMatchesPyTorchsUpdate(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("adamw"));
        int n = 20_003;
        int nDecay = 12_345;
        float lr = 3e-3f;
        int t = 7;
        float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.05f;
        FloatArray p = random("p", n, rng, 1);
        FloatArray g = random("g", n, rng, 0.1);
        FloatArray m = random("m", n, rng, 0.01);
        FloatArray v = new FloatArray("v", n);
        for (int i = 0; i < n; i++) v.host()[i] = (float) (rng.nextDouble() * 1e-4);
        double[] p0 = KernelHarness.toDouble(p);
        double[] m0 = KernelHarness.toDouble(m);
        double[] v0 = KernelHarness.toDouble(v);
        FloatArray schedule = new FloatArray("schedule", new float[] {lr, t});
        FloatArray status = new FloatArray("status", new float[] {0, -1});
        run(dev, Op.ADAMW, new int[] {n, nDecay}, new float[] {b1, b2, eps, wd}, p, g, m, v, schedule, status);
        double[] wantP = new double[n];
        double[] wantM = new double[n];
        double[] wantV = new double[n];
        for (int i = 0; i < n; i++) {
            double gi = g.host()[i];
            wantM[i] = b1 * m0[i] + (1 - b1) * gi;
            wantV[i] = b2 * v0[i] + (1 - b2) * gi * gi;
            double pi = i < nDecay ? p0[i] * (1 - lr * wd) : p0[i];
            double mHat = wantM[i] / (1 - Math.pow(b1, t));
            double vHat = wantV[i] / (1 - Math.pow(b2, t));
            wantP[i] = pi - lr * mHat / (Math.sqrt(vHat) + eps);
        }
        assertClose("adamw m", m.host(), wantM, 1e-9, 1e-5);
        assertClose("adamw v", v.host(), wantV, 1e-12, 1e-5);
        assertClose("adamw params", p.host(), wantP, 1e-6, 1e-5);
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void adamwSkipsTheUpdateWhenTheStatusFlagIsSet(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("adamw-skip"));
        int n = 1_001;
        FloatArray p = random("p", n, rng, 1);
        FloatArray g = random("g", n, rng, 0.1);
        g.host()[n - 1] = Float.NaN;
        FloatArray m = random("m", n, rng, 0.01);
        FloatArray v = new FloatArray("v", n);
        for (int i = 0; i < n; i++) v.host()[i] = (float) (rng.nextDouble() * 1e-4);
        float[] p0 = p.host().clone();
        float[] m0 = m.host().clone();
        float[] v0 = v.host().clone();
        FloatArray schedule = new FloatArray("schedule", new float[] {1e-3f, 3});
        FloatArray status = new FloatArray("status", new float[] {1, 2});
        run(dev, Op.ADAMW, new int[] {n, 500}, new float[] {0.9f, 0.999f, 1e-8f, 0.05f}, p, g, m, v, schedule, status);
        assertThat(p.host()).as("params").containsExactly(p0);
        assertThat(m.host()).as("m").containsExactly(m0);
        assertThat(v.host()).as("v").containsExactly(v0);
    }

    /**
     * Random tensor sizes (some empty, some spanning several of the kernels' chunks), the grads in a
     * larger array past the last range; NaN, +Inf or −Inf at random positions (always including
     * the last element of some tensor) and in the loss; status poisoned first.
     */
    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void nonfiniteCheckFindsTheFirstBadTensor(String id) {
        Device dev = TestDevices.get(id);
        Random rng = new Random(freshSeed("nonfinite-check"));
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int trial = 0; trial < 12; trial++) {
            int tensors = 1 + rng.nextInt(9);
            int[] ranges = new int[tensors + 1];
            ranges[0] = trial % 3 == 0 ? 0 : rng.nextInt(50);
            for (int k = 0; k < tensors; k++) {
                int size = rng.nextInt(5) == 0 ? 0 : rng.nextInt(4) == 0 ? 20_000 + rng.nextInt(30_000) : 1 + rng.nextInt(700);
                ranges[k + 1] = ranges[k] + size;
            }
            int n = ranges[tensors] + rng.nextInt(3) * 17;
            FloatArray grads = random("grads", n, rng, 1);
            // outside the ranges: never reported
            for (int i = 0; i < ranges[0]; i++) grads.host()[i] = Float.NaN;
            for (int i = ranges[tensors]; i < n; i++) grads.host()[i] = Float.POSITIVE_INFINITY;
            int injections = trial % 4 == 0 ? 0 : 1 + rng.nextInt(3);
            for (int j = 0; j < injections && ranges[tensors] > ranges[0]; j++) {
                int pos = j == 0 ? ranges[tensors] - 1 : ranges[0] + rng.nextInt(ranges[tensors] - ranges[0]);
                grads.host()[pos] = bad[rng.nextInt(bad.length)];
            }
            float lossValue = trial % 5 == 1 ? bad[rng.nextInt(bad.length)] : (float) rng.nextDouble() * 30;
            FloatArray loss = new FloatArray("loss", new float[] {lossValue});
            IntArray r = new IntArray("ranges", tensors + 1);
            System.arraycopy(ranges, 0, r.host(), 0, ranges.length);
            FloatArray status = poisoned("status", 2);
            run(dev, Op.NONFINITE_CHECK, new int[] {tensors, n}, new float[0], status, loss, grads, r);
            double[] want = Reference.nonfiniteCheck(lossValue, grads.host(), ranges);
            assertThat(status.host()).as("trial %d, ranges %s, loss %s", trial, java.util.Arrays.toString(ranges), lossValue)
                    .containsExactly((float) want[0], (float) want[1]);
        }
    }
}
