package dev.multimax.graph;

import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import java.util.List;
import java.util.Optional;

/** What one {@code execute()} returns: its profile, and on-demand copies to the host. */
public final class ExecutionResult {
    private final Device device;
    private final GraphProfile profile;
    private final List<TaskCheck> checks;

    ExecutionResult(Device device, GraphProfile profile, List<TaskCheck> checks) {
        this.device = device;
        this.profile = profile;
        this.checks = checks;
    }

    /** Every task's comparison with the reference, in task order; present when the plan runs {@link ExecutionPlan#withCheck}. */
    public Optional<List<TaskCheck>> checks() {
        return Optional.ofNullable(checks);
    }

    /** The first task whose output left its tolerance, if the execution was checked and one did. */
    public Optional<TaskCheck> firstFailedCheck() {
        return checks == null ? Optional.empty() : checks.stream().filter(c -> !c.ok()).findFirst();
    }

    /** The profile, present when the plan runs with a profiler. */
    public Optional<GraphProfile> profile() {
        return Optional.ofNullable(profile);
    }

    /** Copies the device contents of {@code arrays} into their host copies (UNDER_DEMAND transfers). */
    public ExecutionResult transferToHost(DeviceArray... arrays) {
        for (DeviceArray a : arrays) {
            if (!device.isAllocated(a)) throw new IllegalStateException(a + " is not on device " + device.id());
            device.copyOut(a);
        }
        return this;
    }
}
