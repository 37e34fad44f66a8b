package dev.multimax.device.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.device.DeviceInfo;
import dev.multimax.device.Devices;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelException;
import dev.multimax.device.KernelHarness;
import dev.multimax.device.Op;
import dev.multimax.device.TestDevices;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.GraphProfile;
import dev.multimax.graph.ProfilerMode;
import dev.multimax.graph.TaskGraph;
import dev.multimax.graph.TaskProfile;
import dev.multimax.util.BadInput;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The OpenCL device itself: enumeration, program cache, error messages, timing, and and that every op has a kernel. */
class OpenClDeviceTest {
    /** Every test here needs an OpenCL device: without one the class fails under CI=true and is skipped elsewhere. */
    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }


    static List<String> ids() {
        return TestDevices.openClIds();
    }

    private static OpenClDevice dev(String id) {
        return (OpenClDevice) TestDevices.get(id);
    }

    @Test
    void everyOpenClDeviceIsListedWithItsProperties() {
        List<DeviceInfo> cl = Devices.list().stream().filter(d -> d.backend().equals("OPENCL")).toList();
        TestDevices.requireOpenCl();
        assertThat(Devices.openClUnavailableReason()).isEmpty();
        for (DeviceInfo d : cl) {
            assertThat(d.id()).matches("opencl:\\d+:\\d+");
            assertThat(d.platform()).isNotBlank();
            assertThat(d.name()).isNotBlank();
            assertThat(d.type()).isIn("CPU", "GPU", "ACCELERATOR");
            assertThat(d.computeUnits()).isPositive();
            assertThat(d.globalMemoryBytes()).isPositive();
            assertThat(d.localMemoryBytes()).isPositive();
            assertThat(d.maxWorkGroupSize()).isPositive();
            assertThat(d.languageVersion()).startsWith("OpenCL C ");
        }
        assertThat(TestDevices.openClIds()).containsExactlyElementsOf(cl.stream().map(DeviceInfo::id).toList());
    }

    @Test
    void unknownIdsNameTheKnownDevices() {
        assertThatThrownBy(() -> Devices.open("opencl:9:9")).isInstanceOf(BadInput.class)
                .hasMessageContaining("unknown device 'opencl:9:9'").hasMessageContaining("java:0");
        for (String id : ids()) assertThatThrownBy(() -> Devices.open("opencl:9:9")).hasMessageContaining(id);
        assertThatThrownBy(() -> OpenClDevice.open("opencl:x")).isInstanceOf(BadInput.class)
                .hasMessageContaining("unknown OpenCL device 'opencl:x'");
    }

    @Test
    void autoSaysWhichDeviceAndWhy() {
        Devices.Choice c = Devices.open("auto");
        try {
            assertThat(c.reason()).startsWith("auto: ");
            if (ids().isEmpty()) {
                assertThat(c.device().id()).isEqualTo("java:0");
                assertThat(c.reason()).contains("no OpenCL device");
            } else {
                assertThat(c.device().id()).startsWith("opencl:");
            }
        } finally {
            c.device().close();
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void buildFailureNamesFileDeviceAndLog(String id) {
        ClContext ctx = dev(id).context();
        String broken = "__kernel void k(__global float* x) { x[0] = no_such_identifier_42; }";
        assertThatThrownBy(() -> ctx.program("tasks/broken.cl", broken, BindContext.BASE_OPTIONS))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("tasks/broken.cl").hasMessageContaining(id)
                .hasMessageContaining("CL_BUILD_PROGRAM_FAILURE").hasMessageContaining("no_such_identifier_42");
    }

    @ParameterizedTest
    @MethodSource("ids")
    void programsAreBuiltOncePerSourceAndOptions(String id) {
        ClContext ctx = dev(id).context();
        String src = "__kernel void k(__global float* x) { x[get_global_id(0)] = 1.0f; } // " + System.nanoTime();
        int builds = ctx.builds();
        int hits = ctx.hits();
        ClContext.Program first = ctx.program("tasks/t.cl", src, BindContext.BASE_OPTIONS);
        ClContext.Program again = ctx.program("tasks/t.cl", src, BindContext.BASE_OPTIONS);
        ClContext.Program other = ctx.program("tasks/t.cl", src, BindContext.BASE_OPTIONS + " -DX=1");
        assertThat(first.buildNanos()).isPositive();
        assertThat(again.handle()).isSameAs(first.handle());
        assertThat(again.buildNanos()).isZero();
        assertThat(other.handle()).isNotSameAs(first.handle());
        assertThat(ctx.builds() - builds).isEqualTo(2);
        assertThat(ctx.hits() - hits).isEqualTo(1);
    }

    /** Every op of the catalog has an OpenCL binder, so a whole training step runs on the device. */
    @Test
    void everyOpHasAnOpenClKernel() {
        assertThat(OpenClDevice.unimplementedOps()).isEmpty();
    }

    /** A profiled run reports start→end and queued→end per task, and the variant (2 passes for 600 rows). */
    @ParameterizedTest
    @MethodSource("ids")
    void profiledLaunchesReportBothTimesAndTheVariant(String id) {
        Random rng = new Random(KernelHarness.freshSeed("ocl-timing"));
        FloatArray db = KernelHarness.poisoned("db", 33);
        FloatArray dy = KernelHarness.random("dy", 600 * 33, rng, 1);
        TaskGraph g = new TaskGraph("t").transferToDevice(DataTransferMode.EVERY_EXECUTION, dy)
                .task("bias", new KernelCall(Op.BIAS_ADD_BWD, List.of(db.all(), dy.all()), new int[] {600, 33}, new float[0]))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, db);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev(id)).withProfiler(ProfilerMode.SILENT)) {
            GraphProfile p = plan.execute().profile().orElseThrow();
            TaskProfile t = p.tasks().get(0);
            assertThat(t.variant()).startsWith(dev(id).info().type().toLowerCase().substring(0, 3)).contains("2pass rows256");
            assertThat(t.kernelNanos()).isPositive();
            assertThat(t.queuedToEndNanos()).isGreaterThanOrEqualTo(t.kernelNanos());
            assertThat(p.toJsonString()).contains("TASK_QUEUED_TO_END_TIME");
        }
    }
}
