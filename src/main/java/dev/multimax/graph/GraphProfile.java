package dev.multimax.graph;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.multimax.device.DeviceInfo;
import java.util.List;

/**
 * The profile of one graph execution, written with TornadoVM's profiler keys (times in ns, values
 * as strings). What each number covers:
 * <ul>
 *   <li>TOTAL_TASK_GRAPH_TIME: wall time of {@code execute()}: copies, compilation if any, all tasks.</li>
 *   <li>TOTAL_KERNEL_TIME: sum of the task kernel times.</li>
 *   <li>per task, TASK_KERNEL_TIME: device execution time (OpenCL: event START→END summed over the
 *       op's launches; Java: wall time of the kernel body); TASK_QUEUED_TO_END_TIME: OpenCL: QUEUED of
 *       the op's first launch → END of its last (adds queueing and gaps between launches); Java: the same wall time.</li>
 *   <li>COPY_IN_TIME / COPY_OUT_TIME: wall time of the host↔device copies of this execution.</li>
 *   <li>TOTAL_DRIVER_COMPILE_TIME: kernel builds of this execution (only on the first, or with pre-compilation 0).</li>
 *   <li>TOTAL_DISPATCH_KERNEL_TIME: host time not inside kernels, copies or compilation (launch overhead).</li>
 * </ul>
 */
public record GraphProfile(String graph, DeviceInfo device, long graphNanos, long copyInNanos, long copyOutNanos,
                           long copyInBytes, long copyOutBytes, long allocationBytes, long compileNanos,
                           List<TaskProfile> tasks) {

    public long kernelNanos() {
        return tasks.stream().mapToLong(TaskProfile::kernelNanos).sum();
    }

    public long dispatchNanos() {
        return Math.max(0, graphNanos - kernelNanos() - copyInNanos - copyOutNanos - compileNanos);
    }

    /** {@code { "<graph>": { totals..., "<graph>.<task>": {...} } }}, TornadoVM's layout. */
    public JsonObject toJson() {
        JsonObject g = new JsonObject();
        g.addProperty("TOTAL_TASK_GRAPH_TIME", Long.toString(graphNanos));
        g.addProperty("TOTAL_KERNEL_TIME", Long.toString(kernelNanos()));
        g.addProperty("COPY_IN_TIME", Long.toString(copyInNanos));
        g.addProperty("COPY_OUT_TIME", Long.toString(copyOutNanos));
        g.addProperty("TOTAL_COPY_IN_SIZE_BYTES", Long.toString(copyInBytes));
        g.addProperty("TOTAL_COPY_OUT_SIZE_BYTES", Long.toString(copyOutBytes));
        g.addProperty("ALLOCATION_BYTES", Long.toString(allocationBytes));
        if (compileNanos > 0) g.addProperty("TOTAL_DRIVER_COMPILE_TIME", Long.toString(compileNanos));
        g.addProperty("TOTAL_DISPATCH_KERNEL_TIME", Long.toString(dispatchNanos()));
        for (TaskProfile t : tasks) {
            JsonObject o = new JsonObject();
            o.addProperty("BACKEND", device.backend());
            o.addProperty("METHOD", t.family() + "." + t.kernel());
            o.addProperty("DEVICE_ID", device.id());
            o.addProperty("DEVICE", device.name());
            o.addProperty("VARIANT", t.variant());
            o.addProperty("TASK_KERNEL_TIME", Long.toString(t.kernelNanos()));
            o.addProperty("TASK_QUEUED_TO_END_TIME", Long.toString(t.queuedToEndNanos()));
            if (t.compileNanos() > 0) o.addProperty("TASK_COMPILE_DRIVER_TIME", Long.toString(t.compileNanos()));
            g.add(t.id(), o);
        }
        JsonObject root = new JsonObject();
        root.add(graph, g);
        return root;
    }

    public String toJsonString() {
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        return gson.toJson(toJson());
    }
}
