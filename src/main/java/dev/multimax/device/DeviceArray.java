package dev.multimax.device;

/**
 * A named host array that a device mirrors in its own memory (TornadoVM's FloatArray/IntArray idea).
 *
 * <p>The host copy is allocated lazily: arrays that only ever live on the device (activations,
 * gradients) cost no host memory. Devices key their buffers by the identity of this object, so
 * two graphs of one plan that name the same array share the same device buffer.
 */
public abstract sealed class DeviceArray permits FloatArray, IntArray {
    private final String name;
    private final int length;

    protected DeviceArray(String name, int length) {
        if (length < 0) throw new IllegalArgumentException(name + ": negative length " + length);
        this.name = name;
        this.length = length;
    }

    public String name() {
        return name;
    }

    public int length() {
        return length;
    }

    /** Bytes one element takes on every device. */
    public abstract int elementBytes();

    public long byteSize() {
        return (long) length * elementBytes();
    }

    /** The whole array as a kernel argument. */
    public Slice all() {
        return new Slice(this, 0, length);
    }

    /** A range of the array as a kernel argument. */
    public Slice slice(int offset, int count) {
        return new Slice(this, offset, count);
    }

    @Override
    public String toString() {
        return name + "[" + length + "]";
    }
}
