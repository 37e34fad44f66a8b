package dev.multimax.device.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.TestDevices;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Under {@code CI=true} (.ci/run installs PoCL) the kernel tests must run on at least one OpenCL
 * device: finding none fails here instead of silently testing only java:0. Elsewhere it is skipped
 * with the reason.
 */
class OpenClPresenceTest {
    @Test
    void ciRunsTheKernelTestsOnOpenCl() {
        String missing = TestDevices.openClMissing();
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(missing == null, "no OpenCL device: " + missing);
        }
        assertThat(missing).as("CI=true needs an OpenCL device (install pocl-opencl-icd ocl-icd-libopencl1)").isNull();
        assertThat(TestDevices.openClIds()).isNotEmpty();
    }
}
