package dev.multimax.device.opencl;

import static org.jocl.CL.CL_KERNEL_NUM_ARGS;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clGetKernelInfo;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clSetKernelArg;

import dev.multimax.device.kernels.KernelBuild;
import dev.multimax.device.kernels.KernelSources;
import dev.multimax.device.kernels.PrebuiltKernels;
import java.util.Arrays;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * OpenCL's launches: the program (from source through the program cache, or from the shipped SPIR-V
 * module on an {@code opencl:P:D/spirv} device), the kernel object with every argument set by
 * clSetKernelArg, and the work-group size checked against the kernel's limit.
 */
final class ClLaunches {
    private ClLaunches() {
    }

    static Launch create(OpenClDevice device, KernelBuild build, String kernelName, List<KernelArgs.Arg> args,
                         int parameters, NdRange range, long[] compileNanos) {
        String family = build.family();
        String options = build.options().isEmpty() ? BindContext.BASE_OPTIONS : BindContext.BASE_OPTIONS + " " + build.options();
        ClContext.Program p = switch (device.programs()) {
            case SPIRV -> spirvProgram(device, build);
            case PTX -> ptxProgram(device, build);
            case SOURCE -> device.context().program(KernelSources.file(family), KernelSources.source(family), options);
        };
        compileNanos[0] += p.buildNanos();
        cl_kernel k;
        try {
            k = clCreateKernel(p.handle(), kernelName, null);
        } catch (CLException e) {
            throw new IllegalStateException("no kernel '" + kernelName + "' in " + p.file() + " ("
                    + CL.stringFor_errorCode(e.getStatus()) + ")", e);
        }
        try {
            setArguments(device, k, kernelName, p.file(), args, parameters);
            long[] maxGroup = new long[1];
            clGetKernelWorkGroupInfo(k, device.context().device(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                    Pointer.to(maxGroup), null);
            long[] local = range.fitLocal(maxGroup[0]);
            if (local == null) {
                throw new IllegalStateException(kernelName + ": work-group " + Arrays.toString(range.local())
                        + " exceeds the kernel's limit of " + maxGroup[0] + " on " + device.id());
            }
            return new Launch(kernelName, k, range.global(local), local);
        } catch (RuntimeException e) {
            clReleaseKernel(k);
            throw e;
        }
    }

    private static void setArguments(OpenClDevice device, cl_kernel k, String kernelName, String file,
                                     List<KernelArgs.Arg> args, int parameters) {
        int[] n = new int[1];
        clGetKernelInfo(k, CL_KERNEL_NUM_ARGS, Sizeof.cl_uint, Pointer.to(n), null);
        if (n[0] != parameters) {
            throw new IllegalStateException(kernelName + " in " + file + " takes " + n[0] + " arguments, the binder passed "
                    + parameters + " " + args.stream().map(KernelArgs.Arg::what).toList());
        }
        int i = 0;
        for (KernelArgs.Arg a : args) {
            try {
                if (a instanceof KernelArgs.SliceArg s) {
                    clSetKernelArg(k, i++, Sizeof.cl_mem, Pointer.to(device.memory(s.slice().array())));
                    clSetKernelArg(k, i++, Sizeof.cl_int, Pointer.to(new int[] {s.slice().offset()}));
                } else if (a instanceof KernelArgs.ScratchArg s) {
                    clSetKernelArg(k, i++, Sizeof.cl_mem, Pointer.to((cl_mem) s.scratch().memory()));
                    clSetKernelArg(k, i++, Sizeof.cl_int, Pointer.to(new int[] {0}));
                } else if (a instanceof KernelArgs.IntArg v) {
                    clSetKernelArg(k, i++, Sizeof.cl_int, Pointer.to(new int[] {v.value()}));
                } else {
                    clSetKernelArg(k, i++, Sizeof.cl_float, Pointer.to(new float[] {((KernelArgs.FloatArg) a).value()}));
                }
            } catch (CLException e) {
                throw new IllegalStateException(kernelName + " argument " + (i - 1) + " (" + a.what() + "): "
                        + CL.stringFor_errorCode(e.getStatus()), e);
            }
        }
    }

    /**
     * The program of {@code build} from the PTX the jar ships, on NVIDIA's OpenCL driver, which takes
     * PTX as a program binary (the same modules a cuda:N device loads). Other drivers are refused.
     */
    private static ClContext.Program ptxProgram(OpenClDevice device, KernelBuild build) {
        String base = device.info().id();
        if (!(device.info().platform() + " " + device.info().name()).toLowerCase(java.util.Locale.ROOT).contains("nvidia")) {
            throw new IllegalStateException(base + " (" + device.info().name() + ") is not an NVIDIA OpenCL device: only NVIDIA's "
                    + "driver takes PTX as a program binary; run it as " + base);
        }
        byte[] ptx;
        try {
            ptx = PrebuiltKernels.file(build, PrebuiltKernels.PTX);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(base + OpenClDevice.PTX_SUFFIX + ": " + e.getMessage(), e);
        }
        byte[] terminated = java.util.Arrays.copyOf(ptx, ptx.length + 1); // the driver reads it as a C string
        return device.context().binaryProgram("kernels/ptx/" + build.stem() + ".ptx (PTX of tasks/" + build.family() + ".cl)",
                terminated, "");
    }

    /**
     * The program of {@code build} from the SPIR-V module the jar ships: through
     * clCreateProgramWithIL where the device reports SPIR-V in CL_DEVICE_IL_VERSION ({@link SpirvIl});
     * else, on OpenCL 1.2 drivers with {@code cl_khr_spir} (PoCL 3.1, which takes no SPIR-V), the module
     * translated back to SPIR 1.2 bitcode, so they run the module's code, not the source's. A driver
     * with neither is an error saying so.
     */
    private static ClContext.Program spirvProgram(OpenClDevice device, KernelBuild build) {
        String base = device.info().id();
        boolean il = device.ilVersion().contains("SPIR-V");
        if (!il && !device.hasExtension("cl_khr_spir")) {
            throw new IllegalStateException(base + " (" + device.info().name() + ") takes neither SPIR-V (CL_DEVICE_IL_VERSION '"
                    + device.ilVersion() + "') nor SPIR bitcode (no cl_khr_spir): run it as " + base + " without "
                    + OpenClDevice.SPIRV_SUFFIX);
        }
        try {
            if (il) {
                return device.context().ilProgram("kernels/spirv/" + build.stem() + ".spv (SPIR-V module of tasks/"
                        + build.family() + ".cl)", PrebuiltKernels.file(build, PrebuiltKernels.SPIRV));
            }
            return device.context().binaryProgram("kernels/spir/" + build.stem() + ".bc (SPIR-V module of tasks/"
                    + build.family() + ".cl)", PrebuiltKernels.file(build, PrebuiltKernels.SPIR), "-x spir -spir-std=1.2");
        } catch (IllegalStateException e) {
            throw new IllegalStateException(base + OpenClDevice.SPIRV_SUFFIX + ": " + e.getMessage(), e);
        }
    }
}
