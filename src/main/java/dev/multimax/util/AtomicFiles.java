package dev.multimax.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that never leave a half-written file: a temporary file in the same folder,
 * fsync, atomic rename over the target, fsync of the folder. On failure the target is untouched,
 * no temporary remains, and a {@link BadInput} names the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the file's contents into an open channel. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(FileChannel channel) throws IOException;
    }

    public static void write(Path target, byte[] bytes) {
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    public static void write(Path target, Contents contents) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInput(target + ": cannot write: directory " + dir + " does not exist");
        }
        Path tmp = null;
        try {
            // not Files.createTempFile: it makes the file 0600, and the result would keep that mode;
            // CREATE_NEW on a random name gets the usual mode from the umask
            tmp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                contents.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new BadInput(target + ": cannot write: " + e, e);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Makes the rename durable; platforms that cannot open a folder as a channel skip it (contents are synced). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // best effort, see above
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // the original failure is what the user needs to see
        }
    }
}
