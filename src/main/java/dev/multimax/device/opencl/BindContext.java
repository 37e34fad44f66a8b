package dev.multimax.device.opencl;

import dev.multimax.device.DeviceInfo;
import dev.multimax.device.KernelCall;
import dev.multimax.device.kernels.KernelBuild;
import java.util.ArrayList;
import java.util.List;

/**
 * What a binder works with while binding one task: the device's type and tuning, launches of the
 * op's family's kernels ({@code tasks/<family>.cl} built with the binder's options) with their
 * arguments set, and scratch buffers. The device's {@link KernelBackend} makes them; everything
 * created belongs to the compiled kernel and is released with it.
 */
public final class BindContext {
    /** Options every OpenCL program is built with; binders append -D defines for tunables. */
    public static final String BASE_OPTIONS = "-cl-std=CL1.2";

    private final KernelBackend backend;
    private final KernelCall call;
    private final List<Launch> launches = new ArrayList<>();
    private final List<Scratch> scratch = new ArrayList<>();
    private final long[] compileNanos = new long[1];
    private final List<KernelBuild> builds = new ArrayList<>();

    public BindContext(KernelBackend backend, KernelCall call) {
        this.backend = backend;
        this.call = call;
    }

    public DeviceInfo info() {
        return backend.info();
    }

    public boolean isGpu() {
        return info().type().equals("GPU");
    }

    public Tuning tuning() {
        return backend.tuning();
    }

    /** A new, empty argument list. */
    public KernelArgs args() {
        return new KernelArgs();
    }

    /** A launch of {@code kernelName} from the op's family file, built with no extra options. */
    public Launch launch(String kernelName, KernelArgs args, NdRange range) {
        return launch(kernelName, "", args, range);
    }

    /** As {@link #launch(String, KernelArgs, NdRange)}, the program built with extra options (e.g. {@code -DTILE=8}). */
    public Launch launch(String kernelName, String extraOptions, KernelArgs args, NdRange range) {
        KernelBuild build = new KernelBuild(call.op().family(), extraOptions.strip());
        builds.add(build);
        Launch l = backend.launch(build, kernelName, args.list(), args.parameters(), range, compileNanos);
        launches.add(l);
        return l;
    }

    /** A device buffer of {@code bytes} owned by this task's kernel (partials, per-launch constants). */
    public Scratch scratch(String name, long bytes) {
        Scratch s = backend.scratch(name, Math.max(bytes, 4));
        scratch.add(s);
        return s;
    }

    /** The bound op; its variant string is {@code <kind>/<detail>}, e.g. {@code cpu/wg256}. */
    public Bound bound(String detail, Launch... launches) {
        return new Bound(tuning().kind() + "/" + detail, List.of(launches));
    }

    /** The programs this binding asked for. */
    public List<KernelBuild> builds() {
        return List.copyOf(builds);
    }

    public long compileNanos() {
        return compileNanos[0];
    }

    /** Releases what was created (binding failed, or the kernel is released). */
    public void releaseAll() {
        backend.release(launches, scratch);
        launches.clear();
        scratch.clear();
    }
}
