package dev.multimax.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests. */
final class Idx {
    private Idx() {}

    static byte[] images(int n, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] labels(byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length).put(labels);
        return b.array();
    }

    /** Pixels whose value encodes position, so mix-ups show. */
    static byte[] pattern(int n, int rows, int cols) {
        byte[] p = new byte[n * rows * cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.write(file, data);
        return file;
    }

    /** Writes a full MNIST-layout directory with n train and m test examples of r x c. */
    static void writeSet(Path dir, int n, int m, int r, int c, boolean gz) throws IOException {
        String s = gz ? ".gz" : "";
        byte[] trainLabels = new byte[n];
        byte[] testLabels = new byte[m];
        for (int i = 0; i < n; i++) {
            trainLabels[i] = (byte) (i % 10);
        }
        for (int i = 0; i < m; i++) {
            testLabels[i] = (byte) ((i + 3) % 10);
        }
        byte[][] files = {images(n, r, c, pattern(n, r, c)), labels(trainLabels),
            images(m, r, c, pattern(m, r, c)), labels(testLabels)};
        String[] names = {MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS,
            MnistFiles.TEST_IMAGES, MnistFiles.TEST_LABELS};
        for (int i = 0; i < 4; i++) {
            write(dir.resolve(names[i] + s), gz ? gzip(files[i]) : files[i]);
        }
    }
}
