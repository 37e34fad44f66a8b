package dev.multimax.device.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelException;
import dev.multimax.device.TestDevices;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Device faults surface as {@link KernelException} naming the device, what failed and the OpenCL
 * error: an array over CL_DEVICE_MAX_MEM_ALLOC_SIZE (caught before the driver is asked), and the
 * driver's own answer to a buffer that size.
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
    void theDriversOwnAllocationFailureIsNamed(String id) {
        OpenClDevice dev = (OpenClDevice) TestDevices.get(id);
        long max = OpenClPlatforms.find(id).maxAllocBytes();
        KernelException e = catchThrowableOfType(() -> dev.createBuffer(max + 4096), KernelException.class);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(id).containsPattern("CL_[A-Z_]+");
    }
}
