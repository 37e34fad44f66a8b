package dev.multimax.device.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.device.TestDevices;
import dev.multimax.device.kernels.KernelBuild;
import dev.multimax.device.kernels.KernelBuildList;
import dev.multimax.device.kernels.PrebuiltKernels;
import org.junit.jupiter.api.Test;

/**
 * The clCreateProgramWithIL path through LWJGL: a handle made outside JOCL is adopted intact, and the
 * call itself reaches the driver with a real module. PoCL 3.1 reports no IL and refuses the call
 * (CL_INVALID_VALUE, -30, as measured), so here it is the refusal that comes back, as one message;
 * on a driver that reports SPIR-V, {@code opencl:P:D/spirv} takes this path instead of SPIR bitcode.
 */
class SpirvIlTest {
    @Test
    void aForeignHandleIsAdoptedIntact() {
        assertThat(SpirvIl.wrap(0x1234_5678_9abcL).getNativePointer()).isEqualTo(0x1234_5678_9abcL);
    }

    @Test
    void theCallReachesTheDriver() {
        String id = TestDevices.requireOpenCl();
        OpenClDevice dev = (OpenClDevice) TestDevices.get(id);
        KernelBuild b = KernelBuildList.withTarget(KernelBuildList.shipped(), KernelBuildList.SPIRV).get(0);
        byte[] module = PrebuiltKernels.file(b, PrebuiltKernels.SPIRV);
        System.out.println(id + " CL_DEVICE_IL_VERSION '" + dev.ilVersion() + "'");
        if (dev.ilVersion().contains("SPIR-V")) {
            assertThat(SpirvIl.create(dev.context().context(), module).getNativePointer()).isNotZero();
        } else {
            assertThatThrownBy(() -> SpirvIl.create(dev.context().context(), module))
                    .hasMessageStartingWith("clCreateProgramWithIL failed with CL_");
        }
    }
}
