package dev.multimax.cli;

import static dev.multimax.cli.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.nn.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multimax study}: options, and a tiny study on real MNIST writing all its files. */
class StudyCommandTest {
    @Test
    void helpSaysWhatIsComparedAndThatSeedsAndDataOrderAreShared() {
        CliTest.Run r = cli("study", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: multimax study").contains("softmax").contains("multimax")
                .contains("data order").contains("--all");
    }

    @Test
    void badOptionsExitWith2AndOneLine(@TempDir Path dir) {
        for (String[] args : new String[][] {
                {"study"},
                {"study", "--out", dir.toString(), "--seeds", "0"},
                {"study", "--out", dir.toString(), "--epochs", "0"},
                {"study", "--out", dir.toString(), "--batch", "0"},
                {"study", "--out", dir.toString(), "--preset", "nope"},
                {"study", "--out", dir.toString(), "--limit-test", "-1"}}) {
            CliTest.Run r = cli(args);
            assertThat(r.code()).as(Arrays.toString(args)).isEqualTo(2);
            assertThat(r.out().strip().lines().count()).as(r.out()).isEqualTo(1);
        }
    }

    @Test
    void variantsAreSoftmaxAndMultimaxOrEveryActivation() {
        assertThat(StudyCommand.variants(false)).containsExactly(Activation.SOFTMAX, Activation.MULTIMAX);
        assertThat(StudyCommand.variants(true)).containsExactly(Activation.values());
    }

    @Test
    void tinyStudyWritesTableCurvesJsonAndCheckpoints(@TempDir Path dir) throws Exception {
        dev.multimax.data.TestData.requireMnist();
        Path out = dir.resolve("study");
        CliTest.Run r = cli("study", "--out", out.toString(), "--epochs", "1", "--seeds", "2", "--limit-train", "256",
                "--limit-test", "128", "--batch", "64", "--device", "java:0");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("run 4/4: variant 2/2 multimax, seed 2/2").contains("epoch 1/1: step 1/4")
                .contains("epoch 1/1: train loss");

        String md = Files.readString(out.resolve("study.md"));
        assertThat(md).contains("| variant | final test accuracy (%)").contains("| softmax | ").contains("| multimax | ")
                .contains(" ± ").contains("## Sparsity S and multi-modality M per layer");
        int depth = dev.multimax.model.Presets.get(dev.multimax.model.Presets.DEFAULT).depth();
        assertThat(md.lines().filter(l -> l.matches("\\| \\d+ \\|.*"))).hasSize(depth);

        byte[] png = Files.readAllBytes(out.resolve("curves.png"));
        assertThat(png.length).isGreaterThan(1000);
        assertThat(Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');

        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("study.json"))).getAsJsonObject();
        JsonArray runs = json.getAsJsonArray("runs");
        assertThat(runs).hasSize(4);
        for (var e : runs) {
            JsonObject run = e.getAsJsonObject();
            assertThat(run.get("final_test_acc").getAsDouble()).isBetween(0.0, 1.0);
            assertThat(run.get("ms_per_step").getAsDouble()).isPositive();
            assertThat(run.getAsJsonArray("epochs")).hasSize(1);
            assertThat(run.getAsJsonArray("layers")).hasSize(depth);
            assertThat(out.resolve(run.get("checkpoint").getAsString())).isRegularFile();
        }
        assertThat(out.resolve("runs/softmax-seed1/model.safetensors")).isRegularFile();
        assertThat(out.resolve("runs/multimax-seed2/model.safetensors")).isRegularFile();
    }
}
