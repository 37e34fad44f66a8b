package dev.multimax.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRawImagesAndLabels() throws IOException {
        byte[] pixels = Idx.pattern(3, 4, 5);
        Path images = Idx.write(dir.resolve("img"), Idx.images(3, 4, 5, pixels));
        Path labels = Idx.write(dir.resolve("lab"), Idx.labels(new byte[] {7, 0, (byte) 200}));

        IdxReader.Images read = IdxReader.readImages(images);
        assertThat(read.count()).isEqualTo(3);
        assertThat(read.rows()).isEqualTo(4);
        assertThat(read.cols()).isEqualTo(5);
        assertThat(read.pixels()).isEqualTo(pixels);
        IdxReader.Labels l = IdxReader.readLabels(labels);
        assertThat(l.count()).isEqualTo(3);
        assertThat(l.labels()[2] & 0xff).isEqualTo(200);
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        byte[] pixels = Idx.pattern(2, 3, 3);
        // Deliberately no .gz suffix: detection must look at the magic bytes.
        Path images = Idx.write(dir.resolve("img"), Idx.gzip(Idx.images(2, 3, 3, pixels)));
        assertThat(IdxReader.readImages(images).pixels()).isEqualTo(pixels);
        // And a raw file named .gz still reads as raw.
        Path raw = Idx.write(dir.resolve("raw.gz"), Idx.images(2, 3, 3, pixels));
        assertThat(IdxReader.readImages(raw).pixels()).isEqualTo(pixels);
    }

    @Test
    void ignoresTrailingBytes() throws IOException {
        byte[] file = Idx.images(1, 2, 2, new byte[] {1, 2, 3, 4});
        Path p = Idx.write(dir.resolve("img"), Arrays.copyOf(file, file.length + 10));
        assertThat(IdxReader.readImages(p).pixels()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope-idx3-ubyte");
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("nope-idx3-ubyte")
                .hasMessageContaining("not found");
    }

    @Test
    void wrongMagicSaysFoundAndExpected() throws IOException {
        Path p = Idx.write(dir.resolve("labels-as-images"), Idx.labels(new byte[] {1, 2}));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("labels-as-images")
                .hasMessageContaining("0x00000801").hasMessageContaining("expected 0x00000803");
    }

    @Test
    void textFileIsNotIdx() throws IOException {
        Path p = Idx.write(dir.resolve("notes.txt"), "hello world".getBytes());
        assertThatThrownBy(() -> IdxReader.readLabels(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("notes.txt")
                .hasMessageContaining("not an IDX file");
    }

    @Test
    void truncatedImages() throws IOException {
        byte[] full = Idx.images(10, 28, 28, new byte[10 * 28 * 28]);
        Path p = Idx.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, 16 + 1234));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class)
                .hasMessage(p + ": truncated: header says 10 images of 28x28 but only 1234 bytes"
                        + " of pixel data (expected 7840)");
    }

    @Test
    void truncatedGzippedImages() throws IOException {
        byte[] full = Idx.images(10, 28, 28, new byte[10 * 28 * 28]);
        Path p = Idx.write(dir.resolve("img.gz"), Idx.gzip(Arrays.copyOf(full, 16 + 100)));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("img.gz")
                .hasMessageContaining("truncated").hasMessageContaining("100 bytes");
    }

    @Test
    void truncatedLabels() throws IOException {
        byte[] full = Idx.labels(new byte[50]);
        Path p = Idx.write(dir.resolve("lab"), Arrays.copyOf(full, 8 + 20));
        assertThatThrownBy(() -> IdxReader.readLabels(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("lab")
                .hasMessageContaining("header says 50 labels but only 20 bytes");
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] full = Idx.images(1, 1, 1, new byte[1]);
        Path p = Idx.write(dir.resolve("img"), Arrays.copyOf(full, 9));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("img")
                .hasMessageContaining("header needs 16 bytes");
    }

    @Test
    @Timeout(5)
    void hugeDeclaredCountFailsWithoutAllocating() throws IOException {
        byte[] head = ByteBuffer.allocate(16 + 8).putInt(IdxReader.IMAGES_MAGIC)
                .putInt(Integer.MAX_VALUE).putInt(28).putInt(28).array();
        Path p = Idx.write(dir.resolve("huge"), head);
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("huge")
                .hasMessageContaining("2147483647");
        // Fits in an array, but not in the file: still no big allocation.
        byte[] fits = ByteBuffer.allocate(16 + 8).putInt(IdxReader.IMAGES_MAGIC)
                .putInt(1_000_000).putInt(28).putInt(28).array();
        Path q = Idx.write(dir.resolve("big"), fits);
        assertThatThrownBy(() -> IdxReader.readImages(q))
                .isInstanceOf(BadInput.class).hasMessageContaining("truncated");
        Path gz = Idx.write(dir.resolve("big.gz"), Idx.gzip(fits));
        assertThatThrownBy(() -> IdxReader.readImages(gz))
                .isInstanceOf(BadInput.class).hasMessageContaining("big.gz")
                .hasMessageContaining("cannot decompress");
    }

    @Test
    void negativeSize() throws IOException {
        byte[] head = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC)
                .putInt(-5).putInt(28).putInt(28).array();
        Path p = Idx.write(dir.resolve("neg"), head);
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("neg")
                .hasMessageContaining("negative size -5");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = Idx.gzip(Idx.images(4, 8, 8, Idx.pattern(4, 8, 8)));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] ^= 0x5a; // scramble the deflate stream, keep the gzip header valid
        }
        Path p = Idx.write(dir.resolve("bad.gz"), gz);
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("bad.gz")
                .hasMessageContaining("gzip");
    }

    @Test
    void gzipCrcIsChecked() throws IOException {
        byte[] gz = Idx.gzip(Idx.images(2, 3, 3, Idx.pattern(2, 3, 3)));
        gz[gz.length - 6] ^= 1; // inside the CRC32 of the trailer: the data itself inflates fine
        Path p = Idx.write(dir.resolve("crc.gz"), gz);
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageStartingWith(p + ": corrupt gzip data");
    }

    @Test
    @Timeout(5)
    void gzipInflatingFarPastTheHeaderIsCutThere() throws IOException {
        byte[] file = Idx.images(1, 2, 2, new byte[] {1, 2, 3, 4});
        Path p = Idx.write(dir.resolve("bomb.gz"), Idx.gzip(Arrays.copyOf(file, 64 << 20)));
        assertThat(IdxReader.readImages(p).pixels()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void gzipHeaderOnly() throws IOException {
        Path p = Idx.write(dir.resolve("stub.gz"), new byte[] {0x1f, (byte) 0x8b, 8});
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(BadInput.class).hasMessageContaining("stub.gz");
    }
}
