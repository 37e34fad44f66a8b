package dev.multimax.cli;

import static dev.multimax.cli.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multimax check}, {@code train --check-step} and {@code profile --check} from the command line. */
class CheckCommandTest {
    @Test
    void checkPrintsATableAndOneJsonObjectPerRow(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("check.json");
        Run r = cli("check", "--device", "java:0", "--ops", "linear,loss", "--seed", "11", "--json", json.toString());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.stdout()).contains("device", "op", "variant", "shape", "max abs err", "rel L2", "tolerance", "ok")
                .contains("bias_add_bwd", "cross_entropy", "nll_probs").contains("checks, 0 failed")
                .doesNotContain("step ");
        JsonArray rows = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        long printed = r.stdout().lines().filter(l -> l.startsWith("java:0 ")).count();
        assertThat(rows).hasSize((int) printed);
        JsonObject first = rows.get(0).getAsJsonObject();
        for (String k : new String[] {"device", "op", "family", "variant", "shape", "max_abs_error", "rel_l2", "tolerance", "ok"}) {
            assertThat(first.has(k)).as(k).isTrue();
        }
        assertThat(first.get("device").getAsString()).isEqualTo("java:0");
        assertThat(first.get("family").getAsString()).isIn("linear", "residual", "loss");
    }

    @Test
    void checkStepAloneRunsTheStepRows() {
        Run r = cli("check", "--device", "java:0", "--step");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.stdout()).contains("per task", "end to end", "tiny multimax", "tiny softmax", "mnist-vit-p7 batch=4")
                .doesNotContain("matmul ");
    }

    @Test
    void badChecksOptionsAreUserErrors() {
        assertThat(cli("check", "--device", "nope").code()).isEqualTo(2);
        Run ops = cli("check", "--ops", "foo");
        assertThat(ops.code()).isEqualTo(2);
        assertThat(ops.out()).contains("--ops: unknown op family 'foo'").contains("multimax");
        assertThat(cli("check", "--device", "auto").out()).contains("--device auto: name a device");
        assertThat(cli("train", "--check-step", "-1").out()).contains("--check-step must be >= 0");
    }

    @Test
    void trainCheckStepReportsEveryTask(@TempDir Path dir) {
        dev.multimax.data.TestData.requireMnist();
        Run r = cli("train", "--limit-train", "256", "--val", "64", "--limit-test", "64", "--epochs", "1", "--batch", "64",
                "--check-step", "2", "--out", dir.resolve("run").toString());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.stdout()).containsPattern("check: step 2: all \\d+ tasks within their tolerances against ref:0");
    }
}
