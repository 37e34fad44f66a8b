package dev.multimax.device;

import dev.multimax.device.java.JavaDevice;
import dev.multimax.device.opencl.OpenClDevice;
import dev.multimax.device.opencl.OpenClPlatforms;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices every kernel test runs on: {@code java:0} and every OpenCL device found
 * ({@code opencl:P:D}). Tests take the id, not the device: JUnit closes AutoCloseable arguments
 * after each test. Devices stay open for the test run (program caches stay warm).
 *
 * <p>No OpenCL device found is not hidden: {@link #openClMissing()} says why, and
 * {@code OpenClPresenceTest} fails on it under {@code CI=true}. An OpenCL device that is found but
 * fails to open is kept as an id whose {@link #get} throws, so every test on it fails loudly.
 */
public final class TestDevices {
    private static final Map<String, Device> DEVICES = new LinkedHashMap<>();
    private static final Map<String, RuntimeException> BROKEN = new LinkedHashMap<>();

    static {
        // Three threads on two cores: exercises the work splitting, results must not depend on it.
        DEVICES.put(JavaDevice.ID, new JavaDevice(3));
        for (OpenClPlatforms.Found f : OpenClPlatforms.devices()) {
            String id = f.info().id();
            try {
                DEVICES.put(id, OpenClDevice.open(id));
            } catch (RuntimeException e) {
                BROKEN.put(id, e);
            }
        }
    }

    private static final Map<String, dev.multimax.check.CheckTarget> TARGETS = new LinkedHashMap<>();

    private TestDevices() {
    }

    /**
     * What the catalog test checks: java:0, then each OpenCL device in every kernel variant (its own
     * tuning, and the GPU kernels forced onto a CPU device), built from source and from the shipped
     * SPIR-V modules, opened once for the run.
     */
    public static synchronized List<dev.multimax.check.CheckTarget> checkTargets() {
        if (TARGETS.isEmpty()) {
            TARGETS.put(JavaDevice.ID, new dev.multimax.check.CheckTarget(JavaDevice.ID, get(JavaDevice.ID)));
            for (String id : openClIds()) {
                for (var t : dev.multimax.check.CheckTarget.open(id)) TARGETS.put(t.label(), t);
                // and every variant again from the shipped SPIR-V modules, where the driver takes them (PoCL: SPIR 1.2)
                if (OpenClDevice.takesSpirv(id)) {
                    for (var t : dev.multimax.check.CheckTarget.open(id + OpenClDevice.SPIRV_SUFFIX)) TARGETS.put(t.label(), t);
                }
            }
        }
        return List.copyOf(TARGETS.values());
    }

    public static synchronized dev.multimax.check.CheckTarget checkTarget(String label) {
        checkTargets();
        return TARGETS.get(label);
    }

    public static List<String> ids() {
        List<String> all = new java.util.ArrayList<>(DEVICES.keySet());
        all.addAll(BROKEN.keySet());
        return all;
    }

    public static List<String> openClIds() {
        return ids().stream().filter(id -> id.startsWith("opencl:")).toList();
    }

    public static Device get(String id) {
        RuntimeException e = BROKEN.get(id);
        if (e != null) throw new IllegalStateException(id + " was found but failed to open", e);
        return DEVICES.get(id);
    }

    /**
     * The first OpenCL device under test, for tests that need one: a missing device fails under
     * CI=true (CI installs PoCL), and skips the test elsewhere.
     */
    public static String requireOpenCl() {
        String missing = openClMissing();
        if (missing != null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("no OpenCL device under CI=true (.ci/run installs PoCL): " + missing);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, "no OpenCL device: " + missing);
        return openClIds().get(0);
    }

    /** Why no OpenCL device is under test, or null when some are. */
    public static String openClMissing() {
        return openClIds().isEmpty() ? OpenClPlatforms.reason() : null;
    }
}
