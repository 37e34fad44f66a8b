package dev.multimax.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelHarness;
import dev.multimax.device.KernelTime;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.device.TestDevices;
import dev.multimax.device.ref.RefDevice;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.ExecutionResult;
import dev.multimax.graph.TaskCheck;
import dev.multimax.model.OptimizerConfig;
import dev.multimax.model.VitModel;
import dev.multimax.model.VitStep;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checks can fail: a device whose GELU forward is off by 1e-3 relative (the real OpenCL kernel,
 * its output then scaled by 1.001) is caught by {@code check}'s op rows, and by
 * {@link ExecutionPlan#withCheck}, which names the first wrong task of a training step; the same
 * runs without the fault pass.
 */
class WrongKernelTest {
    private static final Op VICTIM = Op.GELU_FWD;
    private static final RefDevice REF = new RefDevice();

    @BeforeAll
    static void needsOpenCl() {
        TestDevices.requireOpenCl();
    }

    @Test
    void checkNamesTheWrongOp() {
        long seed = KernelHarness.freshSeed("wrong kernel check");
        String id = TestDevices.openClIds().get(0);
        CheckTarget wrong = new CheckTarget(id + "[off by 1e-3]", new OffByOne(TestDevices.get(id)));
        List<CheckResult> rows = new DeviceCheck(List.of(Op.GELU_FWD, Op.GELU_BWD, Op.RESIDUAL_ADD), false, seed).run(wrong, REF,
                what -> { });
        List<CheckResult> failed = rows.stream().filter(r -> !r.ok()).toList();
        assertThat(failed).isNotEmpty().allMatch(r -> r.op().equals("gelu_fwd"));
        assertThat(failed.get(0).detail()).startsWith("Y:").contains("outside the tolerance");
        assertThat(rows.stream().filter(r -> !r.op().equals("gelu_fwd"))).allMatch(CheckResult::ok);

        CheckTarget right = new CheckTarget(id, TestDevices.get(id));
        assertThat(new DeviceCheck(List.of(Op.GELU_FWD), false, seed).run(right, REF, what -> { })).allMatch(CheckResult::ok);
    }

    @Test
    void withCheckNamesTheFirstWrongTaskOfAStep() {
        long seed = KernelHarness.freshSeed("wrong kernel step");
        String id = TestDevices.openClIds().get(0);
        List<TaskCheck> wrong = checkedStep(new OffByOne(TestDevices.get(id)), seed);
        TaskCheck first = wrong.stream().filter(c -> !c.ok()).findFirst().orElseThrow();
        assertThat(first.op()).isEqualTo(VICTIM);
        assertThat(first.taskId()).isEqualTo("step.blocks.0.mlp.gelu_fwd");
        // every task before it was fine: the error is charged to the task that made it
        assertThat(wrong.subList(0, wrong.indexOf(first))).allMatch(TaskCheck::ok);

        assertThat(checkedStep(TestDevices.get(id), seed)).allMatch(TaskCheck::ok);
    }

    private static List<TaskCheck> checkedStep(Device device, long seed) {
        VitModel model = StepCheck.randomModel(StepCheck.tiny(), seed);
        VitStep step = new VitStep(model, 3, false); // unfused: the fused step runs GELU inside bias_gelu_fwd
        StepCheck.randomBatch(step, seed + 1);
        step.schedule().host()[0] = 1e-3f;
        step.schedule().host()[1] = 1;
        try (ExecutionPlan plan = new ExecutionPlan(step.trainGraph(OptimizerConfig.DEFAULT)).withDevice(device).withCheck(REF)) {
            ExecutionResult r = plan.execute();
            assertThat(r.firstFailedCheck()).isEqualTo(r.checks().orElseThrow().stream().filter(c -> !c.ok()).findFirst());
            return r.checks().orElseThrow();
        }
    }

    /** A device that runs {@link #VICTIM} with the real kernel, then scales its output slice by 1 + 1e-3. */
    private static final class OffByOne implements Device {
        private final Device inner;

        OffByOne(Device inner) {
            this.inner = inner;
        }

        @Override
        public CompiledKernel compile(String taskName, KernelCall call) {
            CompiledKernel k = inner.compile(taskName, call);
            if (call.op() != VICTIM) return k;
            Slice y = call.buffer(0);
            return new CompiledKernel() {
                @Override
                public String variant() {
                    return k.variant() + " off-by-1e-3";
                }

                @Override
                public long compileNanos() {
                    return k.compileNanos();
                }

                @Override
                public KernelTime launch(boolean timed) {
                    KernelTime t = k.launch(timed);
                    FloatArray a = (FloatArray) y.array();
                    float[] keep = a.host().clone();
                    inner.copyOut(a);
                    for (int i = y.offset(); i < y.offset() + y.count(); i++) a.host()[i] *= 1.001f;
                    inner.copyIn(a);
                    System.arraycopy(keep, 0, a.host(), 0, keep.length);
                    return t;
                }

                @Override
                public void release() {
                    k.release();
                }
            };
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public DeviceInfo info() {
            return inner.info();
        }

        @Override
        public long allocate(DeviceArray array) {
            return inner.allocate(array);
        }

        @Override
        public boolean isAllocated(DeviceArray array) {
            return inner.isAllocated(array);
        }

        @Override
        public void copyIn(DeviceArray array) {
            inner.copyIn(array);
        }

        @Override
        public void copyOut(DeviceArray array) {
            inner.copyOut(array);
        }

        @Override
        public void free(DeviceArray array) {
            inner.free(array);
        }

        @Override
        public void close() {
            // the inner device belongs to TestDevices
        }
    }
}
