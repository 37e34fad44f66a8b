package dev.multimax.device.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import dev.multimax.device.DeviceInfo;
import dev.multimax.device.NativeLibraries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * The NVIDIA GPUs the CUDA driver reports, as {@code cuda:N}: name, compute capability, SMs, memory
 * and driver version; or, with none, one line saying why (no libcuda.so.1 is looked for before
 * JCuda is touched). {@link CudaDevice} runs task graphs on them from the shipped PTX.
 */
public final class CudaDevices {
    private static final String DRIVER = "libcuda.so.1";
    private static Discovery found;

    private CudaDevices() {
    }

    private record Discovery(List<DeviceInfo> devices, String reason) {
    }

    private static synchronized Discovery discover() {
        if (found != null) return found;
        if (!NativeLibraries.present(DRIVER, "libcuda.so")) {
            found = new Discovery(List.of(), "no NVIDIA driver (" + DRIVER + " not found): cuda:N devices need one");
            return found;
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            String driver = "CUDA driver " + version[0] / 1000 + "." + version[0] % 1000 / 10;
            List<DeviceInfo> all = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) all.add(describe(i, driver));
            found = new Discovery(all, all.isEmpty() ? "the CUDA driver reports no device" : "");
        } catch (Throwable t) { // UnsatisfiedLinkError, a CudaException: a driver that cannot start is a reason, not a crash
            String msg = String.valueOf(t.getMessage());
            found = new Discovery(List.of(), "the CUDA driver did not start: " + msg.lines().findFirst().orElse(msg));
        }
        return found;
    }

    private static DeviceInfo describe(int ordinal, String driver) {
        CUdevice d = new CUdevice();
        JCudaDriver.cuDeviceGet(d, ordinal);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, d);
        String n = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "");
        long[] mem = new long[1];
        JCudaDriver.cuDeviceTotalMem(mem, d);
        int major = attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(d, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int sms = attribute(d, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        return new DeviceInfo("cuda:" + ordinal, "CUDA", driver, n, "GPU", sms, mem[0],
                attribute(d, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK), attribute(d, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
                "sm_" + major + minor, true, major >= 6, "compute capability " + major + "." + minor + ", " + sms + " SMs, " + driver
                + "; the CUDA path has not run on GPU hardware yet");
    }

    private static int attribute(CUdevice d, int attribute) {
        int[] v = new int[1];
        JCudaDriver.cuDeviceGetAttribute(v, attribute, d);
        return v[0];
    }

    /** Every CUDA device found (empty without a driver). */
    public static List<DeviceInfo> devices() {
        return discover().devices();
    }

    /** Why no CUDA device is listed ({@code ""} when some are). */
    public static String reason() {
        return discover().reason();
    }

    /** Whether {@code id} has the form {@code cuda:N}. */
    public static boolean isCudaId(String id) {
        return id.matches("cuda:\\d+");
    }

    /** Why {@code id} cannot run here: no driver, or no such device. */
    public static String whyNot(String id) {
        Discovery d = discover();
        if (d.devices().isEmpty()) return id + ": " + d.reason();
        return id + ": no such CUDA device; found " + String.join(", ", d.devices().stream().map(DeviceInfo::id).toList());
    }
}
