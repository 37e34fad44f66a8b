package dev.multimax.device;

import dev.multimax.device.java.JavaDevice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices every kernel test runs on (each OpenCL device joins this list when it exists).
 * Tests take the id, not the device: JUnit closes AutoCloseable arguments after each test.
 */
public final class TestDevices {
    private static final Map<String, Device> DEVICES = new LinkedHashMap<>();

    static {
        // Three threads on two cores: exercises the work splitting, results must not depend on it.
        DEVICES.put(JavaDevice.ID, new JavaDevice(3));
    }

    private TestDevices() {
    }

    public static List<String> ids() {
        return List.copyOf(DEVICES.keySet());
    }

    public static Device get(String id) {
        return DEVICES.get(id);
    }
}
