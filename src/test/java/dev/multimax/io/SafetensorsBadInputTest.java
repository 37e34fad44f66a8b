package dev.multimax.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsBadInputTest {
    @TempDir
    Path dir;

    private Path file(String json, int dataBytes) throws IOException {
        return raw(json.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private Path raw(byte[] header, int dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return Files.write(dir.resolve("bad.safetensors"), b.array());
    }

    private static AbstractThrowableAssert<?, ?> fails(Path p) {
        return assertThatThrownBy(() -> SafetensorsFile.read(p)).isInstanceOf(BadInput.class)
                .hasMessageStartingWith(p + ": ");
    }

    private static String tensor(String dtype, String shape, String offsets) {
        return "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
    }

    @Test
    void missingFile() {
        fails(dir.resolve("nope.safetensors")).hasMessageContaining("not found");
    }

    @Test
    void shorterThanEightBytes() throws IOException {
        Path p = Files.write(dir.resolve("short"), new byte[] {1, 2, 3});
        fails(p).hasMessageContaining("header: file is only 3 bytes");
    }

    @Test
    void headerLongerThanFile() throws IOException {
        Path p = Files.write(dir.resolve("long"), ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        fails(p).hasMessageContaining("header length 1000 exceeds the file size (12 bytes)");
        Path q = Files.write(dir.resolve("neg"), ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        fails(q).hasMessageContaining("header length 18446744073709551615");
    }

    @Test
    void headerOverCap() throws IOException {
        int n = (int) SafetensorsFile.MAX_HEADER_BYTES + 1;
        Path p = dir.resolve("capped");
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n));
            ch.write(ByteBuffer.wrap(new byte[] {' '}), 8L + n - 1); // sparse file of the right size
        }
        fails(p).hasMessageContaining("exceeds the 104857600-byte cap");
    }

    @Test
    void notUtf8() throws IOException {
        fails(raw(new byte[] {'{', (byte) 0xff, '}'}, 0)).hasMessageContaining("header: not valid UTF-8");
    }

    @Test
    void notJson() throws IOException {
        fails(file("{\"t\": [1, 2", 0)).hasMessageContaining("header: not valid JSON");
        fails(file("{'t': 1}", 0)).hasMessageContaining("header: not valid JSON")
                .hasMessageNotContaining("LENIENT");
        fails(file("{} {}", 0)).hasMessageContaining("header:");
        fails(file("{} {}", 0)).hasMessageNotContaining("\n");
    }

    @Test
    void notAnObject() throws IOException {
        fails(file("[1, 2]", 0)).hasMessageContaining("header: not a JSON object");
    }

    @Test
    void trailingSpacesAreFine() throws IOException {
        Path p = file(tensor("F32", "[1]", "[0, 4]") + "        ", 4);
        assertThat(SafetensorsFile.read(p).floats("t")).containsExactly(0f);
    }

    @Test
    void duplicateKey() throws IOException {
        String t = "\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}";
        fails(file("{" + t + "," + t + "}", 1)).hasMessageContaining("duplicate key 't'");
    }

    @Test
    void badMetadata() throws IOException {
        fails(file("{\"__metadata__\":{\"a\":1}}", 0)).hasMessageContaining("__metadata__ value for 'a'");
        fails(file("{\"__metadata__\":[]}", 0)).hasMessageContaining("__metadata__ must be an object");
    }

    @Test
    void unknownDtype() throws IOException {
        fails(file(tensor("F31", "[1]", "[0, 4]"), 4)).hasMessage(
                dir.resolve("bad.safetensors") + ": tensor 't': unknown dtype 'F31'");
    }

    @Test
    void badShapes() throws IOException {
        fails(file(tensor("F32", "[-1]", "[0, 4]"), 4)).hasMessageContaining("tensor 't': shape holds a negative value -1");
        fails(file(tensor("F32", "[1.5]", "[0, 4]"), 4)).hasMessageContaining("not an integer");
        fails(file(tensor("F32", "[\"1\"]", "[0, 4]"), 4)).hasMessageContaining("non-number");
        fails(file(tensor("F32", "3", "[0, 4]"), 4)).hasMessageContaining("non-array shape");
        fails(file(tensor("F32", "[1e300]", "[0, 4]"), 4)).hasMessageContaining("tensor 't'");
        fails(file(tensor("F32", "[4294967296, 4294967296, 4294967296]", "[0, 4]"), 4))
                .hasMessageContaining("too large");
    }

    @Test
    void sizeMismatch() throws IOException {
        fails(file(tensor("F32", "[2, 3]", "[0, 20]"), 24)).hasMessageContaining(
                "tensor 't': shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] span 20");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        fails(file(tensor("F32", "[2]", "[4, 12]"), 8)).hasMessageContaining("run past the end of the data section (8 bytes)");
        fails(file(tensor("F32", "[0]", "[8, 4]"), 8)).hasMessageContaining("begin after end");
        fails(file(tensor("F32", "[2]", "[0]"), 8)).hasMessageContaining("must be [begin, end]");
    }

    @Test
    void overlappingTensors() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        fails(file(json, 12)).hasMessageContaining("tensor 'b': data_offsets [4, 12] overlap tensor 'a' [0, 8]");
    }

    @Test
    void emptyTensorsMayShareAnOffset() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        assertThat(SafetensorsFile.read(file(json, 8)).names()).containsExactly("a", "b");
    }

    @Test
    void unsignedOverflow() throws IOException {
        byte[] ones = new byte[8];
        java.util.Arrays.fill(ones, (byte) 0xff);
        Path p = file(tensor("U64", "[1]", "[0, 8]"), 8);
        byte[] all = Files.readAllBytes(p);
        System.arraycopy(ones, 0, all, all.length - 8, 8);
        Files.write(p, all);
        assertThatThrownBy(() -> SafetensorsFile.read(p).longs("t")).isInstanceOf(BadInput.class)
                .hasMessageContaining("18446744073709551615");
    }
}
