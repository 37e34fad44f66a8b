package dev.multimax.device.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.device.DeviceInfo;
import dev.multimax.util.BadInput;
import org.junit.jupiter.api.Test;

/** The tuning table follows the device type unless -Dmultimax.opencl.tuning forces one. */
class TuningTest {
    private static DeviceInfo info(String type) {
        return new DeviceInfo("opencl:9:9", "OPENCL", "test", "test", type, 2, 1L << 30, 1 << 16, 256, "1.2", true, false, "");
    }

    @Test
    void byDeviceTypeAndForcedByProperty() {
        assertThat(Tuning.of(info("CPU")).matmul().name()).isEqualTo("reg");
        assertThat(Tuning.of(info("GPU")).matmul().name()).isEqualTo("local");
        String old = System.getProperty(Tuning.PROPERTY);
        try {
            System.setProperty(Tuning.PROPERTY, "gpu");
            assertThat(Tuning.of(info("CPU"))).isSameAs(Tuning.GPU);
            System.setProperty(Tuning.PROPERTY, "cpu");
            assertThat(Tuning.of(info("GPU"))).isSameAs(Tuning.CPU);
            System.setProperty(Tuning.PROPERTY, "fpga");
            assertThatThrownBy(() -> Tuning.of(info("CPU"))).isInstanceOf(BadInput.class)
                    .hasMessageContaining("expected cpu, gpu or accel");
        } finally {
            if (old == null) System.clearProperty(Tuning.PROPERTY);
            else System.setProperty(Tuning.PROPERTY, old);
        }
    }

    @Test
    void rowsMatchTypeThenVendorAndRoundTripThroughTheBuilder() {
        Tuning.Row nvidia = new Tuning.Row("GPU", "NVIDIA", Tuning.GPU.with("gpu", 128, false));
        DeviceInfo h200 = new DeviceInfo("opencl:0:0", "OPENCL", "NVIDIA CUDA", "NVIDIA H200", "GPU", 132, 1L << 40,
                1 << 16, 1024, "1.2", true, true, "NVIDIA Corporation");
        assertThat(nvidia.matches(h200)).isTrue();
        assertThat(nvidia.matches(info("GPU"))).isFalse();
        assertThat(new Tuning.Row("CPU", "", Tuning.CPU).matches(h200)).isFalse();
        for (Tuning.Row r : Tuning.TABLE) {
            assertThat(r.tuning().toBuilder().build()).isEqualTo(r.tuning());
            assertThat(Tuning.of(info(r.type()))).isSameAs(r.tuning());
        }
        assertThat(Tuning.CPU.withGpuKernels(16)).extracting(Tuning::rowGroup, Tuning::attnVector, Tuning::elementVector,
                Tuning::matmul).containsExactly(16, 1, 1, Tuning.CPU.matmul());
    }
}
