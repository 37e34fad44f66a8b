package dev.multimax.cli;

import static dev.multimax.cli.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.model.VitConfig;
import dev.multimax.nn.Activation;
import dev.multimax.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --attn / --head / --attn-temperature: parsing, a short run, and the checkpoint's record of the choice. */
class ActivationCliTest {
    @Test
    void badActivationOptionsFailWithExitCode2() {
        CliTest.Run t = cli("train", "--attn", "multimax", "--attn-temperature", "0.5");
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.out()).contains("needs softmax attention");
        assertThat(cli("train", "--attn", "softmax", "--attn-temperature", "0").out()).contains("temperature must be positive");
        assertThat(cli("train", "--head", "sparsemx").out()).contains("unknown activation 'sparsemx'")
                .contains("sparsemax, entmax15, evsoftmax");
    }

    @Test
    void sparsemaxAttentionTrainsOnJavaAndTheCheckpointRemembersIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        writeSet(data, "train", 128, 1);
        writeSet(data, "t10k", 64, 2);
        Path out = dir.resolve("run");
        Path log = dir.resolve("log.jsonl");
        CliTest.Run train = cli("train", "--device", "java:0", "--data", data.toString(), "--attn", "sparsemax", "--head", "entmax15",
                "--limit-train", "128", "--val", "0", "--limit-test", "64", "--epochs", "1", "--batch", "32",
                "--out", out.toString(), "--log-jsonl", log.toString());
        assertThat(train.code()).as(train.out()).isZero();
        assertThat(train.out()).contains("attn sparsemax, head entmax15");
        List<String> lines = Files.readAllLines(log);
        JsonObject epoch = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        double loss = epoch.get("train_loss").getAsDouble();
        assertThat(Double.isFinite(loss)).as("train loss " + loss).isTrue();
        Path ckpt = out.resolve("model.safetensors");
        VitConfig c = Checkpoint.load(ckpt).model().config();
        assertThat(c.attnAct()).isEqualTo(Activation.SPARSEMAX);
        assertThat(c.headAct()).isEqualTo(Activation.ENTMAX15);
        CliTest.Run eval = cli("eval", "--checkpoint", ckpt.toString(), "--device", "java:0", "--data", data.toString(), "--limit-test", "64", "--json");
        assertThat(eval.code()).as(eval.out()).isZero();
        JsonObject res = JsonParser.parseString(eval.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                .getAsJsonObject();
        assertThat(res.get("accuracy").getAsDouble()).isEqualTo(epoch.get("test_acc").getAsDouble());
    }

    /** IDX files of n 28×28 images (a bright square whose place depends on the label) and labels 0..9. */
    private static void writeSet(Path dir, String prefix, int n, long seed) throws Exception {
        java.util.Random rng = new java.util.Random(seed);
        java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
        java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(10);
            lab.put((byte) label);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean on = y / 7 == label / 4 && x / 7 == label % 4;
                    img.put((byte) (on ? 200 + rng.nextInt(56) : rng.nextInt(40)));
                }
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), img.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), lab.array());
    }

    @Test
    void configJsonKeepsActivationsAndTemperature() {
        VitConfig c = dev.multimax.model.Presets.get("mnist-vit").withActivations(Activation.SOFTMAX, Activation.EVSOFTMAX, 0.25);
        VitConfig back = VitConfig.fromJson(c.toJson(0.1, 0.3).toString(), "x");
        assertThat(back).isEqualTo(c);
        JsonObject old = c.toJson(0.1, 0.3);
        old.remove("attn_temperature");
        assertThat(VitConfig.fromJson(old.toString(), "x").attnTemperature()).isEqualTo(1.0);
        for (Activation a : Activation.values()) {
            VitConfig d = c.withActivations(a, a);
            assertThat(VitConfig.fromJson(d.toJson(0, 1).toString(), "x")).isEqualTo(d);
        }
    }
}
