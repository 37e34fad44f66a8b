package dev.multimax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.data.IdxReader;
import dev.multimax.train.NonFiniteGuard;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --on-nonfinite stop|skip} end to end on java:0, with a NaN injected into a gradient
 * through the test-only {@code -Dmultimax.test.injectNaN=STEP:TENSOR} hook. Synthetic 8×8 IDX
 * data, 16 training images, batch 8: 2 steps per epoch.
 */
class NonFiniteCliTest {
    @AfterEach
    void clearHook() {
        System.clearProperty(NonFiniteGuard.INJECT_PROPERTY);
    }

    @Test
    void stopExitsWith3NamingStepAndTensorAndWritesNothingAfterIt(@TempDir Path dir) throws IOException {
        Path data = writeData(dir.resolve("data"));
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.jsonl");
        System.setProperty(NonFiniteGuard.INJECT_PROPERTY, "3:blocks.2.attn.qkv.weight");
        CliTest.Run r = CliTest.cli(args(data, out, log, "--on-nonfinite", "stop"));
        assertThat(r.code()).as(r.out()).isEqualTo(3);
        List<String> errors = r.out().lines().filter(l -> l.startsWith("error:")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("non-finite blocks.2.attn.qkv.weight gradient at epoch 2, step 3");
        assertThat(r.out()).doesNotContain("at dev.multimax");
        assertThat(out.resolve("model.safetensors")).doesNotExist();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(1); // epoch 1 only: no epoch 2, no "done"
        assertThat(JsonParser.parseString(lines.get(0)).getAsJsonObject().get("skipped").getAsInt()).isZero();
    }

    @Test
    void skipCountsTheBatchAndCompletes(@TempDir Path dir) throws IOException {
        Path data = writeData(dir.resolve("data"));
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.jsonl");
        System.setProperty(NonFiniteGuard.INJECT_PROPERTY, "1:norm.weight");
        CliTest.Run r = CliTest.cli(args(data, out, log, "--on-nonfinite", "skip"));
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("1 batch skipped (non-finite)");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(3);
        JsonObject e1 = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        JsonObject e2 = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertThat(e1.get("skipped").getAsInt()).isEqualTo(1);
        assertThat(e2.get("skipped").getAsInt()).isZero();
        assertThat(out.resolve("model.safetensors")).exists();
    }

    @Test
    void badModeOrHookIsABadInput(@TempDir Path dir) throws IOException {
        Path data = writeData(dir.resolve("data"));
        CliTest.Run bad = CliTest.cli(args(data, dir.resolve("o1"), dir.resolve("l1"), "--on-nonfinite", "ignore"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out()).contains("--on-nonfinite must be stop or skip");
        System.setProperty(NonFiniteGuard.INJECT_PROPERTY, "1:no.such.tensor");
        CliTest.Run hook = CliTest.cli(args(data, dir.resolve("o2"), dir.resolve("l2")));
        assertThat(hook.code()).isEqualTo(2);
        assertThat(hook.out()).contains("no parameter no.such.tensor");
    }

    private static String[] args(Path data, Path out, Path log, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--device", "java:0",
                "--epochs", "2", "--batch", "8", "--warmup", "1", "--val", "0", "--preset", "mnist-vit", "--out", out.toString(), "--log-jsonl", log.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** MNIST-layout IDX files: 16 train and 8 test images of 8×8, labels 0..3. */
    private static Path writeData(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random rng = new Random(5);
        write(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), 16, rng);
        write(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), 8, rng);
        return dir;
    }

    private static void write(Path images, Path labels, int n, Random rng) throws IOException {
        byte[] px = new byte[n * 64];
        rng.nextBytes(px);
        Files.write(images, ByteBuffer.allocate(16 + px.length).putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(8)
                .putInt(8).put(px).array());
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) lab[i] = (byte) (i % 4);
        Files.write(labels, ByteBuffer.allocate(8 + n).putInt(IdxReader.LABELS_MAGIC).putInt(n).put(lab).array());
    }
}
