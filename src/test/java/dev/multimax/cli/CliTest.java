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
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line end to end: exit codes, messages, files written. */
class CliTest {
    /** Exit code, everything printed (stdout and stderr, interleaved), and stdout alone. */
    record Run(int code, String out, String stdout) {
    }

    static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
                stdout.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
                stdout.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        System.setErr(both);
        try {
            int code = Main.run(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8), stdout.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpExplainsEveryCommand() {
        for (String cmd : List.of("train", "eval", "devices", "bench", "profile", "compare", "simplex", "analyze", "study")) {
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
        assertThat(JsonParser.parseString(device.stdout()).getAsJsonArray()).isNotEmpty();
        assertThat(cli("train", "--device", "gpu:7", "--data", dir.toString()).code()).isEqualTo(2);
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
        Run train = cli("train", "--limit-train", "256", "--val", "64", "--limit-test", "128", "--epochs", "1",
                "--batch", "64", "--out", out.toString(), "--log-jsonl", log.toString());
        assertThat(train.code()).as(train.out()).isZero();
        assertThat(train.out()).containsPattern("device: (java:0|opencl:\\d+:\\d+)").contains("epoch 1:");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        JsonObject epoch = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(train.out()).contains("192 train / 64 validation").contains("val acc");
        for (String k : List.of("event", "epoch", "train_loss", "val_acc", "val_loss", "test_acc", "images_per_s",
                "elapsed_s")) {
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
        // --json: stdout is the JSON object alone (the device line and notices go to stderr)
        JsonObject res = JsonParser.parseString(eval.stdout()).getAsJsonObject();
        assertThat(res.get("images").getAsInt()).isEqualTo(128);
        assertThat(res.get("accuracy").getAsDouble()).isEqualTo(done.get("test_acc").getAsDouble());
        assertThat(Files.size(logits)).isEqualTo(70L * 10 * 4);
        assertThat(Files.size(inputs)).isEqualTo(70L * 28 * 28 * 4);

        Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3});
        Run bad = cli("eval", "--checkpoint", dir.resolve("bad.safetensors").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out()).contains("bad.safetensors");
    }

    /** Files the option table refers to: {@code @} in an argument stands for this folder. */
    @TempDir
    static Path fixtures;

    @BeforeAll
    static void writeFixtures() throws Exception {
        Files.writeString(fixtures.resolve("file.txt"), "not a directory");
        Files.write(fixtures.resolve("model.safetensors"), new byte[] {1, 2, 3});
        Files.createDirectories(fixtures.resolve("empty-home"));
        Files.createDirectories(fixtures.resolve("data"));
    }

    /** Expected message, then the arguments: every bad value of every option of every command. */
    static Stream<Arguments> badOptions() {
        return Stream.of(
                row("--preset: unknown preset 'nope'", "train", "--preset", "nope"),
                row("--attn: unknown activation 'tanh'", "train", "--attn", "tanh"),
                row("--head: unknown activation 'relu'", "train", "--head", "relu"),
                row("--epochs must be >= 1, got 0", "train", "--epochs", "0"),
                row("--epochs must be >= 1, got -3", "train", "--epochs", "-3"),
                row("--batch must be >= 1, got 0", "train", "--batch", "0"),
                row("--lr must be a positive number, got 0.0", "train", "--lr", "0"),
                row("--lr must be a positive number, got -1.0", "train", "--lr", "-1"),
                row("--lr must be a positive number, got NaN", "train", "--lr", "NaN"),
                row("--lr must be a positive number, got Infinity", "train", "--lr", "Infinity"),
                row("--min-lr must be a number >= 0, got -1.0E-5", "train", "--min-lr", "-1e-5"),
                row("--min-lr must be <= --lr", "train", "--min-lr", "0.1"),
                row("--warmup must be >= 0, got -1", "train", "--warmup", "-1"),
                row("--weight-decay must be a number >= 0, got -0.1", "train", "--weight-decay", "-0.1"),
                row("--beta2 must be in (0, 1), got 0.0", "train", "--beta2", "0"),
                row("--beta2 must be in (0, 1), got 1.0", "train", "--beta2", "1"),
                row("--beta2 must be in (0, 1), got 1.5", "train", "--beta2", "1.5"),
                row("--limit-train must be >= 0, got -1", "train", "--limit-train", "-1"),
                row("--limit-test must be >= 0, got -1", "train", "--limit-test", "-1"),
                row("--val must be >= 0, got -1", "train", "--val", "-1"),
                row("--shift must be >= 0, got -2", "train", "--shift", "-2"),
                row("--val 5000 leaves no training images of --limit-train 300", "train", "--limit-train", "300"),
                row("--data: @/nowhere: data directory not found", "train", "--data", "@/nowhere"),
                row("--data: @/file.txt: not a directory", "train", "--data", "@/file.txt"),
                row("--out @/file.txt: exists and is not a directory", "train", "--out", "@/file.txt"),
                row("--log-jsonl @/no/log.jsonl: cannot write: directory @/no does not exist", "train",
                        "--log-jsonl", "@/no/log.jsonl"),
                row("--log-jsonl @: is a directory", "train", "--log-jsonl", "@"),
                row("--device: unknown device 'gpu:7'", "train", "--device", "gpu:7"),
                row("Invalid value for option '--batch'", "train", "--batch", "abc"),
                row("Unknown option: '--bogus'", "train", "--bogus"),
                row("Missing required option: '--checkpoint=FILE'", "eval"),
                row("--checkpoint @/none.safetensors: file not found", "eval", "--checkpoint", "@/none.safetensors"),
                row("--checkpoint @: not a regular file", "eval", "--checkpoint", "@"),
                row("--batch must be >= 1, got 0", "eval", "--checkpoint", "@/model.safetensors", "--batch", "0"),
                row("--limit-test must be >= 0, got -2", "eval", "--checkpoint", "@/model.safetensors",
                        "--limit-test", "-2"),
                row("--n must be >= 1, got 0", "eval", "--checkpoint", "@/model.safetensors", "--n", "0",
                        "--dump-logits", "@/logits.f32"),
                row("--dump-logits @/no/l.f32: cannot write", "eval", "--checkpoint", "@/model.safetensors",
                        "--dump-logits", "@/no/l.f32"),
                row("--dump-inputs @: is a directory", "eval", "--checkpoint", "@/model.safetensors",
                        "--dump-inputs", "@"),
                row("--data: @/nowhere: data directory not found", "eval", "--checkpoint", "@/model.safetensors",
                        "--data", "@/nowhere"),
                row("--device: unknown device 'tpu:0'", "eval", "--checkpoint", "@/model.safetensors",
                        "--device", "tpu:0"),
                row("--preset: unknown preset 'vit-huge'", "bench", "--preset", "vit-huge"),
                row("--batch must be >= 1, got 0", "bench", "--batch", "0"),
                row("--repeats must be >= 1, got 0", "bench", "--repeats", "0"),
                row("--json @/no/bench.json: cannot write", "bench", "--json", "@/no/bench.json"),
                row("--device: unknown device 'opencl:9:9'", "bench", "--device", "opencl:9:9"),
                row("--device: unknown device 'opencl:9:9'", "check", "--device", "opencl:9:9"),
                row("--device auto: name a device, or 'all'", "check", "--device", "auto"),
                row("--ops: unknown op family 'attn'", "check", "--ops", "attn"),
                row("--json @: is a directory", "check", "--json", "@"),
                row("--check-step must be >= 0, got -2", "train", "--check-step", "-2"),
                row("--preset: unknown preset 'x'", "profile", "--preset", "x"),
                row("--batch must be >= 1, got -1", "profile", "--batch", "-1"),
                row("--steps must be >= 1, got 0", "profile", "--steps", "0"),
                row("--warmup must be >= 0, got -1", "profile", "--warmup", "-1"),
                row("--json @: is a directory", "profile", "--json", "@"),
                row("--device: unknown device 'gpu'", "profile", "--device", "gpu"),
                row("Missing required option: '--devices", "compare"),
                row("--devices names java:0 twice", "compare", "--devices", "java:0,java:0"),
                row("--devices: unknown device 'gpu:1'", "compare", "--devices", "java:0,gpu:1"),
                row("--preset: unknown preset 'x'", "compare", "--devices", "java:0", "--preset", "x"),
                row("--steps must be >= 1, got 0", "compare", "--devices", "java:0", "--steps", "0"),
                row("--out @/file.txt: exists and is not a directory", "compare", "--devices", "java:0",
                        "--out", "@/file.txt"),
                row("Unknown option: '--bogus'", "devices", "--bogus"));
    }

    private static Arguments row(String message, String... args) {
        return Arguments.of(message, args);
    }

    /**
     * Bad values fail with exit code 2 and a message naming the option, before any work: MNIST
     * is not installed (the home has none), no device is opened, nothing is written.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("badOptions")
    void everyBadOptionFailsFirstWithExitCode2(String message, String[] args) throws Exception {
        String at = fixtures.toString();
        String[] real = Stream.of(args).map(a -> a.replace("@", at)).toArray(String[]::new);
        String oldHome = System.getProperty("multimax.home");
        System.setProperty("multimax.home", fixtures.resolve("empty-home").toString());
        Run r;
        try {
            r = cli(real);
        } finally {
            if (oldHome == null) System.clearProperty("multimax.home");
            else System.setProperty("multimax.home", oldHome);
        }
        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.out()).contains(message.replace("@", at)).doesNotContain("at dev.multimax")
                .doesNotContain("MNIST not found").doesNotContainPattern("(?m)^device: ").doesNotContain("internal error");
        if (r.out().startsWith("error: ")) assertThat(r.out().strip()).doesNotContain("\n");
        assertThat(fixtures.resolve("empty-home/node_modules")).doesNotExist();
        assertThat(fixtures.resolve("logits.f32")).doesNotExist();
    }

    /** An image size the preset's patch does not divide is reported against the options, before a device opens. */
    @Test
    void presetThatDoesNotFitTheDataNamesTheOptions(@TempDir Path dir) throws Exception {
        int n = 4;
        int side = 30;
        ByteBuffer images = ByteBuffer.allocate(16 + n * side * side).putInt(0x803).putInt(n).putInt(side).putInt(side);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n).put(new byte[] {0, 1, 0, 1});
        for (String split : List.of("train", "t10k")) {
            Files.write(dir.resolve(split + "-images-idx3-ubyte"), images.array());
            Files.write(dir.resolve(split + "-labels-idx1-ubyte"), labels.array());
        }
        Run r = cli("train", "--data", dir.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.out()).contains("error: --preset does not fit --data (30x30 images, 2 classes)")
                .contains("image size 30 is not divisible by patch size 7").doesNotContainPattern("(?m)^device: ");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
