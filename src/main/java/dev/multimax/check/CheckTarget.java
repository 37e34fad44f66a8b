package dev.multimax.check;

import dev.multimax.device.Device;
import dev.multimax.device.java.JavaDevice;
import dev.multimax.device.opencl.OpenClDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * A device in one kernel configuration, as a check row names it: {@code java:0}, {@code opencl:0:0}
 * (its own tuning), {@code opencl:0:0[gpu]} (the GPU kernels forced onto it).
 */
public record CheckTarget(String label, Device device) {

    /** The targets of device {@code id}: one for java:0, one per {@link OpenClDevice#openCheckVariants variant} for OpenCL. */
    public static List<CheckTarget> open(String id) {
        List<CheckTarget> all = new ArrayList<>();
        if (id.equals(JavaDevice.ID)) {
            all.add(new CheckTarget(id, new JavaDevice(JavaDevice.defaultThreads())));
        } else if (id.startsWith("opencl:")) {
            for (OpenClDevice.Variant v : OpenClDevice.openCheckVariants(id)) {
                all.add(new CheckTarget(v.name().isEmpty() ? id : id + "[" + v.name() + "]", v.device()));
            }
        } else {
            all.add(new CheckTarget(id, dev.multimax.device.Devices.open(id).device()));
        }
        return all;
    }
}
