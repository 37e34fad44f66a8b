package dev.multimax.io;

import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file read fully into memory and validated up front.
 *
 * <p>Checkpoints here are small, so the whole file is loaded (up to 2 GB); after {@link #read}
 * succeeds every tensor's bytes are known to be inside the file, so accessors only fail on a
 * missing name or a dtype they cannot convert. All problems are {@link BadInput}s naming the
 * file, as {@code FILE: header: ...} or {@code FILE: tensor 'NAME': ...}.
 */
public final class SafetensorsFile {
    /** Largest header accepted: real headers are kilobytes; a bigger one is corrupt. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private final Path path;
    private final ByteBuffer data;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path path, ByteBuffer data, SafetensorsHeader header) {
        this.path = path;
        this.data = data;
        this.header = header;
    }

    /** Reads and validates the whole file. */
    public static SafetensorsFile read(Path path) {
        return parse(path, readBytes(path));
    }

    private static byte[] readBytes(Path path) {
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new BadInput(path + ": file of " + size + " bytes is too large (limit 2 GB)");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BadInput(path + ": file not found");
        } catch (IOException e) {
            throw new BadInput(path + ": cannot read: " + e, e);
        }
    }

    private static SafetensorsFile parse(Path path, byte[] bytes) {
        if (bytes.length < 8) {
            throw new BadInput(path + ": header: file is only " + bytes.length
                    + " bytes, too short for the 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > bytes.length - 8L) {
            throw new BadInput(path + ": header: header length " + Long.toUnsignedString(n)
                    + " exceeds the file size (" + bytes.length + " bytes)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw new BadInput(path + ": header: header length " + n + " exceeds the "
                    + MAX_HEADER_BYTES + "-byte cap");
        }
        String json = decodeUtf8(path, bytes, (int) n);
        int start = 8 + (int) n;
        SafetensorsHeader header = SafetensorsHeader.parse(path.toString(), json,
                bytes.length - start);
        ByteBuffer data = ByteBuffer.wrap(bytes, start, bytes.length - start).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        return new SafetensorsFile(path, data, header);
    }

    /** Strict decoding: a lenient decoder would turn corrupt bytes into U+FFFD and go on. */
    private static String decodeUtf8(Path path, byte[] bytes, int n) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, n)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInput(path + ": header: not valid UTF-8");
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(header.tensors.keySet()));
    }

    public boolean has(String name) {
        return header.tensors.containsKey(name);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(header.metadata);
    }

    public long[] shape(String name) {
        return tensor(name).shape().clone();
    }

    public Dtype dtype(String name) {
        return tensor(name).dtype();
    }

    private SafetensorsHeader.Tensor tensor(String name) {
        SafetensorsHeader.Tensor t = header.tensors.get(name);
        if (t == null) {
            throw header.tensorError(name, "not found");
        }
        return t;
    }

    /** A little-endian view of one tensor's bytes. */
    private ByteBuffer bytes(SafetensorsHeader.Tensor t) {
        return data.slice((int) t.begin(), (int) (t.end() - t.begin())).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** F32, F64 or BF16 values as floats (F64 rounded). */
    public float[] floats(String name) {
        SafetensorsHeader.Tensor t = tensor(name);
        ByteBuffer b = bytes(t);
        float[] out = new float[(int) t.count()];
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                }
            }
            default -> throw header.tensorError(name, "dtype " + t.dtype() + " cannot be read as floats");
        }
        return out;
    }

    /** F32, F64 or BF16 values as doubles (exact). */
    public double[] doubles(String name) {
        SafetensorsHeader.Tensor t = tensor(name);
        if (t.dtype() == Dtype.F64) {
            double[] out = new double[(int) t.count()];
            bytes(t).asDoubleBuffer().get(out);
            return out;
        }
        float[] f = floats(name);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** Integer (and BOOL) values widened to long; U64 values above Long.MAX_VALUE are an error. */
    public long[] longs(String name) {
        SafetensorsHeader.Tensor t = tensor(name);
        if (!t.dtype().isInteger()) {
            throw header.tensorError(name, "dtype " + t.dtype() + " is not an integer type");
        }
        ByteBuffer b = bytes(t);
        long[] out = new long[(int) t.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integerAt(b, t.dtype(), i);
            if (t.dtype() == Dtype.U64 && out[i] < 0) {
                throw header.tensorError(name, "U64 value " + Long.toUnsignedString(out[i])
                        + " at index " + i + " does not fit in a signed long");
            }
        }
        return out;
    }

    private static long integerAt(ByteBuffer b, Dtype dtype, int i) {
        return switch (dtype) {
            case BOOL, U8 -> b.get(i) & 0xff;
            case I8 -> b.get(i);
            case I16 -> b.getShort(2 * i);
            case U16 -> b.getShort(2 * i) & 0xffff;
            case I32 -> b.getInt(4 * i);
            case U32 -> b.getInt(4 * i) & 0xffffffffL;
            case I64, U64 -> b.getLong(8 * i);
            default -> throw new IllegalStateException("not an integer dtype: " + dtype);
        };
    }

    /**
     * The floats of a tensor that must exist with exactly this shape, as when loading model
     * weights: anything else means the checkpoint belongs to a different model.
     */
    public float[] floatsExpect(String name, int... shape) {
        requireShape(name, shape);
        return floats(name);
    }

    /**
     * Fails unless tensor {@code name} exists with exactly this shape and a dtype {@link #floats}
     * reads. Checks the header only, so callers can vet a whole model before allocating it.
     */
    public void requireShape(String name, int... shape) {
        long[] want = Arrays.stream(shape).asLongStream().toArray();
        if (!has(name)) {
            throw header.tensorError(name, "missing (expected shape " + Arrays.toString(want) + ")");
        }
        long[] found = tensor(name).shape();
        if (!Arrays.equals(want, found)) {
            throw header.tensorError(name, "expected shape " + Arrays.toString(want)
                    + " but found " + Arrays.toString(found));
        }
        Dtype dtype = tensor(name).dtype();
        if (dtype != Dtype.F32 && dtype != Dtype.F64 && dtype != Dtype.BF16) {
            throw header.tensorError(name, "dtype " + dtype + " cannot be read as floats (expected F32)");
        }
    }
}
