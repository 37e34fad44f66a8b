package dev.multimax.device;

/** A kernel argument: {@code count} elements of {@code array} starting at {@code offset}. */
public record Slice(DeviceArray array, int offset, int count) {
    public Slice {
        if (offset < 0 || count < 0 || (long) offset + count > array.length()) {
            throw new IllegalArgumentException("slice [" + offset + ", +" + count + ") outside " + array);
        }
    }

    @Override
    public String toString() {
        return array.name() + "[" + offset + ":" + (offset + count) + "]";
    }
}
