package dev.multimax.graph;

import dev.multimax.device.DeviceArray;
import dev.multimax.device.Slice;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A frozen task graph, ready to be given to an {@link ExecutionPlan}. */
public final class ImmutableTaskGraph {
    private final String name;
    private final Map<DeviceArray, DataTransferMode> toDevice;
    private final Map<DeviceArray, DataTransferMode> toHost;
    private final List<Task> tasks;

    ImmutableTaskGraph(String name, Map<DeviceArray, DataTransferMode> toDevice,
                       Map<DeviceArray, DataTransferMode> toHost, List<Task> tasks) {
        this.name = name;
        this.toDevice = Collections.unmodifiableMap(toDevice);
        this.toHost = Collections.unmodifiableMap(toHost);
        this.tasks = tasks;
    }

    public String name() {
        return name;
    }

    public Map<DeviceArray, DataTransferMode> transfersToDevice() {
        return toDevice;
    }

    public Map<DeviceArray, DataTransferMode> transfersToHost() {
        return toHost;
    }

    public List<Task> tasks() {
        return tasks;
    }

    /** Every array the graph touches, in first-use order. */
    public Set<DeviceArray> arrays() {
        Set<DeviceArray> all = new LinkedHashSet<>(toDevice.keySet());
        for (Task t : tasks) {
            for (Slice s : t.call().buffers()) all.add(s.array());
        }
        all.addAll(toHost.keySet());
        return all;
    }
}
