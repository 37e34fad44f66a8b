package dev.multimax.device.cuda;

import static jcuda.driver.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK;
import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuFuncGetAttribute;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelException;
import dev.multimax.device.KernelTime;
import dev.multimax.device.kernels.KernelBuild;
import dev.multimax.device.kernels.PrebuiltKernels;
import dev.multimax.device.opencl.BindContext;
import dev.multimax.device.opencl.Binders;
import dev.multimax.device.opencl.Bound;
import dev.multimax.device.opencl.KernelArgs;
import dev.multimax.device.opencl.KernelBackend;
import dev.multimax.device.opencl.Launch;
import dev.multimax.device.opencl.NdRange;
import dev.multimax.device.opencl.OpBinder;
import dev.multimax.device.opencl.Scratch;
import dev.multimax.device.opencl.Tuning;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * {@code cuda:N}: an NVIDIA GPU through the CUDA driver API. The binders are the OpenCL device's
 * ({@link Binders}, the GPU tuning): the same kernels, options and launch geometry, loaded from the
 * PTX the jar ships ({@code cuModuleLoadData}, which the driver JIT-compiles for the GPU) and run
 * with {@code cuLaunchKernel} (grid = global / local, block = local, no dynamic shared memory).
 * Device memory is one {@code cuMemAlloc} per {@link DeviceArray}; timed launches use CUDA events.
 * Launches are asynchronous on the default stream, in order; a copy to the host waits for them.
 *
 * <p><b>This class has not run on GPU hardware yet</b>: no session has been lent one. What can be
 * checked without a GPU is: every launch's arguments against the PTX entry it calls, and its grid
 * and block ({@code CudaLaunchPlanTest}), and the error messages.
 */
public final class CudaDevice implements Device, KernelBackend {
    private final DeviceInfo info;
    private final Tuning tuning;
    private final CUcontext context = new CUcontext();
    private final Map<DeviceArray, CUdeviceptr> memory = new IdentityHashMap<>();
    private final Map<KernelBuild, CUmodule> modules = new HashMap<>();
    private final Map<KernelBuild, PtxModule> signatures = new HashMap<>();
    private boolean closed;

    /** Opens {@code cuda:N}: a context on device N of the driver's list. */
    public static CudaDevice open(String id) {
        for (DeviceInfo d : CudaDevices.devices()) {
            if (d.id().equals(id)) return new CudaDevice(d, Integer.parseInt(id.substring("cuda:".length())));
        }
        throw new KernelException(CudaDevices.whyNot(id), null);
    }

    private CudaDevice(DeviceInfo info, int ordinal) {
        this.info = info;
        this.tuning = Tuning.forType(info);
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            CUdevice d = new CUdevice();
            cuDeviceGet(d, ordinal);
            cuCtxCreate(context, 0, d);
        } catch (CudaException e) {
            throw new KernelException(info.id() + " (" + info.name() + "): creating a CUDA context failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return info.id();
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public Tuning tuning() {
        return tuning;
    }

    private void current() {
        cuCtxSetCurrent(context);
    }

    @Override
    public synchronized long allocate(DeviceArray array) {
        if (memory.containsKey(array)) return 0;
        current();
        CUdeviceptr p = new CUdeviceptr();
        try {
            cuMemAlloc(p, Math.max(array.byteSize(), 4));
        } catch (CudaException e) {
            throw new KernelException(id() + ": allocating " + array + " (" + array.byteSize() + " bytes) failed: "
                    + e.getMessage(), e);
        }
        memory.put(array, p);
        return array.byteSize();
    }

    @Override
    public synchronized boolean isAllocated(DeviceArray array) {
        return memory.containsKey(array);
    }

    synchronized CUdeviceptr pointer(DeviceArray array) {
        CUdeviceptr p = memory.get(array);
        if (p == null) throw new IllegalStateException(array + " is not allocated on " + id());
        return p;
    }

    @Override
    public synchronized void copyIn(DeviceArray array) {
        allocate(array);
        current();
        Pointer host = array instanceof FloatArray f ? Pointer.to(f.host()) : Pointer.to(((IntArray) array).host());
        try {
            cuMemcpyHtoD(pointer(array), host, array.byteSize());
        } catch (CudaException e) {
            throw new KernelException(id() + ": copying " + array + " to the device failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void copyOut(DeviceArray array) {
        current();
        Pointer host = array instanceof FloatArray f ? Pointer.to(f.host()) : Pointer.to(((IntArray) array).host());
        try {
            cuMemcpyDtoH(host, pointer(array), array.byteSize()); // waits for the launches before it
        } catch (CudaException e) {
            throw new KernelException(id() + ": copying " + array + " to the host failed (a kernel before it may have "
                    + "failed): " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void free(DeviceArray array) {
        CUdeviceptr p = memory.remove(array);
        if (p != null) {
            current();
            cuMemFree(p);
        }
    }

    @Override
    public synchronized CompiledKernel compile(String taskName, KernelCall call) {
        OpBinder binder = Binders.forOp(call.op());
        if (binder == null) {
            throw new KernelException(id(), taskName, call.op(), "op " + call.op().kernelName() + " has no binder", null);
        }
        current();
        BindContext ctx = new BindContext(this, call);
        try {
            Bound bound = binder.bind(ctx, call);
            return new CudaKernel(taskName, call, bound, ctx);
        } catch (RuntimeException e) {
            ctx.releaseAll();
            throw new KernelException(id(), taskName, call.op(), String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public synchronized Launch launch(KernelBuild build, String kernelName, List<KernelArgs.Arg> args, int parameters,
                                      NdRange range, long[] compileNanos) {
        long t0 = System.nanoTime();
        byte[] ptx = PrebuiltKernels.file(build, PrebuiltKernels.PTX);
        String file = "kernels/ptx/" + build.stem() + ".ptx (tasks/" + build.family() + ".cl " + build.options() + ")";
        signatures.computeIfAbsent(build, b -> new PtxModule(new String(ptx, StandardCharsets.UTF_8))).check(kernelName, args, file);
        CUmodule module = modules.computeIfAbsent(build, b -> {
            CUmodule m = new CUmodule();
            cuModuleLoadData(m, java.util.Arrays.copyOf(ptx, ptx.length + 1)); // a C string for the driver
            return m;
        });
        CUfunction f = new CUfunction();
        cuModuleGetFunction(f, module, kernelName);
        int[] maxThreads = new int[1];
        cuFuncGetAttribute(maxThreads, CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, f);
        long[] local = range.fitLocal(maxThreads[0]);
        if (local == null) {
            throw new IllegalStateException(kernelName + ": block of " + java.util.Arrays.toString(range.local())
                    + " threads exceeds the kernel's limit of " + maxThreads[0] + " on " + id());
        }
        compileNanos[0] += System.nanoTime() - t0;
        return new Launch(kernelName, new CudaCall(f, parameters(args)), range.global(local), local);
    }

    /** A function and its parameter array (pointers to each parameter's value), as cuLaunchKernel takes them. */
    record CudaCall(CUfunction function, Pointer parameters) {
    }

    private Pointer parameters(List<KernelArgs.Arg> args) {
        List<Pointer> p = new ArrayList<>();
        for (KernelArgs.Arg a : args) {
            if (a instanceof KernelArgs.SliceArg s) {
                p.add(Pointer.to(pointer(s.slice().array())));
                p.add(Pointer.to(new int[] {s.slice().offset()}));
            } else if (a instanceof KernelArgs.ScratchArg s) {
                p.add(Pointer.to((CUdeviceptr) s.scratch().memory()));
                p.add(Pointer.to(new int[] {0}));
            } else if (a instanceof KernelArgs.IntArg v) {
                p.add(Pointer.to(new int[] {v.value()}));
            } else {
                p.add(Pointer.to(new float[] {((KernelArgs.FloatArg) a).value()}));
            }
        }
        return Pointer.to(p.toArray(new Pointer[0]));
    }

    @Override
    public synchronized Scratch scratch(String name, long bytes) {
        current();
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, bytes);
        return new Scratch(name, p, bytes);
    }

    @Override
    public synchronized void release(List<Launch> launches, List<Scratch> scratch) {
        current();
        for (Scratch s : scratch) cuMemFree((CUdeviceptr) s.memory());
    }

    /** A bound op: its launches in order on the default stream; timed launches bracketed by events. */
    private final class CudaKernel implements CompiledKernel {
        private final String taskName;
        private final KernelCall call;
        private final Bound bound;
        private final BindContext owned;

        CudaKernel(String taskName, KernelCall call, Bound bound, BindContext owned) {
            this.taskName = taskName;
            this.call = call;
            this.bound = bound;
            this.owned = owned;
        }

        @Override
        public String variant() {
            return bound.variant();
        }

        @Override
        public long compileNanos() {
            return owned.compileNanos();
        }

        @Override
        public KernelTime launch(boolean timed) {
            synchronized (CudaDevice.this) {
                current();
                CUevent start = null;
                CUevent end = null;
                try {
                    if (timed) {
                        start = new CUevent();
                        end = new CUevent();
                        cuEventCreate(start, 0);
                        cuEventCreate(end, 0);
                        cuEventRecord(start, null);
                    }
                    for (Launch l : bound.launches()) {
                        CudaCall c = (CudaCall) l.handle();
                        int[][] gb = PtxModule.gridAndBlock(l.global(), l.local());
                        cuLaunchKernel(c.function(), gb[0][0], gb[0][1], gb[0][2], gb[1][0], gb[1][1], gb[1][2], 0, null,
                                c.parameters(), null);
                    }
                    if (!timed) return KernelTime.NONE;
                    cuEventRecord(end, null);
                    cuEventSynchronize(end);
                    float[] ms = new float[1];
                    cuEventElapsedTime(ms, start, end);
                    long ns = Math.round(ms[0] * 1e6);
                    return new KernelTime(ns, ns);
                } catch (CudaException e) {
                    throw new KernelException(id(), taskName, call.op(), "launching " + bound.launches().stream()
                            .map(Launch::kernelName).toList() + " failed: " + e.getMessage(), e);
                } finally {
                    if (start != null) cuEventDestroy(start);
                    if (end != null) cuEventDestroy(end);
                }
            }
        }

        @Override
        public void release() {
            synchronized (CudaDevice.this) {
                owned.releaseAll();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            current();
            cuCtxSynchronize();
        } finally {
            for (CUdeviceptr p : memory.values()) cuMemFree(p);
            memory.clear();
            for (CUmodule m : modules.values()) cuModuleUnload(m);
            modules.clear();
            cuCtxDestroy(context);
        }
    }
}
