package dev.multimax.graph;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.Op;
import dev.multimax.device.OutputDiff;
import dev.multimax.device.Slice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-executes each task of a plan on a reference device, task by task: before the device runs a
 * task, its buffers are read back from the device and loaded into the reference; after both ran,
 * each written slice is compared within the op's tolerance. Inputs are the device's own, so an
 * error is charged to the task that made it, not to everything downstream. Host copies are
 * restored after each task: checking changes nothing the caller sees.
 */
final class TaskChecker {
    private final Device ref;
    private final Map<Task, CompiledKernel> refKernels = new IdentityHashMap<>();
    private final List<TaskCheck> checks = new ArrayList<>();
    private Map<DeviceArray, Object> saved;

    TaskChecker(Device ref) {
        this.ref = ref;
    }

    /** Loads the task's buffers, as they are on {@code device} now, into the reference. */
    void before(Device device, Task task) {
        saved = new IdentityHashMap<>();
        for (DeviceArray a : arrays(task)) {
            saved.put(a, hostCopy(a));
            device.copyOut(a);
            ref.copyIn(a);
        }
    }

    /** Runs the task on the reference and compares its written slices with the device's. */
    void after(Device device, Task task, String variant) {
        CompiledKernel k = refKernels.computeIfAbsent(task, t -> ref.compile(t.id(), t.call()));
        k.launch(false);
        Op op = task.call().op();
        List<OutputDiff> diffs = new ArrayList<>();
        for (int i = 0; i < op.buffers().size(); i++) {
            Op.Buffer spec = op.buffers().get(i);
            if (!spec.role().written() || spec.isInt()) continue;
            Slice s = task.call().buffer(i);
            FloatArray a = (FloatArray) s.array();
            device.copyOut(a);
            float[] got = a.host().clone();
            ref.copyOut(a);
            diffs.add(OutputDiff.of(spec.name(), got, s.offset(), a.host(), s.offset(), s.count(), op.tolerance().of(spec.name())));
        }
        for (Map.Entry<DeviceArray, Object> e : saved.entrySet()) restore(e.getKey(), e.getValue());
        checks.add(new TaskCheck(task.id(), op, variant, Collections.unmodifiableList(diffs)));
    }

    /** The checks since the last call, in task order; starts a new list. */
    List<TaskCheck> drain() {
        List<TaskCheck> out = List.copyOf(checks);
        checks.clear();
        return out;
    }

    void release() {
        for (CompiledKernel k : refKernels.values()) k.release();
        refKernels.clear();
    }

    private static Set<DeviceArray> arrays(Task task) {
        Set<DeviceArray> set = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<DeviceArray> ordered = new LinkedHashSet<>();
        for (Slice s : task.call().buffers()) {
            if (set.add(s.array())) ordered.add(s.array());
        }
        return ordered;
    }

    private static Object hostCopy(DeviceArray a) {
        return a instanceof FloatArray f ? f.host().clone() : ((IntArray) a).host().clone();
    }

    private static void restore(DeviceArray a, Object copy) {
        if (a instanceof FloatArray f) {
            System.arraycopy((float[]) copy, 0, f.host(), 0, f.length());
        } else {
            System.arraycopy((int[]) copy, 0, ((IntArray) a).host(), 0, a.length());
        }
    }
}
