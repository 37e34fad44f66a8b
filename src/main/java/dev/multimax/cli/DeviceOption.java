package dev.multimax.cli;

import dev.multimax.device.Devices;
import picocli.CommandLine.Option;

/** {@code --device}: which device runs the task graphs. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "ID",
            description = "Device id (see 'multimax devices'), or 'auto' for the best available (default: ${DEFAULT-VALUE}).")
    String device;

    /** Opens the device and prints which one runs and why. */
    Devices.Choice open() {
        return open(device);
    }

    /** Opens device {@code id} and prints which one runs and why (unknown ids: a user error). */
    static Devices.Choice open(String id) {
        return print(Devices.open(id));
    }

    /** Opens device {@code id}, printing {@code reason} for the choice. */
    static Devices.Choice open(String id, String reason) {
        Devices.Choice c = Devices.open(id);
        return print(new Devices.Choice(c.device(), reason));
    }

    private static Devices.Choice print(Devices.Choice c) {
        // stderr: a notice, not output (stdout carries --json)
        System.err.println("device: " + c.device().id() + " — " + c.device().info().name() + " (" + c.reason() + ")");
        return c;
    }
}
