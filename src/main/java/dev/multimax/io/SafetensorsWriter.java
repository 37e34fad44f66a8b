package dev.multimax.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.multimax.util.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects named tensors and metadata, then writes one safetensors file atomically.
 *
 * <p>Tensors are stored contiguously in insertion order. The file is written to a temporary file
 * in the target's directory, fsynced and renamed over the target, so a crash or a full disk
 * leaves either the old file or the new one, never a half-written checkpoint.
 */
public final class SafetensorsWriter {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final int CHUNK = 1 << 16;

    /** One tensor: the data array is one of float[], double[], int[], long[], byte[]. */
    private record Entry(Dtype dtype, long[] shape, Object data, int length) {}

    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds an F32 tensor. The array is not copied; do not change it before {@link #write}. */
    public SafetensorsWriter add(String name, float[] data, int... shape) {
        return put(name, Dtype.F32, shape, data, data.length);
    }

    /** Adds an F64 tensor. */
    public SafetensorsWriter add(String name, double[] data, int... shape) {
        return put(name, Dtype.F64, shape, data, data.length);
    }

    /** Adds an I32 tensor. */
    public SafetensorsWriter add(String name, int[] data, int... shape) {
        return put(name, Dtype.I32, shape, data, data.length);
    }

    /** Adds an I64 tensor. */
    public SafetensorsWriter add(String name, long[] data, int... shape) {
        return put(name, Dtype.I64, shape, data, data.length);
    }

    /** Adds a U8 tensor. */
    public SafetensorsWriter add(String name, byte[] data, int... shape) {
        return put(name, Dtype.U8, shape, data, data.length);
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter metadata(Map<String, String> entries) {
        metadata.putAll(entries);
        return this;
    }

    private SafetensorsWriter put(String name, Dtype dtype, int[] shape, Object data, int length) {
        if (name.equals(SafetensorsHeader.METADATA)) {
            throw new IllegalArgumentException("tensor name " + name + " is reserved");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        long count = 1;
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in "
                        + Arrays.toString(shape));
            }
            dims[i] = shape[i];
            count *= shape[i];
        }
        if (count != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape "
                    + Arrays.toString(shape) + " needs " + count + " values but got " + length);
        }
        tensors.put(name, new Entry(dtype, dims, data, length));
        return this;
    }

    /** The header JSON, padded with spaces so the data section starts 8-byte aligned. */
    byte[] header() {
        JsonObject root = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            root.add(SafetensorsHeader.METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            Entry t = e.getValue();
            long end = offset + (long) t.length * t.dtype.size();
            JsonObject info = new JsonObject();
            info.addProperty("dtype", t.dtype.name());
            JsonArray shape = new JsonArray();
            Arrays.stream(t.shape).forEach(shape::add);
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(end);
            info.add("data_offsets", offsets);
            root.add(e.getKey(), info);
            offset = end;
        }
        byte[] json = GSON.toJson(root).getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /** Writes the file atomically ({@link AtomicFiles}): the target is whole or untouched. */
    public void write(Path target) {
        AtomicFiles.write(target, this::writeTo);
    }

    private void writeTo(FileChannel ch) throws IOException {
        byte[] header = header();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        flip(ch, buf);
        AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
        for (Entry t : tensors.values()) {
            for (int i = 0; i < t.length; i++) {
                if (buf.remaining() < 8) {
                    flip(ch, buf);
                }
                putElement(buf, t, i);
            }
        }
        flip(ch, buf);
    }

    private static void putElement(ByteBuffer buf, Entry t, int i) {
        switch (t.dtype) {
            case F32 -> buf.putFloat(((float[]) t.data)[i]);
            case F64 -> buf.putDouble(((double[]) t.data)[i]);
            case I32 -> buf.putInt(((int[]) t.data)[i]);
            case I64 -> buf.putLong(((long[]) t.data)[i]);
            case U8 -> buf.put(((byte[]) t.data)[i]);
            default -> throw new IllegalStateException("unexpected dtype " + t.dtype);
        }
    }

    /** Writes what the buffer holds and empties it for more. */
    private static void flip(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        AtomicFiles.writeFully(ch, buf);
        buf.clear();
    }
}
