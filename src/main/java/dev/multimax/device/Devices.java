package dev.multimax.device;

import dev.multimax.device.java.JavaDevice;
import dev.multimax.util.UserError;
import java.util.List;

/** Finds and opens devices by id; {@code auto} picks the best available and says why. */
public final class Devices {
    private Devices() {
    }

    /** Every device this process can use. */
    public static List<DeviceInfo> list() {
        return List.of(JavaDevice.describe(JavaDevice.defaultThreads()));
    }

    /** The result of resolving a {@code --device} value: the device and why it was chosen. */
    public record Choice(Device device, String reason) {
    }

    /** Opens {@code id} ({@code java:0}, or {@code auto}). Unknown ids are a user error listing the known ones. */
    public static Choice open(String id) {
        if (id.equals("auto")) {
            return new Choice(new JavaDevice(JavaDevice.defaultThreads()),
                    "auto: no OpenCL device support in this build, using the Java reference device");
        }
        if (id.equals(JavaDevice.ID)) {
            return new Choice(new JavaDevice(JavaDevice.defaultThreads()), "requested");
        }
        throw new UserError("unknown device '" + id + "'; known devices: "
                + String.join(", ", list().stream().map(DeviceInfo::id).toList()) + ", auto");
    }
}
