package dev.multimax.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.java.JavaDevice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transfer modes, resident buffers shared between graphs, and the profile's JSON. */
class ExecutionPlanTest {
    private static KernelCall add(FloatArray z, FloatArray x, FloatArray y) {
        return new KernelCall(Op.RESIDUAL_ADD, List.of(z.all(), x.all(), y.all()), new int[] {z.length()}, new float[0]);
    }

    /**
     * withCheck compares every task with the reference and changes nothing the caller sees: the
     * results, the host copies of arrays not transferred back, and later unchecked executions.
     */
    @Test
    void withCheckReportsEveryTaskAndChangesNothing() {
        FloatArray x = new FloatArray("x", new float[] {1.5f, 2.25f, -3});
        FloatArray y = new FloatArray("y", new float[] {0.5f, -1, 4});
        FloatArray mid = new FloatArray("mid", 3);
        FloatArray out = new FloatArray("out", 3);
        TaskGraph g = new TaskGraph("g")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("first", add(mid, x, y))
                .task("second", add(out, mid, x))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (JavaDevice dev = new JavaDevice(2); dev.multimax.device.ref.RefDevice ref = new dev.multimax.device.ref.RefDevice();
             ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev).withCheck(ref)) {
            ExecutionResult r = plan.execute();
            assertThat(out.host()).containsExactly(3.5f, 3.5f, -2);
            assertThat(mid.host()).containsExactly(0, 0, 0); // device-resident: its host copy is untouched
            assertThat(r.checks().orElseThrow()).extracting(TaskCheck::taskId).containsExactly("g.first", "g.second");
            assertThat(r.checks().orElseThrow()).allMatch(TaskCheck::ok);
            assertThat(r.firstFailedCheck()).isEmpty();
            plan.withCheck(null);
            assertThat(plan.execute().checks()).isEmpty();
            assertThat(out.host()).containsExactly(3.5f, 3.5f, -2);
        }
    }

    @Test
    void transferModesDecideWhatMovesWhen() {
        FloatArray once = new FloatArray("once", new float[] {1, 2});
        FloatArray every = new FloatArray("every", new float[] {10, 20});
        FloatArray out = new FloatArray("out", 2);
        FloatArray lazy = new FloatArray("lazy", 2);
        TaskGraph g = new TaskGraph("g")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, once)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, every)
                .task("sum", add(out, once, every))
                .task("copy", add(lazy, out, once))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out)
                .transferToHost(DataTransferMode.UNDER_DEMAND, lazy);
        try (JavaDevice dev = new JavaDevice(2); ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev)) {
            plan.execute();
            assertThat(out.host()).containsExactly(11, 22);
            assertThat(lazy.host()).containsExactly(0, 0); // not transferred yet
            once.host()[0] = 100; // FIRST_EXECUTION: the device keeps the first copy
            every.host()[0] = 50; // EVERY_EXECUTION: copied again
            ExecutionResult r = plan.execute();
            assertThat(out.host()).containsExactly(51, 22);
            r.transferToHost(lazy);
            assertThat(lazy.host()).containsExactly(52, 24);
        }
    }

    @Test
    void graphsOfOnePlanShareResidentBuffers() {
        FloatArray w = new FloatArray("w", new float[] {1, 1});
        FloatArray x = new FloatArray("x", new float[] {2, 3});
        FloatArray y = new FloatArray("y", 2);
        TaskGraph update = new TaskGraph("update").transferToDevice(DataTransferMode.FIRST_EXECUTION, w, x)
                .task("w_plus_x", add(w, w, x));
        TaskGraph read = new TaskGraph("read").task("y", add(y, w, w)).transferToHost(DataTransferMode.EVERY_EXECUTION, y);
        try (JavaDevice dev = new JavaDevice(1);
             ExecutionPlan plan = new ExecutionPlan(update.snapshot(), read.snapshot()).withDevice(dev)) {
            plan.withGraph(0).execute();
            plan.withGraph(0).execute();
            plan.withGraph(1).execute();
            assertThat(y.host()).containsExactly(10, 14); // w = 1 + 2·x on the device, never copied back
            assertThat(w.host()).containsExactly(1, 1);
        }
    }

    @Test
    void profileHasTornadoKeysAndHonestTotals() {
        FloatArray a = new FloatArray("a", new float[100_000]);
        FloatArray b = new FloatArray("b", 100_000);
        TaskGraph g = new TaskGraph("p").transferToDevice(DataTransferMode.EVERY_EXECUTION, a)
                .task("t1", add(b, a, a)).task("t2", add(b, b, a))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, b);
        try (JavaDevice dev = new JavaDevice(2);
             ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev).withProfiler(ProfilerMode.SILENT)) {
            GraphProfile first = plan.execute().profile().orElseThrow();
            GraphProfile second = plan.execute().profile().orElseThrow();
            assertThat(first.allocationBytes()).isEqualTo(800_000);
            assertThat(second.allocationBytes()).isZero();
            JsonObject root = JsonParser.parseString(second.toJsonString()).getAsJsonObject();
            JsonObject p = root.getAsJsonObject("p");
            for (String key : List.of("TOTAL_TASK_GRAPH_TIME", "TOTAL_KERNEL_TIME", "COPY_IN_TIME", "COPY_OUT_TIME",
                    "TOTAL_COPY_IN_SIZE_BYTES", "TOTAL_COPY_OUT_SIZE_BYTES", "ALLOCATION_BYTES", "TOTAL_DISPATCH_KERNEL_TIME")) {
                assertThat(p.has(key)).as(key).isTrue();
            }
            assertThat(p.get("TOTAL_COPY_IN_SIZE_BYTES").getAsString()).isEqualTo("400000");
            JsonObject t1 = p.getAsJsonObject("p.t1");
            assertThat(t1.get("BACKEND").getAsString()).isEqualTo("JAVA");
            assertThat(t1.get("METHOD").getAsString()).isEqualTo("residual.residual_add");
            long kernels = 0;
            for (String t : List.of("p.t1", "p.t2")) {
                long ns = Long.parseLong(p.getAsJsonObject(t).get("TASK_KERNEL_TIME").getAsString());
                assertThat(ns).isPositive();
                kernels += ns;
            }
            assertThat(kernels).isLessThanOrEqualTo(Long.parseLong(p.get("TOTAL_TASK_GRAPH_TIME").getAsString()));
        }
    }

    @Test
    void badGraphsAreRejectedWithTheirNames() {
        FloatArray a = new FloatArray("a", 4);
        TaskGraph g = new TaskGraph("g").task("x", add(a, a, a));
        assertThatThrownBy(() -> g.task("x", add(a, a, a))).hasMessageContaining("duplicate task id g.x");
        assertThatThrownBy(() -> new KernelCall(Op.MATMUL, List.of(a.all()), new int[0], new float[0]))
                .hasMessageContaining("matmul takes buffers [C, A, B]");
        assertThatThrownBy(() -> a.slice(2, 3)).hasMessageContaining("outside a[4]");
    }
}
