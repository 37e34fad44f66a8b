package dev.multimax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.TestDevices;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device failure through the CLI: a batch whose MLP activations need more than the OpenCL
 * device's CL_DEVICE_MAX_MEM_ALLOC_SIZE fails at the plan's first execution (every buffer is
 * allocated before any kernel runs) with exit code 4, one line, no stack trace, no output file.
 */
class DeviceFaultCliTest {
    @Test
    void hugeBatchOnOpenClIsADeviceErrorWithExitCode4(@TempDir Path dir) {
        String id = TestDevices.requireOpenCl();
        long max = dev.multimax.device.opencl.OpenClPlatforms.find(id).maxAllocBytes();
        // mnist-vit: fc1's output is B·49·384 floats
        long batch = max / (49L * 384 * Float.BYTES) + 1;
        Assumptions.assumeTrue(batch * 49 * 384 <= Integer.MAX_VALUE, "max alloc too large for one array");
        Path json = dir.resolve("p.json");
        CliTest.Run r = CliTest.cli("profile", "--device", id, "--batch", String.valueOf(batch), "--steps", "1",
                "--warmup", "0", "--json", json.toString());
        assertThat(r.code()).as(r.out()).isEqualTo(4);
        assertThat(r.out().lines().filter(l -> l.startsWith("device error:")).toList()).singleElement().asString()
                .contains(id).containsPattern("CL_[A-Z_]+");
        assertThat(r.out()).doesNotContain("at dev.multimax").doesNotContain("Exception");
        assertThat(json).doesNotExist();
    }
}
