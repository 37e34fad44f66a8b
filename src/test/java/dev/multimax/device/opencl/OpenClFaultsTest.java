package dev.multimax.device.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelHarness;
import dev.multimax.device.KernelException;
import dev.multimax.device.Op;
import dev.multimax.device.TestDevices;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Device faults surface as {@link KernelException} naming the device, what failed and the OpenCL
 * error: an array over CL_DEVICE_MAX_MEM_ALLOC_SIZE (caught before the driver is asked), and the
 * driver's own answer to a buffer that size. And what a kernel cannot throw: a batch with invalid
 * labels or valid rows (java:0 and ref:0 throw) marks its loss NaN, which the trainer's non-finite
 * check then stops on.
 */
class OpenClFaultsTest {
    /** Every test here needs an OpenCL device: without one the class fails under CI=true and is skipped elsewhere. */
    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }

    static List<String> ids() {
        return TestDevices.openClIds();
    }

    @ParameterizedTest
    @MethodSource("ids")
    void anArrayOverTheAllocationLimitIsAKernelExceptionNamingDeviceArrayAndError(String id) {
        OpenClDevice dev = (OpenClDevice) TestDevices.get(id);
        long max = OpenClPlatforms.find(id).maxAllocBytes();
        long elements = max / Float.BYTES + 1;
        org.junit.jupiter.api.Assumptions.assumeTrue(elements <= Integer.MAX_VALUE,
                "max alloc " + max + " bytes: no FloatArray can exceed it");
        FloatArray huge = new FloatArray("huge", (int) elements); // the host copy is never allocated
        KernelException e = catchThrowableOfType(() -> dev.allocate(huge), KernelException.class);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(id).contains("huge").contains("CL_INVALID_BUFFER_SIZE")
                .contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE").doesNotContain("\n");
        assertThat(dev.isAllocated(huge)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("ids")
    void crossEntropyMarksInvalidBatchesWithNaN(String id) {
        int b = 4;
        int k = 3;
        for (int[] bad : new int[][] {{b + 1, 0}, {-1, 0}, {b, k}, {2, -1}}) {
            IntArray labels = new IntArray("labels", b);
            labels.host()[1] = bad[1];
            FloatArray metrics = KernelHarness.poisoned("metrics", 2);
            FloatArray dl = KernelHarness.poisoned("dLogits", b * k);
            KernelHarness.run(TestDevices.get(id), Op.CROSS_ENTROPY, new int[] {b, k}, new float[0], dl, metrics,
                    new FloatArray("logits", b * k), labels, new FloatArray("valid", new float[] {bad[0]}));
            assertThat(metrics.host()[0]).as("Σ loss with valid " + bad[0] + ", label " + bad[1]).isNaN();
            assertThat(metrics.host()[1]).as("#correct is still written").isNotNaN();
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void theDriversOwnAllocationFailureIsNamed(String id) {
        OpenClDevice dev = (OpenClDevice) TestDevices.get(id);
        long max = OpenClPlatforms.find(id).maxAllocBytes();
        KernelException e = catchThrowableOfType(() -> dev.createBuffer(max + 4096), KernelException.class);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(id).containsPattern("CL_[A-Z_]+");
    }
}
