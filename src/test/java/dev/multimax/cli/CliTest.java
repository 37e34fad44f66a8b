package dev.multimax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: exit codes, messages, files written. */
class CliTest {
    /** Exit code and everything printed (stdout and stderr). */
    record Run(int code, String out) {
    }

    static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(p);
        System.setErr(p);
        try {
            int code = Main.run(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpExplainsEveryCommand() {
        for (String cmd : List.of("train", "eval", "devices", "bench", "profile", "compare", "simplex", "analyze")) {
            Run r = cli(cmd, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Usage: multimax " + cmd);
        }
    }

    @Test
    void badOptionsFailBeforeAnyWorkWithExitCode2(@TempDir Path dir) {
        Run preset = cli("train", "--preset", "nope", "--data", dir.toString());
        assertThat(preset.code()).isEqualTo(2);
        assertThat(preset.out()).contains("unknown preset 'nope'").doesNotContain("at dev.multimax");
        assertThat(cli("train", "--epochs", "0").out()).contains("--epochs must be >= 1");
        assertThat(cli("train", "--lr", "-1").code()).isEqualTo(2);
        assertThat(cli("train", "--beta2", "1.5").out()).contains("--beta2 must be in (0, 1)");
        assertThat(cli("train", "--attn", "tanh").out()).contains("unknown activation 'tanh'");
        Run device = cli("devices", "--json");
        assertThat(device.code()).isZero();
        assertThat(device.out()).contains("\"id\": \"java:0\"");
        assertThat(cli("train", "--device", "cuda:7", "--data", dir.toString()).code()).isEqualTo(2);
    }

    @Test
    void missingOrBrokenDataNamesTheFile(@TempDir Path dir) throws Exception {
        Run missing = cli("train", "--data", dir.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.out()).contains("nowhere");
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.write(dir.resolve(f), new byte[] {0, 0, 8, 3, 0, 0});
        }
        Run broken = cli("train", "--data", dir.toString(), "--out", dir.resolve("out").toString());
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.out()).contains("train-images-idx3-ubyte").doesNotContain("Exception");
        assertThat(dir.resolve("out/model.safetensors")).doesNotExist();
    }

    @Test
    void trainThenEvalOnRealMnist(@TempDir Path dir) throws Exception {
        dev.multimax.data.TestData.requireMnist();
        Path out = dir.resolve("run");
        Path log = dir.resolve("log.jsonl");
        Run train = cli("train", "--limit-train", "256", "--limit-test", "128", "--epochs", "1", "--batch", "64",
                "--out", out.toString(), "--log-jsonl", log.toString());
        assertThat(train.code()).as(train.out()).isZero();
        assertThat(train.out()).containsPattern("device: (java:0|opencl:\\d+:\\d+)").contains("epoch 1:");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        JsonObject epoch = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        for (String k : List.of("event", "epoch", "train_loss", "test_acc", "images_per_s", "elapsed_s")) {
            assertThat(epoch.has(k)).as(k).isTrue();
        }
        JsonObject done = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertThat(done.get("event").getAsString()).isEqualTo("done");
        Path ckpt = out.resolve("model.safetensors");
        assertThat(done.get("checkpoint").getAsString()).isEqualTo(ckpt.toString());

        Path logits = dir.resolve("logits.f32");
        Path inputs = dir.resolve("inputs.f32");
        Run eval = cli("eval", "--checkpoint", ckpt.toString(), "--limit-test", "128", "--json",
                "--dump-logits", logits.toString(), "--dump-inputs", inputs.toString(), "--n", "70");
        assertThat(eval.code()).as(eval.out()).isZero();
        JsonObject res = JsonParser.parseString(eval.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                .getAsJsonObject();
        assertThat(res.get("images").getAsInt()).isEqualTo(128);
        assertThat(res.get("accuracy").getAsDouble()).isEqualTo(done.get("test_acc").getAsDouble());
        assertThat(Files.size(logits)).isEqualTo(70L * 10 * 4);
        assertThat(Files.size(inputs)).isEqualTo(70L * 28 * 28 * 4);

        Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3});
        Run bad = cli("eval", "--checkpoint", dir.resolve("bad.safetensors").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out()).contains("bad.safetensors");
    }
}
