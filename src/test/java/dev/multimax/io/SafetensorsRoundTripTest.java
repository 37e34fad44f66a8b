package dev.multimax.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    static SafetensorsWriter sample() {
        float[] w = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE, -3.25f};
        return new SafetensorsWriter()
                .add("layer.weight", w, 2, 3)
                .add("scalar", new float[] {42f})
                .add("empty", new float[0], 0, 4)
                .add("f64", new double[] {Math.PI, -1e300}, 2)
                .add("steps", new long[] {Long.MAX_VALUE, -7}, 2)
                .add("ids", new int[] {1, -2, 3}, 3)
                .add("bytes", new byte[] {(byte) 255, 0}, 2)
                .metadata("format", "pt")
                .metadata(Map.of("note", "ünïcödé \"quoted\" <tag>"));
    }

    @Test
    void roundTripIsBitwise() {
        Path file = dir.resolve("model.safetensors");
        sample().write(file);
        SafetensorsFile f = SafetensorsFile.read(file);
        assertThat(f.names()).containsExactly("layer.weight", "scalar", "empty", "f64", "steps", "ids", "bytes");
        assertThat(f.metadata()).containsEntry("format", "pt")
                .containsEntry("note", "ünïcödé \"quoted\" <tag>");
        assertThat(f.shape("layer.weight")).containsExactly(2, 3);
        assertThat(f.shape("scalar")).isEmpty();
        assertThat(f.dtype("steps")).isEqualTo(Dtype.I64);
        float[] w = f.floats("layer.weight");
        float[] expected = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE, -3.25f};
        for (int i = 0; i < w.length; i++) {
            assertThat(Float.floatToRawIntBits(w[i])).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
        assertThat(f.floats("scalar")).containsExactly(42f);
        assertThat(f.floats("empty")).isEmpty();
        assertThat(f.doubles("f64")).containsExactly(Math.PI, -1e300);
        assertThat(f.doubles("layer.weight")[0]).isEqualTo(1.5);
        assertThat(f.longs("steps")).containsExactly(Long.MAX_VALUE, -7);
        assertThat(f.longs("ids")).containsExactly(1, -2, 3);
        assertThat(f.longs("bytes")).containsExactly(255, 0);
        assertThat(f.floatsExpect("layer.weight", 2, 3)).hasSize(6);
    }

    @Test
    void layoutIsStandard() throws IOException {
        Path file = dir.resolve("m.safetensors");
        new SafetensorsWriter().add("a", new float[] {1f, 2f}, 2).add("b", new int[] {3}, 1).write(file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertThat(n % 8).isZero();
        String json = new String(bytes, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json.strip()).isEqualTo("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[8,12]}}");
        assertThat(bytes.length).isEqualTo(8 + n + 12);
        assertThat(b.getFloat(8 + (int) n + 4)).isEqualTo(2f);
    }

    @Test
    void wrongAccessorsAreBadInput() {
        Path file = dir.resolve("m.safetensors");
        sample().write(file);
        SafetensorsFile f = SafetensorsFile.read(file);
        assertThatThrownBy(() -> f.floats("steps")).isInstanceOf(BadInput.class)
                .hasMessage(file + ": tensor 'steps': dtype I64 cannot be read as floats");
        assertThatThrownBy(() -> f.longs("f64")).isInstanceOf(BadInput.class)
                .hasMessageContaining("not an integer type");
        assertThatThrownBy(() -> f.floats("nope")).isInstanceOf(BadInput.class)
                .hasMessage(file + ": tensor 'nope': not found");
        assertThatThrownBy(() -> f.floatsExpect("layer.weight", 3, 2)).isInstanceOf(BadInput.class)
                .hasMessage(file + ": tensor 'layer.weight': expected shape [3, 2] but found [2, 3]");
        assertThatThrownBy(() -> f.floatsExpect("head.bias", 10)).isInstanceOf(BadInput.class)
                .hasMessage(file + ": tensor 'head.bias': missing (expected shape [10])");
    }

    @Test
    void overwritesAtomicallyAndLeavesNoTemporaries() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        new SafetensorsWriter().add("x", new float[] {1f}, 1).write(file);
        new SafetensorsWriter().add("x", new float[] {2f, 3f}, 2).write(file);
        assertThat(SafetensorsFile.read(file).floats("x")).containsExactly(2f, 3f);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void missingDirectoryIsBadInputAndWritesNothing() {
        Path file = dir.resolve("no-such-dir").resolve("ckpt.safetensors");
        assertThatThrownBy(() -> sample().write(file)).isInstanceOf(BadInput.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("does not exist");
        assertThat(Files.exists(file.getParent())).isFalse();
    }

    @Test
    void failedRenameLeavesTargetAndNoTemporaries() throws IOException {
        Path target = Files.createDirectories(dir.resolve("occupied"));
        Files.write(target.resolve("keep"), new byte[] {1});
        assertThatThrownBy(() -> sample().write(target)).isInstanceOf(BadInput.class)
                .hasMessageContaining(target.toString());
        assertThat(target.resolve("keep")).exists();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void writerRejectsBadInput() {
        SafetensorsWriter w = new SafetensorsWriter().add("a", new float[2], 2);
        assertThatThrownBy(() -> w.add("a", new float[2], 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.add("b", new float[3], 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.add("__metadata__", new float[1], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
