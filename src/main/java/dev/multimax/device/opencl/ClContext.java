package dev.multimax.device.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseProgram;

import dev.multimax.device.KernelException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/**
 * One OpenCL context per physical device, shared by every {@link OpenClDevice} opened on it in this
 * process (reference-counted), and the program cache that lives in it: programs are built once per
 * (source, build options, device) and reused until the last device on the context closes.
 */
public final class ClContext {
    private static final Map<String, ClContext> OPEN = new HashMap<>();

    /** A built program; {@code buildNanos} is the driver's build time (0 when this call hit the cache). */
    public record Program(String file, cl_program handle, long buildNanos) {
    }

    private record Key(String source, String options) {
    }

    private final String deviceId;
    private final String deviceName;
    private final cl_device_id device;
    private final cl_context context;
    private final Map<Key, cl_program> programs = new HashMap<>();
    private int references;
    private int builds;
    private int hits;

    private ClContext(OpenClPlatforms.Found found) {
        this.deviceId = found.info().id();
        this.deviceName = found.info().name();
        this.device = found.device();
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, found.platform());
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
    }

    static synchronized ClContext acquire(OpenClPlatforms.Found found) {
        ClContext c = OPEN.computeIfAbsent(found.info().id(), id -> new ClContext(found));
        c.references++;
        return c;
    }

    /** Drops one reference; the last one releases every cached program and the context. */
    void release() {
        synchronized (ClContext.class) {
            if (--references > 0) return;
            OPEN.remove(deviceId);
        }
        synchronized (this) {
            for (cl_program p : programs.values()) clReleaseProgram(p);
            programs.clear();
            clReleaseContext(context);
        }
    }

    cl_context context() {
        return context;
    }

    cl_device_id device() {
        return device;
    }

    /**
     * The program for {@code source} built with {@code options}, from the cache or built now.
     * {@code file} names the source in messages. A build failure throws {@link KernelException}
     * naming the file, the device, the options and the driver's build log; failures are not cached.
     */
    public synchronized Program program(String file, String source, String options) {
        Key key = new Key(source, options);
        cl_program cached = programs.get(key);
        if (cached != null) {
            hits++;
            return new Program(file, cached, 0);
        }
        long t0 = System.nanoTime();
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        return built(key, file, p, options, t0);
    }

    /**
     * The program of a prebuilt binary ({@code binary}: SPIR 1.2 bitcode, built with
     * {@code options} such as {@code -x spir -spir-std=1.2}), from the cache or built now; {@code file}
     * names it in messages. Failures are {@link KernelException}s with the build log, as for sources.
     */
    public synchronized Program binaryProgram(String file, byte[] binary, String options) {
        Key key = new Key("binary:" + file, options); // the file names the build: one per stem
        cl_program cached = programs.get(key);
        if (cached != null) {
            hits++;
            return new Program(file, cached, 0);
        }
        long t0 = System.nanoTime();
        int[] status = new int[1];
        cl_program p;
        try {
            p = org.jocl.CL.clCreateProgramWithBinary(context, 1, new cl_device_id[] {device}, new long[] {binary.length},
                    new byte[][] {binary}, status, null);
        } catch (CLException e) {
            throw new KernelException("loading " + file + " on " + deviceId + " (" + deviceName + ") failed: "
                    + CL.stringFor_errorCode(e.getStatus()), e);
        }
        return built(key, file, p, options, t0);
    }

    /** Builds {@code p} with {@code options} and caches it; a failure releases it and throws with the build log. */
    private Program built(Key key, String file, cl_program p, String options, long t0) {
        try {
            clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new KernelException("building " + file + " for " + deviceId + " (" + deviceName + ") with options '"
                    + options + "' failed: " + CL.stringFor_errorCode(e.getStatus()) + "; build log:\n" + log, e);
        }
        builds++;
        programs.put(key, p);
        return new Program(file, p, System.nanoTime() - t0);
    }

    /** The program of a SPIR-V module through clCreateProgramWithIL ({@link SpirvIl}), from the cache or built now. */
    public synchronized Program ilProgram(String file, byte[] spirv) {
        Key key = new Key("il:" + file, "");
        cl_program cached = programs.get(key);
        if (cached != null) {
            hits++;
            return new Program(file, cached, 0);
        }
        long t0 = System.nanoTime();
        cl_program p;
        try {
            p = SpirvIl.create(context, spirv);
        } catch (IllegalStateException e) {
            throw new KernelException("loading " + file + " on " + deviceId + " (" + deviceName + "): " + e.getMessage(), e);
        }
        return built(key, file, p, "", t0);
    }

    /** Programs built (cache misses) and cache hits so far on this context. */
    public synchronized int builds() {
        return builds;
    }

    public synchronized int hits() {
        return hits;
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
            int n = 0;
            while (n < b.length && b[n] != 0) n++;
            return new String(b, 0, n, StandardCharsets.UTF_8).strip();
        } catch (CLException e) {
            return "(no build log: " + CL.stringFor_errorCode(e.getStatus()) + ")";
        }
    }
}
