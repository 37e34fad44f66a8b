package dev.multimax.device;

/** An int32 array with a lazily allocated host copy. */
public final class IntArray extends DeviceArray {
    private int[] host;

    public IntArray(String name, int length) {
        super(name, length);
    }

    public int[] host() {
        if (host == null) host = new int[length()];
        return host;
    }

    @Override
    public int elementBytes() {
        return Integer.BYTES;
    }
}
