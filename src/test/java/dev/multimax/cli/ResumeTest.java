package dev.multimax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.data.TestData;
import dev.multimax.io.SafetensorsFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints on disk and {@code train --resume}: a checkpoint damaged by a crash while it was
 * written (or later) is reported and skipped, the previous complete one is used, and the run ends
 * bitwise where an uninterrupted one does; conflicting options are refused with exit code 2.
 */
class ResumeTest {
    private static final String[] RUN = {"train", "--device", "java:0", "--limit-train", "64", "--val", "0", "--limit-test", "32",
        "--batch", "16", "--epochs", "2", "--warmup", "2", "--checkpoint-every", "2", "--keep-checkpoints", "3"};

    private static String[] args(String... more) {
        String[] all = new String[RUN.length + more.length];
        System.arraycopy(RUN, 0, all, 0, RUN.length);
        System.arraycopy(more, 0, all, RUN.length, more.length);
        return all;
    }

    @Test
    void damagedNewestCheckpointsAreReportedAndTheLastCompleteOneIsUsed(@TempDir Path dir) throws Exception {
        TestData.requireMnist();
        Path ref = dir.resolve("ref");
        CliTest.Run r0 = CliTest.cli(args("--out", ref.toString(), "--log-jsonl", ref.resolve("log.jsonl").toString()));
        assertThat(r0.code()).as(r0.out()).isZero();
        Path run = dir.resolve("run");
        CliTest.Run r1 = CliTest.cli(args("--out", run.toString(), "--log-jsonl", run.resolve("log.jsonl").toString()));
        assertThat(r1.code()).as(r1.out()).isZero();
        Path cps = run.resolve("checkpoints");
        // 8 steps, every 2, keep 3: steps 4, 6 and 8 remain, each complete
        assertThat(names(cps)).containsExactly("step-00000004", "step-00000006", "step-00000008");
        for (String f : List.of("manifest.json", "model.safetensors", "optimizer.safetensors", "position.json")) {
            assertThat(cps.resolve("step-00000004").resolve(f)).isRegularFile();
        }
        JsonObject pos = JsonParser.parseString(Files.readString(cps.resolve("step-00000006/position.json"))).getAsJsonObject();
        assertThat(pos.get("epoch").getAsInt()).isEqualTo(2);
        assertThat(pos.get("step_in_epoch").getAsInt()).isEqualTo(2);
        assertThat(pos.get("global_step").getAsInt()).isEqualTo(6);
        assertThat(pos.getAsJsonArray("epochs")).hasSize(1);

        // a crash mid-write of step 8 (no manifest), a truncated file in step 6, a leftover temp folder
        Files.delete(cps.resolve("step-00000008/manifest.json"));
        try (FileChannel ch = FileChannel.open(cps.resolve("step-00000006/optimizer.safetensors"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        Files.createDirectories(cps.resolve("step-00000008.tmp-123"));
        Files.writeString(cps.resolve("step-00000008.tmp-123/position.json"), "{");
        Files.delete(run.resolve("model.safetensors"));

        CliTest.Run resumed = CliTest.cli("train", "--resume", run.toString());
        assertThat(resumed.code()).as(resumed.out()).isZero();
        assertThat(resumed.out())
                .contains("step-00000008: incomplete (no manifest.json), skipped")
                .contains("step-00000006: optimizer.safetensors has ")
                .contains("step-00000008.tmp-123: incomplete")
                .contains("resuming from " + cps.resolve("step-00000004") + ": epoch 2, step 0/4 of it, global step 4");
        // without --device the run continues on the checkpoint's device (not on what 'auto' picks here)
        assertThat(resumed.out()).contains("device: java:0 — ").contains("(the resumed run's device)");
        assertThat(Files.readAllBytes(run.resolve("model.safetensors")))
                .as("final weights, bitwise (relative L2 %s)", relativeL2(run.resolve("model.safetensors"),
                        ref.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(ref.resolve("model.safetensors")));
        // the damaged folders were rewritten by the resumed run, the temp folder removed
        assertThat(names(cps)).containsExactly("step-00000004", "step-00000006", "step-00000008");
        assertThat(cps.resolve("step-00000008/manifest.json")).isRegularFile();
        // the log: the epoch-2 line and 'done' of the first run were cut back, written once again
        List<String> log = Files.readAllLines(run.resolve("log.jsonl"));
        List<String> refLog = Files.readAllLines(ref.resolve("log.jsonl"));
        assertThat(log).hasSize(3);
        for (int i = 0; i < 2; i++) {
            JsonObject a = JsonParser.parseString(log.get(i)).getAsJsonObject();
            JsonObject b = JsonParser.parseString(refLog.get(i)).getAsJsonObject();
            assertThat(a.get("epoch")).isEqualTo(b.get("epoch"));
            assertThat(a.get("train_loss").getAsDouble()).isEqualTo(b.get("train_loss").getAsDouble());
            assertThat(a.get("test_loss").getAsDouble()).isEqualTo(b.get("test_loss").getAsDouble());
        }
    }

    @Test
    void conflictingOptionsAreRefusedAndMissingCheckpointsAreAnError(@TempDir Path dir) throws Exception {
        TestData.requireMnist();
        Path run = dir.resolve("run");
        CliTest.Run r1 = CliTest.cli("train", "--device", "java:0", "--limit-train", "16", "--val", "0", "--limit-test", "16",
                "--batch", "16", "--epochs", "1", "--out", run.toString());
        assertThat(r1.code()).as(r1.out()).isZero();
        assertThat(run.resolve("checkpoints/step-00000001/manifest.json")).isRegularFile();
        CliTest.Run lr = CliTest.cli("train", "--resume", run.toString(), "--lr", "0.1");
        assertThat(lr.code()).isEqualTo(2);
        assertThat(lr.out()).contains("--lr 0.1 conflicts with the resumed run's --lr 0.003");
        CliTest.Run same = CliTest.cli("train", "--resume", run.toString(), "--batch", "16", "--epochs", "1");
        assertThat(same.code()).as(same.out()).isZero();
        CliTest.Run out = CliTest.cli("train", "--resume", run.toString(), "--out", dir.resolve("elsewhere").toString());
        assertThat(out.code()).isEqualTo(2);
        Files.createDirectories(dir.resolve("empty"));
        CliTest.Run none = CliTest.cli("train", "--resume", dir.resolve("empty").toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.out()).contains("no complete checkpoint");
    }

    /** ‖a − b‖ / ‖b‖ over every tensor of two checkpoints with the same names. */
    static double relativeL2(Path a, Path b) {
        SafetensorsFile fa = SafetensorsFile.read(a);
        SafetensorsFile fb = SafetensorsFile.read(b);
        assertThat(fa.names()).isEqualTo(fb.names());
        double diff = 0;
        double norm = 0;
        for (String n : fb.names()) {
            float[] x = fa.floats(n);
            float[] y = fb.floats(n);
            for (int i = 0; i < y.length; i++) {
                diff += (double) (x[i] - y[i]) * (x[i] - y[i]);
                norm += (double) y[i] * y[i];
            }
        }
        System.out.println("relative L2 " + a + " vs " + b + ": " + Math.sqrt(diff / norm));
        return Math.sqrt(diff / norm);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
