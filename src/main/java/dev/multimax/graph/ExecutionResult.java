package dev.multimax.graph;

import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import java.util.Optional;

/** What one {@code execute()} returns: its profile, and on-demand copies to the host. */
public final class ExecutionResult {
    private final Device device;
    private final GraphProfile profile;

    ExecutionResult(Device device, GraphProfile profile) {
        this.device = device;
        this.profile = profile;
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
