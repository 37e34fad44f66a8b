package dev.multimax.device;

/** A float32 array with a lazily allocated host copy. */
public final class FloatArray extends DeviceArray {
    private float[] host;

    public FloatArray(String name, int length) {
        super(name, length);
    }

    /** Wraps existing host data (no copy). */
    public FloatArray(String name, float[] data) {
        super(name, data.length);
        this.host = data;
    }

    /** The host copy, allocated (zero-filled) on first use. */
    public float[] host() {
        if (host == null) host = new float[length()];
        return host;
    }

    @Override
    public int elementBytes() {
        return Float.BYTES;
    }
}
