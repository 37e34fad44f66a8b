package dev.multimax.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.data.IdxReader;
import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code train --on-nonfinite stop|skip} end to end on java:0. A learning rate of 1e30 makes the
 * first update blow the weights up, so every step after it has a non-finite loss: a real
 * divergence, not an injected one (the Trainer-level tests inject NaN into chosen tensors with a
 * {@code NaNInjection} step hook). Synthetic 8×8 IDX data, 16 training images, batch 8: 2 steps
 * per epoch.
 */
class NonFiniteCliTest {
    @Test
    void stopExitsWith3NamingTheStepAndWritesNothing(@TempDir Path dir) throws IOException {
        Path data = writeData(dir.resolve("data"));
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.jsonl");
        CliTest.Run r = CliTest.cli(args(data, out, log, "--on-nonfinite", "stop", "--lr", "1e30"));
        assertThat(r.code()).as(r.out()).isEqualTo(3);
        List<String> errors = r.out().lines().filter(l -> l.startsWith("error:")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).containsPattern("non-finite .* at epoch 1, step 2");
        assertThat(r.out()).doesNotContain("at dev.multimax");
        assertThat(out.resolve("model.safetensors")).doesNotExist();
        assertThat(log).satisfiesAnyOf(l -> assertThat(l).doesNotExist(), l -> assertThat(Files.readAllLines(l)).isEmpty());
    }

    @Test
    void skipCountsTheBatchesThenStopsWhenAWholeEpochIsSkipped(@TempDir Path dir) throws IOException {
        Path data = writeData(dir.resolve("data"));
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.jsonl");
        CliTest.Run r = CliTest.cli(args(data, out, log, "--on-nonfinite", "skip", "--lr", "1e30"));
        assertThat(r.code()).as(r.out()).isEqualTo(3);
        assertThat(r.out()).contains("1 batch skipped (non-finite)")
                .contains("every batch of epoch 2 (2) had a non-finite loss or gradient");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(1); // epoch 1 only: epoch 2 never finished, no "done"
        JsonObject e1 = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(e1.get("skipped").getAsInt()).isEqualTo(1);
        assertThat(e1.get("train_loss").getAsDouble()).isFinite();
        assertThat(out.resolve("model.safetensors")).doesNotExist();
    }

    @Test
    void badModeIsABadInput(@TempDir Path dir) throws IOException {
        Path data = writeData(dir.resolve("data"));
        CliTest.Run bad = CliTest.cli(args(data, dir.resolve("o1"), dir.resolve("l1"), "--on-nonfinite", "ignore"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out()).contains("--on-nonfinite must be stop or skip");
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
