package dev.multimax.device;

/** What {@code devices} shows for a device. */
public record DeviceInfo(String id, String backend, String name, String type, int computeUnits,
                         long globalMemoryBytes, String details) {
}
