package dev.multimax.device;

import dev.multimax.device.cuda.CudaDevices;
import dev.multimax.device.java.JavaDevice;
import dev.multimax.device.opencl.OpenClDevice;
import dev.multimax.device.opencl.OpenClPlatforms;
import dev.multimax.device.ref.RefDevice;
import dev.multimax.util.BadInput;
import java.util.ArrayList;
import java.util.List;

/** Finds and opens devices by id; {@code auto} picks the best available and says why. */
public final class Devices {
    private Devices() {
    }

    /**
     * Every device this process can use: {@code java:0}, each OpenCL device ({@code opencl:P:D}),
     * and last {@code ref:0}, the float64 reference (never chosen by {@code auto}: it is for checks).
     */
    public static List<DeviceInfo> list() {
        List<DeviceInfo> all = new ArrayList<>();
        all.add(JavaDevice.describe(JavaDevice.defaultThreads()));
        for (OpenClPlatforms.Found f : OpenClPlatforms.devices()) all.add(f.info());
        all.addAll(CudaDevices.devices());
        all.add(RefDevice.describe());
        return all;
    }

    /** Why no CUDA device is listed ({@code ""} when some are). */
    public static String cudaUnavailableReason() {
        return CudaDevices.reason();
    }

    /** Why no OpenCL device is listed ({@code ""} when some are). */
    public static String openClUnavailableReason() {
        return OpenClPlatforms.reason();
    }

    /** The result of resolving a {@code --device} value: the device and why it was chosen. */
    public record Choice(Device device, String reason) {
    }

    /**
     * Opens {@code id}: {@code java:0}, {@code opencl:P:D} (or {@code opencl:P:D/spirv}: its programs
     * from the SPIR-V modules the jar ships), {@code ref:0}, or {@code auto}. Unknown ids are a user
     * error listing the known ones. A chosen device that fails to open is an error (no fallback).
     */
    public static Choice open(String id) {
        if (id.equals("auto")) return auto();
        if (id.equals(JavaDevice.ID)) {
            return new Choice(new JavaDevice(JavaDevice.defaultThreads()), "requested");
        }
        if (id.equals(RefDevice.ID)) return new Choice(new RefDevice(), "requested");
        // a cuda:N id that cannot run is a device error, not bad input: the driver is what is missing
        if (CudaDevices.isCudaId(id)) return new Choice(dev.multimax.device.cuda.CudaDevice.open(id), "requested");
        if (id.startsWith("opencl:") && OpenClDevice.known(id)) {
            return new Choice(OpenClDevice.open(id), "requested");
        }
        throw unknown(id);
    }

    /**
     * Fails with the same error as {@link #open} when {@code id} names no device (bad input) or a
     * device that cannot run here (a {@link KernelException}: cuda:N), without opening anything: lets
     * commands reject a bad {@code --device} before any work starts.
     */
    public static void requireKnown(String id) {
        if (id.equals("auto") || id.equals(JavaDevice.ID) || id.equals(RefDevice.ID)) return;
        // a cuda:N id without its GPU is a device error (exit 4), found before any work like an unknown id
        if (CudaDevices.isCudaId(id)) {
            if (CudaDevices.devices().stream().anyMatch(d -> d.id().equals(id))) return;
            throw new KernelException(CudaDevices.whyNot(id), null);
        }
        if (id.startsWith("opencl:") && OpenClDevice.known(id)) return;
        throw unknown(id);
    }

    private static BadInput unknown(String id) {
        String why = OpenClPlatforms.devices().isEmpty() ? " (no OpenCL devices: " + OpenClPlatforms.reason() + ")" : "";
        return new BadInput("unknown device '" + id + "'; known devices: "
                + String.join(", ", list().stream().map(DeviceInfo::id).toList()) + ", auto" + why);
    }

    /**
     * CUDA GPU > OpenCL GPU > OpenCL CPU (or accelerator) > java:0. A device that fails to open (context or queue) is
     * skipped for the next one, with a warning on stderr naming it and the reason; the choice's
     * reason says so too.
     */
    private static Choice auto() {
        List<String> skipped = new ArrayList<>();
        for (DeviceInfo gpu : CudaDevices.devices()) {
            try {
                return new Choice(dev.multimax.device.cuda.CudaDevice.open(gpu.id()), "auto: the first CUDA GPU");
            } catch (RuntimeException e) {
                System.err.println("warning: auto: skipping " + gpu.id() + " (" + gpu.name() + "): it failed to open: "
                        + e.getMessage());
                skipped.add(gpu.id());
            }
        }
        List<OpenClPlatforms.Found> found = OpenClPlatforms.devices();
        if (found.isEmpty()) {
            return new Choice(new JavaDevice(JavaDevice.defaultThreads()),
                    "auto: no OpenCL device (" + OpenClPlatforms.reason() + "), using the Java device java:0");
        }
        List<OpenClPlatforms.Found> order = new ArrayList<>();
        found.stream().filter(OpenClPlatforms.Found::isGpu).forEach(order::add);
        found.stream().filter(f -> !f.isGpu()).forEach(order::add);
        for (OpenClPlatforms.Found pick : order) {
            String why = pick.isGpu() ? (CudaDevices.devices().isEmpty() ? "no CUDA GPU (" + CudaDevices.reason() + "); " : "")
                    + "the first OpenCL GPU"
                    : "no OpenCL GPU; an OpenCL " + pick.info().type() + " device is preferred over java:0";
            try {
                OpenClDevice dev = OpenClDevice.open(pick.info().id());
                return new Choice(dev, "auto: " + (skipped.isEmpty() ? why : "the first that opened (skipped "
                        + String.join(", ", skipped) + ")"));
            } catch (RuntimeException e) {
                String id = pick.info().id();
                System.err.println("warning: auto: skipping " + id + " (" + pick.info().name() + "): it failed to open: "
                        + e.getMessage());
                skipped.add(id);
            }
        }
        return new Choice(new JavaDevice(JavaDevice.defaultThreads()), "auto: every OpenCL device failed to open (skipped "
                + String.join(", ", skipped) + "), using the Java device java:0");
    }
}
