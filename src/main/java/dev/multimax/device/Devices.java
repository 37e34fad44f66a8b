package dev.multimax.device;

import dev.multimax.device.java.JavaDevice;
import dev.multimax.device.opencl.OpenClDevice;
import dev.multimax.device.opencl.OpenClPlatforms;
import dev.multimax.util.UserError;
import java.util.ArrayList;
import java.util.List;

/** Finds and opens devices by id; {@code auto} picks the best available and says why. */
public final class Devices {
    private Devices() {
    }

    /** Every device this process can use: {@code java:0}, then each OpenCL device ({@code opencl:P:D}). */
    public static List<DeviceInfo> list() {
        List<DeviceInfo> all = new ArrayList<>();
        all.add(JavaDevice.describe(JavaDevice.defaultThreads()));
        for (OpenClPlatforms.Found f : OpenClPlatforms.devices()) all.add(f.info());
        return all;
    }

    /** Why no OpenCL device is listed ({@code ""} when some are). */
    public static String openClUnavailableReason() {
        return OpenClPlatforms.reason();
    }

    /** The result of resolving a {@code --device} value: the device and why it was chosen. */
    public record Choice(Device device, String reason) {
    }

    /**
     * Opens {@code id}: {@code java:0}, {@code opencl:P:D}, or {@code auto}. Unknown ids are a user
     * error listing the known ones. A chosen device that fails to open is an error (no fallback).
     */
    public static Choice open(String id) {
        if (id.equals("auto")) return auto();
        if (id.equals(JavaDevice.ID)) {
            return new Choice(new JavaDevice(JavaDevice.defaultThreads()), "requested");
        }
        if (id.startsWith("opencl:") && OpenClPlatforms.find(id) != null) {
            return new Choice(OpenClDevice.open(id), "requested");
        }
        throw unknown(id);
    }

    /**
     * Fails with the same user error as {@link #open} when {@code id} names no device, without
     * opening anything: lets commands reject a bad {@code --device} before any work starts.
     */
    public static void requireKnown(String id) {
        if (id.equals("auto") || id.equals(JavaDevice.ID)) return;
        if (id.startsWith("opencl:") && OpenClPlatforms.find(id) != null) return;
        throw unknown(id);
    }

    private static UserError unknown(String id) {
        String why = OpenClPlatforms.devices().isEmpty() ? " (no OpenCL devices: " + OpenClPlatforms.reason() + ")" : "";
        return new UserError("unknown device '" + id + "'; known devices: "
                + String.join(", ", list().stream().map(DeviceInfo::id).toList()) + ", auto" + why);
    }

    /**
     * GPU > OpenCL CPU (or accelerator) > java:0.
     */
    private static Choice auto() {
        List<OpenClPlatforms.Found> found = OpenClPlatforms.devices();
        if (found.isEmpty()) {
            return new Choice(new JavaDevice(JavaDevice.defaultThreads()),
                    "auto: no OpenCL device (" + OpenClPlatforms.reason() + "), using the Java reference device");
        }
        OpenClPlatforms.Found pick = found.stream().filter(OpenClPlatforms.Found::isGpu).findFirst().orElse(found.get(0));
        String why = pick.isGpu() ? "the first OpenCL GPU"
                : "no OpenCL GPU; an OpenCL " + pick.info().type() + " device is preferred over java:0";
        return new Choice(OpenClDevice.open(pick.info().id()), "auto: " + why);
    }
}
