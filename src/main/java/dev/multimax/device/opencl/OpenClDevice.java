package dev.multimax.device.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseMemObject;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelException;
import dev.multimax.device.Op;
import dev.multimax.util.BadInput;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

/**
 * {@code opencl:P:D}: one OpenCL device through JOCL. One context (shared per physical device
 * with its program cache, see {@link ClContext}) and one in-order command queue with profiling.
 * Buffers are keyed by {@link DeviceArray} identity; copies are blocking; kernel launches are
 * enqueued without waiting unless timed (see {@link CompiledKernel#launch}).
 */
public final class OpenClDevice implements Device, KernelBackend {
    private final OpenClPlatforms.Found found;
    private final Tuning tuning;
    private final ClContext context;
    private final cl_command_queue queue;
    private final Map<DeviceArray, cl_mem> memory = new IdentityHashMap<>();
    private final Set<ClKernel> kernels = new LinkedHashSet<>();
    private boolean closed;
    private final Programs programs;
    private final java.util.Set<dev.multimax.device.kernels.KernelBuild> builds = new java.util.TreeSet<>();

    /** Opens {@code opencl:P:D}; an unknown id is a user error listing the OpenCL devices found. */
    public static OpenClDevice open(String id) {
        return open(id, null);
    }

    /**
     * Opens {@code opencl:P:D} with the given tuning table instead of its type's (null: by type, or
     * {@link Tuning#PROPERTY}); how tests run the GPU kernels on a CPU device.
     */
    public static OpenClDevice open(String id, Tuning tuning) {
        Programs form = Programs.of(id);
        String base = id.substring(0, id.length() - form.suffix.length());
        OpenClPlatforms.Found f = OpenClPlatforms.find(base);
        if (f == null) {
            List<String> ids = OpenClPlatforms.devices().stream().map(d -> d.info().id()).toList();
            throw new BadInput("unknown OpenCL device '" + id + "'; "
                    + (ids.isEmpty() ? OpenClPlatforms.reason() : "OpenCL devices: " + String.join(", ", ids)
                    + " (each also as ID" + SPIRV_SUFFIX + " or ID" + PTX_SUFFIX + ")"));
        }
        return new OpenClDevice(f, tuning, form);
    }

    /** {@code opencl:P:D/spirv}: the device building every program from the SPIR-V modules the jar ships. */
    public static final String SPIRV_SUFFIX = "/spirv";
    /** {@code opencl:P:D/ptx}: an NVIDIA OpenCL device building every program from the PTX the jar ships. */
    public static final String PTX_SUFFIX = "/ptx";

    /** Where a device's programs come from: the .cl sources, or the modules the build made of them. */
    public enum Programs {
        SOURCE(""), SPIRV(SPIRV_SUFFIX), PTX(PTX_SUFFIX);

        final String suffix;

        Programs(String suffix) {
            this.suffix = suffix;
        }

        static Programs of(String id) {
            if (id.endsWith(SPIRV_SUFFIX)) return SPIRV;
            if (id.endsWith(PTX_SUFFIX)) return PTX;
            return SOURCE;
        }
    }

    /** Whether {@code id} names an OpenCL device found here, with or without a program suffix. */
    public static boolean known(String id) {
        return OpenClPlatforms.find(id.substring(0, id.length() - Programs.of(id).suffix.length())) != null;
    }

    /** Whether OpenCL device {@code id} can run the shipped SPIR-V modules (IL version SPIR-V, or SPIR 1.2 bitcode: cl_khr_spir). */
    public static boolean takesSpirv(String id) {
        OpenClPlatforms.Found f = OpenClPlatforms.find(id);
        return f != null && (ilVersion(f).contains("SPIR-V") || extensions(f).contains("cl_khr_spir"));
    }

    /** CL_DEVICE_IL_VERSION, or "" where the driver predates OpenCL 2.1 or refuses the query. */
    private static String ilVersion(OpenClPlatforms.Found f) {
        try {
            return OpenClPlatforms.deviceString(f.device(), SpirvIl.CL_DEVICE_IL_VERSION);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** This device's CL_DEVICE_IL_VERSION ("" when none). */
    String ilVersion() {
        return ilVersion(found);
    }

    private static java.util.List<String> extensions(OpenClPlatforms.Found f) {
        return java.util.Arrays.asList(OpenClPlatforms.deviceString(f.device(), org.jocl.CL.CL_DEVICE_EXTENSIONS).split(" "));
    }

    /** Whether the device reports {@code extension} in CL_DEVICE_EXTENSIONS. */
    boolean hasExtension(String extension) {
        return extensions(found).contains(extension);
    }

    /** True when programs come from the shipped SPIR-V modules instead of the .cl sources. */
    public boolean fromSpirv() {
        return programs == Programs.SPIRV;
    }

    /** Where this device's programs come from. */
    public Programs programs() {
        return programs;
    }

    /** A device opened with one tuning for {@code check}; {@code name} is empty for the device's own. */
    public record Variant(String name, OpenClDevice device) {
    }

    /**
     * {@code id} opened once per kernel variant that {@code check} covers: its own tuning first, then
     * its row sums in fp32 (where they are fp64); on a device that is not a GPU, also the GPU kernels
     * forced onto it (as CI runs them on PoCL), with fp64 row sums and without, and with work-groups
     * of 4 items (rows much longer than the group: every item reduces several elements).
     */
    public static List<Variant> openCheckVariants(String id) {
        List<Variant> all = new java.util.ArrayList<>();
        OpenClDevice own = open(id);
        all.add(new Variant("", own));
        Tuning t = own.tuning;
        if (t.fp64() && own.info().fp64()) all.add(new Variant(t.kind() + " fp32", open(id, t.with(t.kind(), t.rowGroup(), false))));
        // (a /spirv id keeps its suffix: every variant then runs the shipped modules of its builds)
        if (!own.info().type().equals("GPU")) {
            all.add(new Variant("gpu", open(id, Tuning.GPU)));
            all.add(new Variant("gpu fp32", open(id, Tuning.GPU.with("gpu", Tuning.GPU.rowGroup(), false))));
            all.add(new Variant("gpu wg4", open(id, Tuning.GPU.with("gpu", 4, false))));
        }
        return all;
    }

    /** Every program this device's binders have asked for so far: what a kernel build list must hold. */
    public synchronized java.util.SortedSet<dev.multimax.device.kernels.KernelBuild> buildsUsed() {
        return new java.util.TreeSet<>(builds);
    }

    OpenClDevice(OpenClPlatforms.Found found) {
        this(found, null, Programs.SOURCE);
    }

    OpenClDevice(OpenClPlatforms.Found found, Tuning tuning) {
        this(found, tuning, Programs.SOURCE);
    }

    OpenClDevice(OpenClPlatforms.Found found, Tuning tuning, Programs programs) {
        this.found = found;
        this.programs = programs;
        this.tuning = tuning != null ? tuning : Tuning.of(found.info());
        this.context = ClContext.acquire(found);
        try {
            this.queue = clCreateCommandQueue(context.context(), found.device(), CL_QUEUE_PROFILING_ENABLE, null);
        } catch (CLException e) {
            context.release();
            throw new KernelException("opening " + found.info().id() + " (" + found.info().name()
                    + "): clCreateCommandQueue failed with " + CL.stringFor_errorCode(e.getStatus()), e);
        }
    }

    /** Ops that have no OpenCL kernel yet (compile() rejects them). */
    public static List<Op> unimplementedOps() {
        return Binders.missing();
    }

    @Override
    public String id() {
        return found.info().id() + programs.suffix;
    }

    @Override
    public DeviceInfo info() {
        DeviceInfo i = found.info();
        if (programs == Programs.SOURCE) return i;
        // profiles and tables name the device as it was asked for: opencl:P:D/spirv is not opencl:P:D
        return new DeviceInfo(id(), i.backend(), i.platform(), i.name(), i.type(), i.computeUnits(), i.globalMemoryBytes(),
                i.localMemoryBytes(), i.maxWorkGroupSize(), i.languageVersion(), i.fp64(), i.fp16(),
                i.details() + "; programs from the shipped " + (programs == Programs.SPIRV ? "SPIR-V modules" : "PTX"));
    }

    @Override
    public Tuning tuning() {
        return tuning;
    }

    /** The context and its program cache (public for tests and tools that build programs directly). */
    public ClContext context() {
        return context;
    }

    @Override
    public synchronized long allocate(DeviceArray array) {
        if (memory.containsKey(array)) return 0;
        if (array.byteSize() > found.maxAllocBytes()) {
            // what clCreateBuffer answers for a size over the limit; said up front, before the driver is asked
            throw new KernelException("device " + id() + ": allocating " + array + " (" + array.byteSize()
                    + " bytes) failed: CL_INVALID_BUFFER_SIZE (over CL_DEVICE_MAX_MEM_ALLOC_SIZE, "
                    + found.maxAllocBytes() + " bytes per buffer); try a smaller batch", null);
        }
        memory.put(array, createBuffer(array.byteSize(), array.toString()));
        return array.byteSize();
    }

    /** A read-write buffer; OpenCL rejects size 0, so empty arrays get 4 bytes. */
    cl_mem createBuffer(long bytes) {
        return createBuffer(bytes, "a scratch buffer");
    }

    private cl_mem createBuffer(long bytes, String what) {
        try {
            return clCreateBuffer(context.context(), CL_MEM_READ_WRITE, Math.max(bytes, 4), null, null);
        } catch (CLException e) {
            throw new KernelException("device " + id() + ": allocating " + what + " (" + bytes + " bytes) failed: "
                    + CL.stringFor_errorCode(e.getStatus()), e);
        }
    }

    @Override
    public synchronized boolean isAllocated(DeviceArray array) {
        return memory.containsKey(array);
    }

    synchronized cl_mem memory(DeviceArray array) {
        cl_mem m = memory.get(array);
        if (m == null) throw new IllegalStateException(array + " is not allocated on " + id());
        return m;
    }

    @Override
    public synchronized void copyIn(DeviceArray array) {
        allocate(array);
        if (array.length() == 0) return;
        Pointer host = array instanceof FloatArray f ? Pointer.to(f.host()) : Pointer.to(((IntArray) array).host());
        try {
            clEnqueueWriteBuffer(queue, memory(array), CL_TRUE, 0, array.byteSize(), host, 0, null, null);
        } catch (CLException e) {
            throw transferFailed("writing", array, e);
        }
    }

    @Override
    public synchronized void copyOut(DeviceArray array) {
        if (array.length() == 0) return;
        Pointer host = array instanceof FloatArray f ? Pointer.to(f.host()) : Pointer.to(((IntArray) array).host());
        try {
            clEnqueueReadBuffer(queue, memory(array), CL_TRUE, 0, array.byteSize(), host, 0, null, null);
        } catch (CLException e) {
            throw transferFailed("reading", array, e);
        }
    }

    /** Errors of earlier, unwaited launches surface at the next blocking call: say so. */
    private KernelException transferFailed(String what, DeviceArray array, CLException e) {
        return new KernelException("device " + id() + ": " + what + " " + array + " failed with " + CL.stringFor_errorCode(e.getStatus())
                + " (may come from an earlier kernel launch: run with the profiler to wait on each kernel)", e);
    }

    @Override
    public synchronized void free(DeviceArray array) {
        cl_mem m = memory.remove(array);
        if (m != null) clReleaseMemObject(m);
    }

    @Override
    public synchronized CompiledKernel compile(String taskName, KernelCall call) {
        OpBinder binder = Binders.forOp(call.op());
        if (binder == null) {
            throw new KernelException(id(), taskName, call.op(), "op " + call.op().kernelName()
                    + " is not implemented on " + id() + " yet", null);
        }
        BindContext ctx = new BindContext(this, call);
        try {
            Bound bound = binder.bind(ctx, call);
            for (dev.multimax.device.kernels.KernelBuild b : ctx.builds()) builds.add(b);
            ClKernel k = new ClKernel(this, taskName, call.op(), bound, ctx);
            kernels.add(k);
            return k;
        } catch (KernelException e) {
            ctx.releaseAll();
            throw new KernelException(id(), taskName, call.op(), e.getMessage(), e);
        } catch (CLException e) {
            ctx.releaseAll();
            throw new KernelException(id(), taskName, call.op(), CL.stringFor_errorCode(e.getStatus()), e);
        } catch (RuntimeException e) {
            ctx.releaseAll();
            throw new KernelException(id(), taskName, call.op(), String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public Launch launch(dev.multimax.device.kernels.KernelBuild build, String kernelName, List<KernelArgs.Arg> args,
                         int parameters, NdRange range, long[] compileNanos) {
        return ClLaunches.create(this, build, kernelName, args, parameters, range, compileNanos);
    }

    @Override
    public Scratch scratch(String name, long bytes) {
        return new Scratch(name, createBuffer(bytes), bytes);
    }

    @Override
    public void release(List<Launch> launches, List<Scratch> scratch) {
        for (Launch l : launches) org.jocl.CL.clReleaseKernel((org.jocl.cl_kernel) l.handle());
        for (Scratch s : scratch) clReleaseMemObject((cl_mem) s.memory());
    }

    cl_command_queue queue() {
        return queue;
    }

    synchronized void forget(ClKernel k) {
        kernels.remove(k);
    }

    /** Waits for the queue, then releases every kernel, scratch and array buffer, the queue and the context. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        CLException lost = null;
        try {
            clFinish(queue);
        } catch (CLException e) {
            lost = e; // e.g. CL_INVALID_COMMAND_QUEUE on a lost device: release what is ours, then say so
        } finally {
            for (ClKernel k : new ArrayList<>(kernels)) k.release();
            for (cl_mem m : memory.values()) clReleaseMemObject(m);
            memory.clear();
            try {
                clReleaseCommandQueue(queue);
            } catch (CLException e) {
                if (lost == null) lost = e;
            }
            context.release();
        }
        if (lost != null) {
            throw new KernelException("device " + id() + ": finishing its queue failed with "
                    + CL.stringFor_errorCode(lost.getStatus()) + " (an earlier kernel or copy failed, or the device was lost)",
                    lost);
        }
    }
}
