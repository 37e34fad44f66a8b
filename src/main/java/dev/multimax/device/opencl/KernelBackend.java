package dev.multimax.device.opencl;

import dev.multimax.device.DeviceInfo;
import dev.multimax.device.kernels.KernelBuild;
import java.util.List;

/**
 * What the binders' launches are made of on one kind of device: the OpenCL device builds programs
 * from source (or its SPIR-V modules) and sets kernel arguments; a CUDA device loads the shipped PTX
 * and fills a parameter array. The binders themselves ({@link OpBinder}) are shared: one choice of
 * kernels, options and launch geometry per tuning, whatever runs it.
 */
public interface KernelBackend {
    DeviceInfo info();

    Tuning tuning();

    /**
     * The launch of {@code kernelName} from program {@code build}, its arguments set, sized for
     * {@code range}; {@code compileNanos} receives the time spent building programs. Throws
     * {@link IllegalStateException} naming the kernel when it is missing, takes other parameters or
     * a larger work-group than the device allows.
     */
    Launch launch(KernelBuild build, String kernelName, List<KernelArgs.Arg> args, int parameters, NdRange range,
                  long[] compileNanos);

    /** A device buffer of {@code bytes} for one task's own use. */
    Scratch scratch(String name, long bytes);

    /** Releases what {@link #launch} and {@link #scratch} created. */
    void release(List<Launch> launches, List<Scratch> scratch);
}
