package dev.multimax.device;

import static dev.multimax.device.KernelHarness.assertClose;
import static dev.multimax.device.KernelHarness.poisoned;
import static dev.multimax.device.KernelHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float64 test vectors of MULTIMAX.md §5 (PyTorch autograd on the reference expression),
 * through the device's kernels: MultiMax forward/backward for L = ⟨y, g⟩, and the classifier path
 * σ → cross-entropy → σ backward for target 4. fp32 kernels: rtol 1e-5, atol 1e-6.
 */
class MultiMaxVectorsTest {
    static final float[] X = {-2.0f, -0.5f, 0.0f, 0.3f, 1.0f, 2.5f};
    static final float[] PARAMS = {-0.4f, 0.8f, -1.0f, 1.5f, -0.6f, -0.25f, -0.1f, 0.05f};
    static final double[] Y = {0.003366781608828539, 0.04101579661656122, 0.07180522721435159,
        0.09692691838528861, 0.18566746959751798, 0.6012178065774519};
    static final float[] G = {0.3f, -1.0f, 0.5f, 0.2f, -0.4f, 1.1f};
    static final double[] DX = {-0.0018323328533248594, -0.10515497600211726, -0.007349612151099575,
        -0.038999014210015955, -0.13957851432681712, 0.254314164603647};
    static final double[] DPARAMS = {0.04004389361856893, 0.02827211226468261, 0.0002035925392583177,
        -0.029919313482781998, -0.008200926314198869, 0.47140739205347604, -0.0010179626962915885, 0.29919313482781995};
    static final double CE_LOSS = 1.6837980031496316;
    static final double[] CE_DX = {0.006060206895891372, 0.06562527458649794, 0.07180522721435158,
        0.09692691838528861, -0.6107493978018614, 0.5110351355908341};
    static final double[] CE_DPARAMS = {-0.02662954693523385, -0.05327868095625751, -0.000673356321765708,
        -0.0601217806577452, 0.009488430235781786, 0.8592037651011719, 0.0033667816088285398, 0.6012178065774519};


    static FloatArray of(String name, float[] v) {
        return new FloatArray(name, v.clone());
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void multimaxForwardAndBackward(String id) {
        Device dev = TestDevices.get(id);
        FloatArray x = of("x", X);
        FloatArray params = of("params", PARAMS);
        FloatArray p = poisoned("p", 6);
        run(dev, Op.MULTIMAX_FWD, new int[] {1, 6}, new float[0], p, x, params);
        assertClose("y", p.host(), Y, 1e-6, 1e-5);
        FloatArray ds = poisoned("ds", 6);
        FloatArray dprm = poisoned("dparams", 8);
        run(dev, Op.MULTIMAX_BWD, new int[] {1, 6}, new float[0], ds, dprm, of("g", G), p, x, params);
        assertClose("dL/dx", ds.host(), DX, 1e-6, 1e-5);
        assertClose("dL/d(ranges, ts)", dprm.host(), DPARAMS, 1e-6, 1e-5);
    }

    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void crossEntropyThroughTheModulatedHead(String id) {
        Device dev = TestDevices.get(id);
        FloatArray x = of("x", X);
        FloatArray params = of("params", PARAMS);
        FloatArray s = poisoned("sigma", 6);
        run(dev, Op.MODULATE_FWD, new int[] {6}, new float[0], s, x, params);
        FloatArray dlogits = poisoned("dlogits", 6);
        FloatArray metrics = poisoned("metrics", 2);
        IntArray labels = new IntArray("labels", 1);
        labels.host()[0] = 4;
        FloatArray valid = of("valid", new float[] {1});
        run(dev, Op.CROSS_ENTROPY, new int[] {1, 6}, new float[0], dlogits, metrics, s, labels, valid);
        assertThat((double) metrics.host()[0]).isCloseTo(CE_LOSS, Offset.offset(1e-5));
        assertThat(metrics.host()[1]).as("argmax of σ(x) is index 5, not the target 4").isEqualTo(0f);
        FloatArray dx = poisoned("dx", 6);
        FloatArray dprm = poisoned("dparams", 8);
        run(dev, Op.MODULATE_BWD, new int[] {6}, new float[0], dx, dprm, dlogits, x, params);
        assertClose("CE dL/dx", dx.host(), CE_DX, 1e-6, 1e-5);
        assertClose("CE dL/d(ranges, ts)", dprm.host(), CE_DPARAMS, 1e-6, 1e-5);
    }
}
