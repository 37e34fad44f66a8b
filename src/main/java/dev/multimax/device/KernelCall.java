package dev.multimax.device;

import java.util.Arrays;
import java.util.List;

/**
 * One op with its arguments, checked against the op's signature when built: the number of buffers,
 * ints and floats, and that every slice holds the elements its extent needs for these ints (a
 * kernel reads and writes by shape, so a short slice would reach into its neighbour's data).
 */
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
        for (int k = 0; k < buffers.size(); k++) {
            long need = op.extent(k, ints);
            if (buffers.get(k).count() < need) {
                throw new IllegalArgumentException(op.kernelName() + ": buffer " + op.bufferNames().get(k) + " = "
                        + buffers.get(k) + " holds " + buffers.get(k).count() + " elements, its extent "
                        + op.buffers().get(k).extent() + " needs " + need + " for " + Arrays.toString(ints));
            }
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
