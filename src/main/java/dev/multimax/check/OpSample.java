package dev.multimax.check;

import dev.multimax.device.DeviceArray;
import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One random case of one op: its int and float arguments and the contents of every buffer, in
 * signature order ({@code out} buffers included, as what surrounds their slice). Each buffer sits
 * inside a larger array at its own offset ({@link #offset}: a different one per buffer), with
 * {@link #PAD} elements after it, so that a kernel that ignores offsets, takes one buffer's offset
 * for another's, or writes past its slice is caught.
 */
public record OpSample(Op op, String shape, int[] ints, float[] floats, List<Object> data) {
    /** Elements after every slice, and before the first. */
    public static final int PAD = 3;

    /** Where buffer {@code k}'s slice starts in its array. */
    public static int offset(int k) {
        return PAD + k;
    }

    /** Fresh device arrays holding the data, {@code out} slices filled with NaN; the padding keeps its values. */
    public List<DeviceArray> arrays() {
        List<DeviceArray> arrays = new ArrayList<>();
        for (int k = 0; k < data.size(); k++) {
            String name = op.buffers().get(k).name();
            Object d = data.get(k);
            if (d instanceof int[] v) {
                IntArray a = new IntArray(name, offset(k) + v.length + PAD);
                Arrays.fill(a.host(), -7);
                System.arraycopy(v, 0, a.host(), offset(k), v.length);
                arrays.add(a);
            } else {
                float[] v = (float[]) d;
                FloatArray a = new FloatArray(name, offset(k) + v.length + PAD);
                for (int i = 0; i < a.length(); i++) a.host()[i] = 0.25f + i % 7; // padding: must survive
                if (op.buffers().get(k).role() == Op.Role.OUT) {
                    Arrays.fill(a.host(), offset(k), offset(k) + v.length, Float.NaN);
                } else {
                    System.arraycopy(v, 0, a.host(), offset(k), v.length);
                }
                arrays.add(a);
            }
        }
        return arrays;
    }

    /** The call on {@code arrays} (from {@link #arrays()}): each buffer is the slice at its offset. */
    public KernelCall call(List<DeviceArray> arrays) {
        List<Slice> slices = new ArrayList<>();
        for (int k = 0; k < arrays.size(); k++) {
            DeviceArray a = arrays.get(k);
            slices.add(new Slice(a, offset(k), a.length() - offset(k) - PAD));
        }
        return new KernelCall(op, slices, ints, floats);
    }

    /** {@code B=3 N=17 H=2 Dh=12}, or the case's own label. */
    public static String describe(Op op, int[] ints) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < ints.length; i++) {
            if (i > 0) s.append(' ');
            s.append(op.intNames().get(i)).append('=').append(ints[i]);
        }
        return s.toString();
    }
}
