package dev.multimax.device;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The devices that run in the JVM (java:0, ref:0): device memory is a separate Java array per
 * {@link DeviceArray}, keyed by identity, so that host and device copies differ until a transfer,
 * exactly as on an accelerator.
 */
public abstract class HeapDevice implements Device {
    private final Map<DeviceArray, Object> arrays = new IdentityHashMap<>();

    @Override
    public synchronized long allocate(DeviceArray array) {
        if (arrays.containsKey(array)) return 0;
        arrays.put(array, array instanceof FloatArray ? new float[array.length()] : new int[array.length()]);
        return array.byteSize();
    }

    @Override
    public synchronized boolean isAllocated(DeviceArray array) {
        return arrays.containsKey(array);
    }

    @Override
    public void copyIn(DeviceArray array) {
        allocate(array);
        if (array instanceof FloatArray f) {
            System.arraycopy(f.host(), 0, floats(f), 0, f.length());
        } else {
            IntArray i = (IntArray) array;
            System.arraycopy(i.host(), 0, ints(i), 0, i.length());
        }
    }

    @Override
    public void copyOut(DeviceArray array) {
        if (array instanceof FloatArray f) {
            System.arraycopy(floats(f), 0, f.host(), 0, f.length());
        } else {
            IntArray i = (IntArray) array;
            System.arraycopy(ints(i), 0, i.host(), 0, i.length());
        }
    }

    @Override
    public synchronized void free(DeviceArray array) {
        arrays.remove(array);
    }

    /** The device copy of a float array. */
    public synchronized float[] floats(FloatArray array) {
        return (float[]) resident(array);
    }

    public synchronized int[] ints(IntArray array) {
        return (int[]) resident(array);
    }

    /** The device copy, failing when {@code array} was never allocated here. */
    protected synchronized Object resident(DeviceArray array) {
        Object data = arrays.get(array);
        if (data == null) throw new IllegalStateException(array + " is not allocated on " + id());
        return data;
    }

    /** Frees every array. */
    @Override
    public synchronized void close() {
        arrays.clear();
    }
}
