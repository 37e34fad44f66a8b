package dev.multimax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.analysis.AttentionFigure;
import dev.multimax.analysis.SigmaPlot;
import dev.multimax.data.MeanStd;
import dev.multimax.model.TinyModels;
import dev.multimax.model.VitModel;
import dev.multimax.nn.Activation;
import dev.multimax.train.Checkpoint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multimax analyze} on tiny checkpoints (8×8 images, 4 tokens, 2 layers, 3 classes) and IDX test data. */
class AnalyzeCommandTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void multimaxCheckpointGivesReportJsonAndFigures(@TempDir Path dir) throws Exception {
        Path data = writeData(dir.resolve("data"), 10);
        Path ckpt = checkpoint(dir, Activation.MULTIMAX);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.cli("analyze", "--checkpoint", ckpt.toString(), "--data", data.toString(),
                "--device", "java:0", "--n", "10", "--samples", "2", "--batch", "4", "--out", out.toString());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("analyze: batch 3/3 (10/10 images)").contains("analysed 10 images");

        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).contains("| layer | S (sparsity) | M (multi-modality) | fraction < 1e-3 | entropy (nats) |")
                .containsPattern("\\| 0 \\| \\d\\.\\d{4} \\| \\d\\.\\d{4} \\| \\d\\.\\d{4} \\| \\d\\.\\d{3} \\|")
                .containsPattern("\\| 1 \\| \\d\\.\\d{4} \\|")
                .contains("ε: the row's mean score").contains("s: the smallest probability softmax at T = 1")
                .contains("](sigma.png)").contains("](attention-0.png)").contains("](attention-1.png)")
                .doesNotContain("attention-2.png");

        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("analysis.json"))).getAsJsonObject();
        assertThat(json.get("images").getAsInt()).isEqualTo(10);
        JsonArray layers = json.getAsJsonArray("layers");
        assertThat(layers).hasSize(2);
        for (JsonElement e : layers) {
            JsonObject l = e.getAsJsonObject();
            for (String k : List.of("sparsity", "multi_modality", "fraction_below_1e-3", "entropy", "score_min",
                    "score_max")) {
                assertThat(l.get(k).isJsonNull()).as(k).isFalse();
                assertThat(Double.isFinite(l.get(k).getAsDouble())).as(k).isTrue();
            }
            assertThat(l.get("rows").getAsLong()).isEqualTo(10L * 2 * 4); // images × heads × queries
            assertThat(l.get("sparsity").getAsDouble()).isBetween(0.0, 1.0);
            assertThat(l.get("entropy").getAsDouble()).isBetween(0.0, Math.log(4) + 1e-9);
            assertThat(l.getAsJsonArray("ranges")).hasSize(4);
        }
        JsonObject head = json.getAsJsonObject("head");
        assertThat(head.get("logit_min").getAsDouble()).isLessThan(head.get("logit_max").getAsDouble());
        assertThat(json.getAsJsonObject("definitions").get("epsilon").getAsString()).contains("mean score");

        checkPng(out.resolve("sigma.png"), SigmaPlot.width(3), SigmaPlot.height(3));
        for (int i = 0; i < 2; i++) {
            checkPng(out.resolve("attention-" + i + ".png"), AttentionFigure.width(2), AttentionFigure.height());
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder(
                    "report.md", "analysis.json", "sigma.png", "attention-0.png", "attention-1.png");
        }
    }

    @Test
    void softmaxCheckpointSaysNoModulator(@TempDir Path dir) throws Exception {
        Path data = writeData(dir.resolve("data"), 6);
        Path ckpt = checkpoint(dir, Activation.SOFTMAX);
        Path out = dir.resolve("soft");
        CliTest.Run r = CliTest.cli("analyze", "--checkpoint", ckpt.toString(), "--data", data.toString(),
                "--device", "java:0", "--n", "6", "--samples", "1", "--out", out.toString());
        assertThat(r.code()).as(r.out()).isZero();
        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).contains("| layer 0 | softmax | no modulator |").contains("| head | softmax | no modulator |");
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("analysis.json"))).getAsJsonObject();
        for (JsonElement e : json.getAsJsonArray("layers")) {
            JsonObject l = e.getAsJsonObject();
            assertThat(l.get("ranges").isJsonNull()).isTrue();
            // softmax never gives less than the reference s: S ≤ 1/e
            assertThat(l.get("sparsity").getAsDouble()).isLessThanOrEqualTo(Math.exp(-1) + 1e-6);
        }
        checkPng(out.resolve("sigma.png"), SigmaPlot.width(3), SigmaPlot.height(3));
        checkPng(out.resolve("attention-0.png"), AttentionFigure.width(2), AttentionFigure.height());
    }

    @Test
    void badInputExitsWith2OnOneLine(@TempDir Path dir) throws Exception {
        Path data = writeData(dir.resolve("data"), 5);
        Path ckpt = checkpoint(dir, Activation.MULTIMAX);
        String out = dir.resolve("out").toString();
        String[][] cases = {
            {"--n", "0"},
            {"--n", "3", "--samples", "4"},
            {"--n", "20"},
            {"--batch", "0"},
        };
        String[] messages = {"--n must be >= 1", "--samples must be in [0, --n]", "the test set has only 5 images",
            "--batch must be >= 1"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = concat(new String[] {"analyze", "--checkpoint", ckpt.toString(), "--data", data.toString(),
                "--device", "java:0", "--out", out}, cases[i]);
            CliTest.Run r = CliTest.cli(args);
            assertThat(r.code()).as(r.out()).isEqualTo(2);
            assertThat(r.out()).contains(messages[i]).doesNotContain("Exception");
        }
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        CliTest.Run broken = CliTest.cli("analyze", "--checkpoint", junk.toString(), "--data", data.toString(), "--out", out);
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.out()).contains("junk.safetensors").doesNotContain("Exception");
        CliTest.Run noData = CliTest.cli("analyze", "--checkpoint", ckpt.toString(), "--data",
                dir.resolve("nowhere").toString(), "--out", out);
        assertThat(noData.code()).isEqualTo(2);
        assertThat(noData.out()).contains("nowhere");
        Path file = dir.resolve("afile");
        Files.writeString(file, "x");
        CliTest.Run notDir = CliTest.cli("analyze", "--checkpoint", ckpt.toString(), "--data", data.toString(),
                "--out", file.toString());
        assertThat(notDir.code()).isEqualTo(2);
        assertThat(notDir.out()).contains("not a directory");
        assertThat(CliTest.cli("analyze").code()).isEqualTo(2);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void helpExplainsTheDefinitions() {
        CliTest.Run r = CliTest.cli("analyze", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: multimax analyze").contains("the row's mean score")
                .contains("softmax(T=1) gives on the row");
    }

    private static Path checkpoint(Path dir, Activation act) {
        VitModel m = TinyModels.randomModel(TinyModels.config(act, act, false), 5);
        Path ckpt = dir.resolve(act.id() + ".safetensors");
        Checkpoint.save(ckpt, m, MeanStd.MNIST);
        return ckpt;
    }

    /** An MNIST-layout folder of 8×8 images, labels 0..2; 4 train and {@code test} test images. */
    static Path writeData(Path dir, int test) throws Exception {
        Files.createDirectories(dir);
        Random rng = new Random(11);
        writeSplit(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 4, rng);
        writeSplit(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", test, rng);
        return dir;
    }

    private static void writeSplit(Path dir, String images, String labels, int n, Random rng) throws Exception {
        ByteBuffer img = ByteBuffer.allocate(16 + n * 64).putInt(0x803).putInt(n).putInt(8).putInt(8);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 64; k++) {
                int y = k / 8;
                int x = k % 8;
                boolean stroke = Math.abs(x - 2 - i % 4) <= 1 || (y == 4 && x > 1);
                img.put((byte) (stroke ? 200 + rng.nextInt(56) : rng.nextInt(20)));
            }
            lab.put((byte) (i % 3));
        }
        Files.write(dir.resolve(images), img.array());
        Files.write(dir.resolve(labels), lab.array());
    }

    private static void checkPng(Path png, int width, int height) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).containsExactly(PNG_MAGIC);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(img.getWidth()).isEqualTo(width);
        assertThat(img.getHeight()).isEqualTo(height);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
