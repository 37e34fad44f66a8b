package dev.multimax.device.opencl;

import static org.jocl.CL.CL_DEVICE_DOUBLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_OPENCL_C_VERSION;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import dev.multimax.device.DeviceInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds every OpenCL platform and device once per process. Ids are {@code opencl:P:D}: platform P
 * in the ICD loader's order, device D within it. A missing libOpenCL, no ICD or a driver error
 * gives an empty list and a reason (for messages), never an exception.
 */
public final class OpenClPlatforms {
    /** One device found: its handles and what {@code devices} shows. */
    public record Found(cl_platform_id platform, cl_device_id device, DeviceInfo info, long maxAllocBytes) {
        public boolean isGpu() {
            return info.type().equals("GPU");
        }
    }

    /** The result of the enumeration; {@code reason} says why {@code devices} is empty (or notes skipped platforms). */
    public record Discovery(List<Found> devices, String reason) {
    }

    private static Discovery discovery;

    private OpenClPlatforms() {
    }

    public static synchronized Discovery discover() {
        if (discovery == null) discovery = enumerate();
        return discovery;
    }

    public static List<Found> devices() {
        return discover().devices();
    }

    /** Why there is no OpenCL device ({@code ""} when there are some). */
    public static String reason() {
        return discover().reason();
    }

    public static Found find(String id) {
        for (Found f : devices()) {
            if (f.info().id().equals(id)) return f;
        }
        return null;
    }

    private static Discovery enumerate() {
        String noLoader = IcdLoader.missing();
        if (noLoader != null) return new Discovery(List.of(), noLoader);
        List<Found> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        cl_platform_id[] platforms;
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            clGetPlatformIDs(0, null, n);
            if (n[0] == 0) return new Discovery(List.of(), "no OpenCL platform (no ICD in /etc/OpenCL/vendors)");
            platforms = new cl_platform_id[n[0]];
            clGetPlatformIDs(n[0], platforms, null);
        } catch (CLException e) {
            return new Discovery(List.of(), "no OpenCL platform: clGetPlatformIDs failed with "
                    + CL.stringFor_errorCode(e.getStatus()) + " (no ICD in /etc/OpenCL/vendors?)");
        } catch (LinkageError e) {
            return new Discovery(List.of(), "OpenCL is not available (libOpenCL.so.1 / JOCL natives): " + e.getMessage());
        }
        for (int p = 0; p < platforms.length; p++) {
            try {
                String platform = platformString(platforms[p], CL_PLATFORM_NAME) + " ("
                        + platformString(platforms[p], CL_PLATFORM_VERSION) + ")";
                int[] n = new int[1];
                clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, n);
                cl_device_id[] devs = new cl_device_id[n[0]];
                clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, n[0], devs, null);
                for (int d = 0; d < devs.length; d++) {
                    out.add(describe("opencl:" + p + ":" + d, platforms[p], platform, devs[d]));
                }
            } catch (CLException e) {
                problems.add("platform " + p + ": " + CL.stringFor_errorCode(e.getStatus()));
            }
        }
        String reason = out.isEmpty() ? "no OpenCL device on " + platforms.length + " platform(s)" : "";
        if (!problems.isEmpty()) reason = (reason.isEmpty() ? "" : reason + "; ") + "skipped " + problems;
        return new Discovery(List.copyOf(out), reason);
    }

    private static Found describe(String id, cl_platform_id platform, String platformName, cl_device_id dev) {
        long type = deviceLong(dev, CL_DEVICE_TYPE);
        String typeName = (type & CL_DEVICE_TYPE_GPU) != 0 ? "GPU"
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "CPU";
        String ext = deviceString(dev, CL_DEVICE_EXTENSIONS);
        boolean fp64 = ext.contains("cl_khr_fp64") || doubleConfig(dev) != 0;
        boolean fp16 = ext.contains("cl_khr_fp16");
        long maxAlloc = deviceLong(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        String details = deviceString(dev, CL_DEVICE_VENDOR) + ", " + deviceString(dev, CL_DEVICE_VERSION)
                + ", driver " + deviceString(dev, CL_DRIVER_VERSION) + ", max allocation "
                + (maxAlloc >> 20) + " MiB";
        DeviceInfo info = new DeviceInfo(id, "OPENCL", platformName, deviceString(dev, CL_DEVICE_NAME), typeName,
                deviceInt(dev, CL_DEVICE_MAX_COMPUTE_UNITS), deviceLong(dev, CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(dev, CL_DEVICE_LOCAL_MEM_SIZE), deviceSize(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceString(dev, CL_DEVICE_OPENCL_C_VERSION), fp64, fp16, details);
        return new Found(platform, dev, info, maxAlloc);
    }

    /** CL_DEVICE_DOUBLE_FP_CONFIG; some 1.1-era drivers reject the query (then: no fp64). */
    private static long doubleConfig(cl_device_id dev) {
        try {
            return deviceLong(dev, CL_DEVICE_DOUBLE_FP_CONFIG);
        } catch (CLException e) {
            return 0;
        }
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    /** cl_ulong and cl_bitfield values. */
    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    /** size_t values (JOCL's Sizeof.size_t is the native width). */
    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }
}
