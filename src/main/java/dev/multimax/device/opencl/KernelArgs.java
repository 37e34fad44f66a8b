package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Slice;
import java.util.ArrayList;
import java.util.List;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * The argument list of one kernel, in the order of the kernel's parameters. The convention of
 * every {@code tasks/*.cl} kernel: each buffer is two parameters, {@code global T* X, int X_off}
 * (the slice's element offset; the kernel starts with {@code X += X_off}), then int and float
 * scalars. {@link #signature} appends a call's buffers, ints and floats in the op's catalog order,
 * which is the whole argument list of a kernel that follows the op's signature.
 */
public final class KernelArgs {
    /** One {@code clSetKernelArg}: size and pointer. */
    record Arg(long size, Pointer value, String what) {
    }

    private final OpenClDevice device;
    private final List<Arg> args = new ArrayList<>();

    KernelArgs(OpenClDevice device) {
        this.device = device;
    }

    /** A slice: its array's buffer, then its offset as an int. */
    public KernelArgs buffer(Slice s) {
        cl_mem mem = device.memory(s.array());
        args.add(new Arg(Sizeof.cl_mem, Pointer.to(mem), s.toString()));
        return i(s.offset());
    }

    /** A scratch buffer (offset 0 is passed too, so it looks like any other buffer to the kernel). */
    public KernelArgs buffer(Scratch s) {
        args.add(new Arg(Sizeof.cl_mem, Pointer.to(s.mem()), s.toString()));
        return i(0);
    }

    public KernelArgs i(int v) {
        args.add(new Arg(Sizeof.cl_int, Pointer.to(new int[] {v}), "int " + v));
        return this;
    }

    public KernelArgs f(float v) {
        args.add(new Arg(Sizeof.cl_float, Pointer.to(new float[] {v}), "float " + v));
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

    List<Arg> list() {
        return args;
    }
}
