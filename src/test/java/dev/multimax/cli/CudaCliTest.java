package dev.multimax.cli;

import static dev.multimax.cli.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.cli.CliTest.Run;
import dev.multimax.device.cuda.CudaDevices;
import org.junit.jupiter.api.Test;

/**
 * cuda:N from the command line: {@code devices} lists each CUDA GPU or says in one line why there
 * is none; an explicit {@code --device cuda:N} that cannot run (no driver, no such GPU) is a device
 * error (exit 4, one line) found while the options are checked, never a fallback.
 */
class CudaCliTest {
    @Test
    void devicesListsCudaOrSaysWhyNot() {
        Run r = cli("devices");
        assertThat(r.code()).isZero();
        if (CudaDevices.devices().isEmpty()) {
            assertThat(r.stdout()).contains("cuda: " + CudaDevices.reason());
        } else {
            assertThat(r.stdout()).containsPattern("cuda:\\d+  GPU");
        }
    }

    @Test
    void anExplicitCudaDeviceThatCannotRunIsExitCode4InOneLine() {
        org.junit.jupiter.api.Assumptions.assumeTrue(CudaDevices.devices().size() < 8, "eight CUDA GPUs: cuda:7 exists");
        Run train = cli("train", "--device", "cuda:7", "--limit-train", "64", "--val", "0");
        assertThat(train.code()).as(train.out()).isEqualTo(4);
        assertThat(train.out()).contains("device error: cuda:7").doesNotContain("MNIST").doesNotContain("data:");
        if (!CudaDevices.devices().isEmpty()) return; // with a driver, cuda:0 runs: the rest is for machines without
        Run r = cli("bench", "--device", "cuda:0", "--repeats", "1");
        assertThat(r.code()).as(r.out()).isEqualTo(4);
        assertThat(r.out()).contains("device error: cuda:0").doesNotContain("at jcuda").doesNotContain("\tat ");
        assertThat(r.out()).contains("libcuda.so.1");
    }
}
