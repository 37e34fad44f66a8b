package dev.multimax.device.opencl;

import static org.jocl.CL.CL_KERNEL_NUM_ARGS;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clGetKernelInfo;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clSetKernelArg;

import dev.multimax.device.DeviceInfo;
import dev.multimax.device.KernelCall;
import dev.multimax.device.kernels.KernelBuild;
import dev.multimax.device.kernels.KernelSources;
import dev.multimax.device.kernels.PrebuiltKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

/**
 * What a binder works with while binding one task: the device's type and tuning, programs of the
 * op's family ({@code tasks/<family>.cl}, built through the program cache), kernel objects with
 * their arguments set, and scratch buffers. Everything it creates belongs to the compiled kernel
 * and is released with it.
 */
public final class BindContext {
    /** Options every program is built with; binders append -D defines for tunables. */
    public static final String BASE_OPTIONS = "-cl-std=CL1.2";

    private final OpenClDevice device;
    private final KernelCall call;
    private final List<cl_kernel> kernels = new ArrayList<>();
    private final List<Scratch> scratch = new ArrayList<>();
    private long compileNanos;

    BindContext(OpenClDevice device, KernelCall call) {
        this.device = device;
        this.call = call;
    }

    public DeviceInfo info() {
        return device.info();
    }

    public boolean isGpu() {
        return info().type().equals("GPU");
    }

    public Tuning tuning() {
        return device.tuning();
    }

    /** A new, empty argument list. */
    public KernelArgs args() {
        return new KernelArgs(device);
    }

    /** A launch of {@code kernelName} from the op's family file, built with {@link #BASE_OPTIONS}. */
    public Launch launch(String kernelName, KernelArgs args, NdRange range) {
        return launch(kernelName, "", args, range);
    }

    /** As {@link #launch(String, KernelArgs, NdRange)}, the program built with extra options (e.g. {@code -DTILE=8}). */
    public Launch launch(String kernelName, String extraOptions, KernelArgs args, NdRange range) {
        String family = call.op().family();
        String options = extraOptions.isBlank() ? BASE_OPTIONS : BASE_OPTIONS + " " + extraOptions.strip();
        KernelBuild build = new KernelBuild(family, extraOptions.strip());
        device.noteBuild(build);
        ClContext.Program p = device.fromSpirv() ? spirvProgram(build)
                : device.context().program(KernelSources.file(family), KernelSources.source(family), options);
        compileNanos += p.buildNanos();
        cl_kernel k;
        try {
            k = clCreateKernel(p.handle(), kernelName, null);
        } catch (CLException e) {
            throw new IllegalStateException("no kernel '" + kernelName + "' in " + p.file() + " ("
                    + CL.stringFor_errorCode(e.getStatus()) + ")", e);
        }
        kernels.add(k);
        List<KernelArgs.Arg> list = args.list();
        int[] n = new int[1];
        clGetKernelInfo(k, CL_KERNEL_NUM_ARGS, Sizeof.cl_uint, Pointer.to(n), null);
        if (n[0] != list.size()) {
            throw new IllegalStateException(kernelName + " in " + p.file() + " takes " + n[0] + " arguments, the binder passed "
                    + list.size() + " " + list.stream().map(KernelArgs.Arg::what).toList());
        }
        for (int i = 0; i < list.size(); i++) {
            KernelArgs.Arg a = list.get(i);
            try {
                clSetKernelArg(k, i, a.size(), a.value());
            } catch (CLException e) {
                throw new IllegalStateException(kernelName + " argument " + i + " (" + a.what() + "): "
                        + CL.stringFor_errorCode(e.getStatus()), e);
            }
        }
        long[] maxGroup = new long[1];
        clGetKernelWorkGroupInfo(k, device.context().device(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                Pointer.to(maxGroup), null);
        long[] local = range.fitLocal(maxGroup[0]);
        if (local == null) {
            throw new IllegalStateException(kernelName + ": work-group " + Arrays.toString(range.local())
                    + " exceeds the kernel's limit of " + maxGroup[0] + " on " + device.id());
        }
        return new Launch(kernelName, k, range.global(local), local);
    }

    /** A device buffer of {@code bytes} owned by this task's kernel (partials, per-launch constants). */
    public Scratch scratch(String name, long bytes) {
        Scratch s = new Scratch(name, device.createBuffer(Math.max(bytes, 4)), bytes);
        scratch.add(s);
        return s;
    }

    /**
     * The program of {@code build} from the SPIR-V module the jar ships. OpenCL 1.2 drivers with
     * {@code cl_khr_spir} (PoCL 3.1, which takes no SPIR-V) get the module translated back to SPIR 1.2
     * bitcode, so they run the module's code, not the source's. A driver with neither SPIR nor the
     * IL entry point (not bound by JOCL 2.0.6) is an error saying so.
     */
    private ClContext.Program spirvProgram(KernelBuild build) {
        String file = "kernels/spir/" + build.stem() + ".bc (SPIR-V module of tasks/" + build.family() + ".cl)";
        if (!device.hasExtension("cl_khr_spir")) {
            throw new IllegalStateException(info().id() + " (" + info().name() + ") does not take SPIR bitcode (no cl_khr_spir), "
                    + "and loading SPIR-V through clCreateProgramWithIL is not available (JOCL 2.0.6 lacks it): run it as "
                    + info().id() + " without " + OpenClDevice.SPIRV_SUFFIX);
        }
        byte[] bitcode;
        try {
            bitcode = PrebuiltKernels.file(build, PrebuiltKernels.SPIR);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(info().id() + OpenClDevice.SPIRV_SUFFIX + ": " + e.getMessage(), e);
        }
        return device.context().binaryProgram(file, bitcode, "-x spir -spir-std=1.2");
    }

    /** The bound op; its variant string is {@code <kind>/<detail>}, e.g. {@code cpu/wg256}. */
    public Bound bound(String detail, Launch... launches) {
        return new Bound(tuning().kind() + "/" + detail, List.of(launches));
    }

    long compileNanos() {
        return compileNanos;
    }

    List<Scratch> scratchBuffers() {
        return scratch;
    }

    List<cl_kernel> kernels() {
        return kernels;
    }

    /** Releases what was created (binding failed, or the kernel is released). */
    void releaseAll() {
        for (cl_kernel k : kernels) clReleaseKernel(k);
        kernels.clear();
        for (Scratch s : scratch) CL.clReleaseMemObject(s.mem());
        scratch.clear();
    }
}
