package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Slice;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument list of one kernel, in the order of the kernel's parameters, independent of the
 * backend that sets it (OpenCL's clSetKernelArg, CUDA's parameter array). The convention of every
 * {@code tasks/*.cl} kernel: each buffer is two parameters, {@code global T* X, int X_off} (the
 * slice's element offset; the kernel starts with {@code X += X_off}), then int and float scalars.
 * {@link #signature} appends a call's buffers, ints and floats in the op's catalog order, which is
 * the whole argument list of a kernel that follows the op's signature.
 */
public final class KernelArgs {
    /** One argument as the binder gave it; a buffer or scratch stands for two kernel parameters (pointer, offset). */
    public sealed interface Arg permits SliceArg, ScratchArg, IntArg, FloatArg {
        String what();

        /** Kernel parameters this argument fills. */
        default int parameters() {
            return this instanceof SliceArg || this instanceof ScratchArg ? 2 : 1;
        }
    }

    public record SliceArg(Slice slice) implements Arg {
        public String what() {
            return slice.toString();
        }
    }

    public record ScratchArg(Scratch scratch) implements Arg {
        public String what() {
            return scratch.toString();
        }
    }

    public record IntArg(int value) implements Arg {
        public String what() {
            return "int " + value;
        }
    }

    public record FloatArg(float value) implements Arg {
        public String what() {
            return "float " + value;
        }
    }

    private final List<Arg> args = new ArrayList<>();

    /** A slice: its array's buffer, then its offset. */
    public KernelArgs buffer(Slice s) {
        args.add(new SliceArg(s));
        return this;
    }

    /** A scratch buffer (offset 0 is passed too, so it looks like any other buffer to the kernel). */
    public KernelArgs buffer(Scratch s) {
        args.add(new ScratchArg(s));
        return this;
    }

    public KernelArgs i(int v) {
        args.add(new IntArg(v));
        return this;
    }

    public KernelArgs f(float v) {
        args.add(new FloatArg(v));
        return this;
    }

    /** Buffers {@code from..to-1} of the call (each with its offset), in order. */
    public KernelArgs buffers(KernelCall c, int from, int to) {
        for (int k = from; k < to; k++) buffer(c.buffer(k));
        return this;
    }

    /** All the call's ints, in the op's order. */
    public KernelArgs ints(KernelCall c) {
        for (int v : c.ints()) i(v);
        return this;
    }

    /** All the call's floats, in the op's order. */
    public KernelArgs floats(KernelCall c) {
        for (float v : c.floats()) f(v);
        return this;
    }

    /** The op's whole signature: every buffer (with offset), then every int, then every float. */
    public KernelArgs signature(KernelCall c) {
        return buffers(c, 0, c.buffers().size()).ints(c).floats(c);
    }

    public List<Arg> list() {
        return List.copyOf(args);
    }

    /** Kernel parameters the arguments fill. */
    public int parameters() {
        return args.stream().mapToInt(Arg::parameters).sum();
    }
}
