package dev.multimax.device.opencl;

/**
 * Looks for the OpenCL ICD loader ({@code libOpenCL.so.1}) before JOCL is touched. Without it,
 * JOCL's native code prints "Could not load libOpenCL.so.1" with printf: on stdout, where it
 * breaks {@code --json} output and surefire's channel, and Java cannot catch or redirect it. So
 * on Linux we look in the loader's directories ourselves and say plainly what is missing.
 */
final class IcdLoader {
    private static final String LIBRARY = "libOpenCL.so.1";

    private IcdLoader() {
    }

    /** Why OpenCL cannot load here, or null when the loader is present (or the OS is not Linux). */
    static String missing() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return null;
        if (dev.multimax.device.NativeLibraries.present(LIBRARY, "libOpenCL.so")) return null;
        return "no OpenCL ICD loader (" + LIBRARY + ") on this machine; install one and a driver, e.g. "
                + "'apt-get install ocl-icd-libopencl1 pocl-opencl-icd' for PoCL on the CPU";
    }
}
