package dev.multimax.device.ref;

import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import java.util.Arrays;
import java.util.List;

/**
 * One launch's buffers: each float buffer as a float64 copy of its slice ({@code out} buffers
 * filled with a marked NaN, and checked after the kernel: an element it forgets is an error, not
 * a silent zero), int buffers as they are. After the kernel, {@link #writeBack} rounds the written
 * buffers to float into device memory, once.
 */
final class RefArgs {
    /** A NaN no arithmetic produces: what an {@code out} element holds until its kernel writes it. */
    private static final double UNWRITTEN = Double.longBitsToDouble(0x7ff80000deadbeefL);

    private final RefDevice device;
    private final KernelCall call;
    private final Object[] values;

    RefArgs(RefDevice device, KernelCall call) {
        this.device = device;
        this.call = call;
        Op op = call.op();
        values = new Object[op.buffers().size()];
        for (int k = 0; k < values.length; k++) {
            Slice s = call.buffer(k);
            Op.Buffer spec = op.buffers().get(k);
            if (spec.isInt()) {
                int[] mem = device.ints((IntArray) s.array());
                values[k] = Arrays.copyOfRange(mem, s.offset(), s.offset() + s.count());
            } else {
                float[] mem = device.floats((FloatArray) s.array());
                double[] d = new double[s.count()];
                if (spec.role() == Op.Role.OUT) {
                    Arrays.fill(d, UNWRITTEN);
                } else {
                    for (int i = 0; i < d.length; i++) d[i] = mem[s.offset() + i];
                }
                values[k] = d;
            }
        }
    }

    /** Every buffer in signature order: {@code double[]} copies, {@code int[]} for int buffers. */
    List<Object> buffers() {
        return Arrays.asList(values);
    }

    private void requireWritten(String name, double[] d) {
        for (int i = 0; i < d.length; i++) {
            if (Double.doubleToRawLongBits(d[i]) == Double.doubleToRawLongBits(UNWRITTEN)) {
                throw new IllegalStateException("ref:0's " + call.op().kernelName() + " left " + name + "[" + i + "] of "
                        + d.length + " unwritten (a kernel bug, or a slice larger than the shape needs: " + call + ")");
            }
        }
    }

    void writeBack() {
        Op op = call.op();
        for (int k = 0; k < values.length; k++) {
            Op.Buffer spec = op.buffers().get(k);
            if (!spec.role().written() || spec.isInt()) continue;
            Slice s = call.buffer(k);
            float[] mem = device.floats((FloatArray) s.array());
            double[] d = (double[]) values[k];
            if (spec.role() == Op.Role.OUT) requireWritten(spec.name(), d);
            for (int i = 0; i < d.length; i++) mem[s.offset() + i] = (float) d[i];
        }
    }
}
