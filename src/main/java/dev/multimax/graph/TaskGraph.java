package dev.multimax.graph;

import dev.multimax.device.DeviceArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named, ordered list of tasks with the transfers around them (TornadoVM's TaskGraph).
 * Tasks run in declaration order; data produced by one task and read by the next stays on the device.
 * Arrays that no transfer names are device-resident: produced by a task, or left on the device by
 * another graph of the same plan (TornadoVM's persistOnDevice / consumeFromDevice, by identity).
 */
public final class TaskGraph {
    private final String name;
    private final Map<DeviceArray, DataTransferMode> toDevice = new LinkedHashMap<>();
    private final Map<DeviceArray, DataTransferMode> toHost = new LinkedHashMap<>();
    private final List<Task> tasks = new ArrayList<>();

    public TaskGraph(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("graph name must be non-empty without '.': " + name);
        this.name = name;
    }

    public String name() {
        return name;
    }

    public TaskGraph transferToDevice(DataTransferMode mode, DeviceArray... arrays) {
        if (mode == DataTransferMode.UNDER_DEMAND) {
            throw new IllegalArgumentException("UNDER_DEMAND applies to transfers to the host only");
        }
        for (DeviceArray a : arrays) toDevice.put(a, mode);
        return this;
    }

    public TaskGraph transferToHost(DataTransferMode mode, DeviceArray... arrays) {
        for (DeviceArray a : arrays) toHost.put(a, mode);
        return this;
    }

    /** Adds task {@code graph.id}; ids must be unique within the graph. */
    public TaskGraph task(String id, KernelCall call) {
        String full = name + "." + id;
        for (Task t : tasks) {
            if (t.id().equals(full)) throw new IllegalArgumentException("duplicate task id " + full);
        }
        tasks.add(new Task(full, call));
        return this;
    }

    /** Shorthand: {@code task(id, new KernelCall(op, buffers, ints, floats))}. */
    public TaskGraph task(String id, Op op, List<Slice> buffers, int[] ints, float... floats) {
        return task(id, new KernelCall(op, buffers, Arrays.copyOf(ints, ints.length), floats));
    }

    public List<Task> tasks() {
        return List.copyOf(tasks);
    }

    /** Freezes the graph: later changes to this builder do not affect the snapshot. */
    public ImmutableTaskGraph snapshot() {
        return new ImmutableTaskGraph(name, new LinkedHashMap<>(toDevice), new LinkedHashMap<>(toHost), List.copyOf(tasks));
    }
}
