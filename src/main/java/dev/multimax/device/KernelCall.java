package dev.multimax.device;

import java.util.Arrays;
import java.util.List;

/** One op with its arguments, checked against the op's signature when built. */
public record KernelCall(Op op, List<Slice> buffers, int[] ints, float[] floats) {
    public KernelCall {
        buffers = List.copyOf(buffers);
        ints = ints.clone();
        floats = floats.clone();
        if (buffers.size() != op.bufferNames().size() || ints.length != op.intNames().size()
                || floats.length != op.floatNames().size()) {
            throw new IllegalArgumentException(op.kernelName() + " takes buffers " + op.bufferNames()
                    + ", ints " + op.intNames() + ", floats " + op.floatNames() + "; got " + buffers.size()
                    + " buffers, " + ints.length + " ints, " + floats.length + " floats");
        }
    }

    public Slice buffer(int i) {
        return buffers.get(i);
    }

    public int i(int index) {
        return ints[index];
    }

    public float f(int index) {
        return floats[index];
    }

    @Override
    public String toString() {
        return op.kernelName() + buffers + Arrays.toString(ints) + (floats.length > 0 ? Arrays.toString(floats) : "");
    }
}
