package dev.multimax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.data.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training in a child JVM is killed with SIGKILL at random moments (each after at least one new
 * checkpoint is complete), resumed each time, and must end with the same bytes in
 * {@code model.safetensors}, and the same epoch lines in the JSONL log, as an uninterrupted run.
 */
class KillAndResumeTest {
    private static final List<String> TRAIN = List.of("train", "--device", "java:0", "--limit-train", "96", "--val", "0",
            "--limit-test", "32", "--batch", "16", "--epochs", "3", "--warmup", "3", "--checkpoint-every", "2");

    @Test
    void sigkillAtRandomMomentsThenResumeGivesBitwiseTheUninterruptedWeights(@TempDir Path dir) throws Exception {
        TestData.requireMnist();
        long seed = System.nanoTime();
        System.out.println("kill-and-resume seed " + seed);
        Random random = new Random(seed);

        Path ref = dir.resolve("ref");
        Process p = start(dir, "ref", args("--out", ref.toString(), "--log-jsonl", ref.resolve("log.jsonl").toString()));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("ref.out"))).isZero();

        Path run = dir.resolve("run");
        List<String> cmd = args("--out", run.toString(), "--log-jsonl", run.resolve("log.jsonl").toString());
        int kills = 0;
        for (int attempt = 0; attempt < 4; attempt++) {
            Process child = start(dir, "run" + attempt, cmd);
            int before = newestStep(run);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (child.isAlive() && newestStep(run) <= before && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(random.nextInt(700));
            if (child.isAlive()) {
                child.destroyForcibly();
                kills++;
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            if (child.exitValue() == 0) break; // finished before the kill
            cmd = List.of("train", "--resume", run.toString());
        }
        System.out.println("killed " + kills + " times");
        Process last = start(dir, "last", List.of("train", "--resume", run.toString()));
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(dir.resolve("last.out"))).isZero();
        assertThat(kills).isGreaterThan(0);

        // the resumes name no --device: they continue on the checkpoint's (java:0), so bitwise
        double rel = ResumeTest.relativeL2(run.resolve("model.safetensors"), ref.resolve("model.safetensors"));
        assertThat(Files.readAllBytes(run.resolve("model.safetensors")))
                .as("final weights after %d kills, bitwise (relative L2 %s)", kills, rel)
                .isEqualTo(Files.readAllBytes(ref.resolve("model.safetensors")));
        List<JsonObject> log = events(run.resolve("log.jsonl"));
        List<JsonObject> refLog = events(ref.resolve("log.jsonl"));
        assertThat(log).hasSameSizeAs(refLog);
        for (int i = 0; i < log.size(); i++) {
            for (String k : List.of("event", "epoch", "train_loss", "test_loss", "test_acc")) {
                if (log.get(i).get(k) == null) continue;
                if (k.equals("event")) {
                    assertThat(log.get(i).get(k)).as("log line %d, %s", i, k).isEqualTo(refLog.get(i).get(k));
                } else {
                    assertThat(log.get(i).get(k).getAsDouble()).as("log line %d, %s", i, k)
                            .isEqualTo(refLog.get(i).get(k).getAsDouble());
                }
            }
        }
    }

    private static List<String> args(String... more) {
        List<String> a = new ArrayList<>(TRAIN);
        a.addAll(List.of(more));
        return a;
    }

    /** The CLI in a child JVM with this test's class path, 2 Java-device threads, output to NAME.out. */
    private static Process start(Path dir, String name, List<String> cliArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.multimax.cli.Main"));
        cmd.addAll(cliArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().put("MULTIMAX_THREADS", "2");
        return pb.start();
    }

    /** The newest complete checkpoint's step (a manifest in a final-named folder), 0 if none. */
    private static int newestStep(Path run) throws IOException {
        Path cps = run.resolve("checkpoints");
        if (!Files.isDirectory(cps)) return 0;
        try (Stream<Path> s = Files.list(cps)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{8}"))
                    .filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .mapToInt(p -> Integer.parseInt(p.getFileName().toString().substring(5))).max().orElse(0);
        } catch (java.io.UncheckedIOException e) {
            return 0; // a folder renamed or pruned while listing
        }
    }

    private static List<JsonObject> events(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }
}
