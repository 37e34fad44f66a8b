package dev.multimax.data;

import dev.multimax.util.BadInput;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST container format), raw or gzipped.
 *
 * <p>Layout: a big-endian magic {@code 0x0000TTDD} (TT = element type, 0x08 = unsigned byte; DD =
 * number of dimensions), DD big-endian int32 sizes, then the elements. Gzip is detected by the
 * {@code 1f 8b} magic, not by the file name, because downloads are often renamed.
 *
 * <p>Trailing bytes after the declared data are ignored: some mirrors pad files, and the data we
 * need is complete. A gzip stream is decompressed only up to the declared size plus 1 MiB (enough
 * to reach and verify its CRC trailer when it ends there), so one that inflates to far more than
 * the header says costs no memory or time. Every declared size is checked against what the file can hold <em>before</em>
 * allocating, so a corrupt header fails with a {@link BadInput}, never an OutOfMemoryError.
 */
public final class IdxReader {
    /** Unsigned bytes, 3 dimensions: [count, rows, cols]. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Unsigned bytes, 1 dimension: [count]. */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Java arrays top out a little below 2^31 elements. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Deflate cannot expand data by more than about 1032:1; larger claims must be corrupt. */
    private static final long MAX_DEFLATE_RATIO = 1100;
    /** Gzip input grows its buffer from this size so a lying header costs no memory. */
    private static final int GZIP_INITIAL_BUFFER = 1 << 20;
    /** How far past the declared data a gzip stream is decompressed to reach its CRC trailer. */
    private static final long GZIP_TRAILING_CHECK = 1 << 20;

    /** Images as unsigned bytes, row-major, {@code count * rows * cols} long. */
    public record Images(Path file, int count, int rows, int cols, byte[] pixels) {}

    /** Labels as unsigned bytes (0..255), {@code count} long. */
    public record Labels(Path file, int count, byte[] labels) {}

    private IdxReader() {}

    public static Images readImages(Path file) {
        Raw raw = read(file, IMAGES_MAGIC);
        return new Images(file, raw.dims[0], raw.dims[1], raw.dims[2], raw.data);
    }

    public static Labels readLabels(Path file) {
        Raw raw = read(file, LABELS_MAGIC);
        return new Labels(file, raw.dims[0], raw.data);
    }

    /** Header sizes plus the element bytes. */
    private record Raw(int[] dims, byte[] data) {}

    private static Raw read(Path file, int magic) {
        long fileSize = sizeOf(file);
        boolean gzip = isGzip(file);
        try (InputStream in = open(file, gzip)) {
            int[] dims = readHeader(file, in, magic);
            long bytes = dataBytes(file, dims);
            checkFits(file, magic, dims, bytes, fileSize, gzip);
            int initial = gzip ? (int) Math.min(bytes, GZIP_INITIAL_BUFFER) : (int) bytes;
            byte[] data = readUpTo(in, (int) bytes, initial);
            if (data.length < bytes) {
                throw truncated(file, magic, dims, bytes, data.length);
            }
            if (gzip) {
                checkGzipEnd(in);
            }
            return new Raw(dims, data);
        } catch (EOFException e) {
            throw new BadInput(file + ": truncated gzip stream (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new BadInput(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadInput(file + ": cannot read: " + e, e);
        }
    }

    /**
     * Reads on past the declared data, at most {@link #GZIP_TRAILING_CHECK} bytes, so that a
     * stream ending there reaches its gzip trailer and GZIPInputStream verifies the CRC and length
     * (a flipped bit in the deflate data is caught, not loaded as wrong pixels). A longer tail is
     * ignored like trailing bytes of a raw file, and never decompressed further.
     */
    private static void checkGzipEnd(InputStream in) throws IOException {
        byte[] scratch = new byte[8192];
        long left = GZIP_TRAILING_CHECK;
        while (left > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) {
                return;
            }
            left -= r;
        }
    }

    private static long sizeOf(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new BadInput(file + ": is a directory, expected an IDX file");
            }
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new BadInput(file + ": file not found");
        } catch (IOException e) {
            throw new BadInput(file + ": cannot read: " + e, e);
        }
    }

    private static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new BadInput(file + ": cannot read: " + e, e);
        }
    }

    private static InputStream open(Path file, boolean gzip) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static int[] readHeader(Path file, InputStream in, int magic) throws IOException {
        byte[] head = readUpTo(in, 4, 4);
        if (head.length < 4) {
            throw new BadInput(file + ": truncated: only " + head.length
                    + " bytes, too short for the 4-byte IDX magic number");
        }
        int found = bigEndianInt(head, 0);
        if (found != magic) {
            throw new BadInput(String.format("%s: wrong magic number 0x%08x (%s), expected 0x%08x (%s)",
                    file, found, describeMagic(found), magic, describeMagic(magic)));
        }
        int ndims = magic & 0xff;
        byte[] sizes = readUpTo(in, 4 * ndims, 4 * ndims);
        if (sizes.length < 4 * ndims) {
            throw new BadInput(file + ": truncated: header needs " + (4 + 4 * ndims)
                    + " bytes but the file ends after " + (4 + sizes.length));
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            dims[i] = bigEndianInt(sizes, 4 * i);
            if (dims[i] < 0) {
                throw new BadInput(file + ": header declares a negative size " + dims[i]
                        + " for dimension " + i);
            }
        }
        return dims;
    }

    private static long dataBytes(Path file, int[] dims) {
        long bytes = 1;
        for (int d : dims) {
            bytes *= d; // each factor < 2^31, and we stop before the product can overflow
            if (bytes > MAX_ARRAY) {
                throw new BadInput(file + ": header declares sizes " + Arrays.toString(dims)
                        + ", more data than this reader can hold (over 2 GB)");
            }
        }
        return bytes;
    }

    /** Rejects declared sizes the file cannot possibly contain, before anything is allocated. */
    private static void checkFits(Path file, int magic, int[] dims, long bytes, long fileSize,
                                  boolean gzip) {
        long headerBytes = 4L + 4L * dims.length;
        if (!gzip && bytes > fileSize - headerBytes) {
            throw truncated(file, magic, dims, bytes, Math.max(0, fileSize - headerBytes));
        }
        if (gzip && bytes > fileSize * MAX_DEFLATE_RATIO) {
            throw new BadInput(file + ": corrupt or truncated: header says " + describe(magic, dims)
                    + " (" + bytes + " bytes) but a gzip file of " + fileSize
                    + " bytes cannot decompress to that much");
        }
    }

    private static BadInput truncated(Path file, int magic, int[] dims, long expected, long actual) {
        String what = magic == IMAGES_MAGIC ? "pixel data" : "label data";
        return new BadInput(file + ": truncated: header says " + describe(magic, dims)
                + " but only " + actual + " bytes of " + what + " (expected " + expected + ")");
    }

    private static String describe(int magic, int[] dims) {
        if (magic == IMAGES_MAGIC) {
            return dims[0] + " images of " + dims[1] + "x" + dims[2];
        }
        return dims[0] + " labels";
    }

    private static String describeMagic(int magic) {
        if (magic == IMAGES_MAGIC) {
            return "IDX images: unsigned bytes, 3 dimensions";
        }
        if (magic == LABELS_MAGIC) {
            return "IDX labels: unsigned bytes, 1 dimension";
        }
        if ((magic >>> 16) == 0) {
            return String.format("IDX type 0x%02x with %d dimensions", (magic >>> 8) & 0xff, magic & 0xff);
        }
        return "not an IDX file";
    }

    private static int bigEndianInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16)
                | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /**
     * Reads up to {@code len} bytes, growing the buffer from {@code initial} as data actually
     * arrives, so memory use follows the real stream rather than what a header claims.
     */
    static byte[] readUpTo(InputStream in, int len, int initial) throws IOException {
        byte[] buf = new byte[Math.min(len, Math.max(initial, 1))];
        int n = 0;
        while (n < len) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(len, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }
}
