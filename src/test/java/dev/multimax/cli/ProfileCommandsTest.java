package dev.multimax.cli;

import static dev.multimax.cli.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** profile and compare on every test device with a tiny batch: files, keys, tables, exit codes. */
class ProfileCommandsTest {
    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void profileWritesOneTornadoProfilePerStepAndASummary(String id, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("profile.json");
        Run r = cli("profile", "--device", id, "--batch", "2", "--steps", "2", "--warmup", "1", "--json", json.toString());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("family / kernel", "ms/step", "GFLOP/s", "GB/s", "images/s")
                .contains("attn_multimax_fwd", id + ": profiled step 2/2");
        JsonArray steps = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertThat(steps).hasSize(2);
        for (JsonElement e : steps) {
            JsonObject g = e.getAsJsonObject().getAsJsonObject("step");
            for (String k : List.of("TOTAL_TASK_GRAPH_TIME", "TOTAL_KERNEL_TIME", "COPY_IN_TIME", "COPY_OUT_TIME",
                    "TOTAL_COPY_IN_SIZE_BYTES", "TOTAL_COPY_OUT_SIZE_BYTES", "ALLOCATION_BYTES", "TOTAL_DISPATCH_KERNEL_TIME")) {
                assertThat(g.has(k)).as(k).isTrue();
            }
            long sum = 0;
            int tasks = 0;
            for (Map.Entry<String, JsonElement> t : g.entrySet()) {
                if (!t.getValue().isJsonObject()) continue;
                JsonObject task = t.getValue().getAsJsonObject();
                assertThat(t.getKey()).startsWith("step.");
                assertThat(task.get("DEVICE_ID").getAsString()).isEqualTo(id);
                assertThat(task.has("BACKEND") && task.has("METHOD") && task.has("DEVICE")).isTrue();
                long kernel = Long.parseLong(task.get("TASK_KERNEL_TIME").getAsString());
                assertThat(kernel).as(t.getKey()).isPositive();
                assertThat(Long.parseLong(task.get("TASK_QUEUED_TO_END_TIME").getAsString())).isGreaterThanOrEqualTo(kernel);
                sum += kernel;
                tasks++;
            }
            assertThat(tasks).isEqualTo(151); // 150 with the fused ops (224 unfused) + the non-finite check
            assertThat(g.get("TOTAL_KERNEL_TIME").getAsString()).isEqualTo(Long.toString(sum));
            assertThat(sum).isLessThanOrEqualTo(Long.parseLong(g.get("TOTAL_TASK_GRAPH_TIME").getAsString()));
        }
    }

    /** bench's JSON has the shape on every device (a tiny step; the numbers themselves are benchmarks). */
    @ParameterizedTest
    @MethodSource("dev.multimax.device.TestDevices#ids")
    void benchWritesItsJson(String id, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Run r = cli("bench", "--device", id, "--batch", "2", "--repeats", "1", "--json", json.toString());
        assertThat(r.code()).as(r.out()).isZero();
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(o.get("device").getAsString()).isEqualTo(id);
        assertThat(o.getAsJsonObject("matmul_gflops").get("1024").getAsDouble()).isPositive();
        JsonObject step = o.getAsJsonObject("train_step");
        assertThat(step.get("preset").getAsString()).isEqualTo("mnist-vit");
        assertThat(step.get("batch").getAsInt()).isEqualTo(2);
        assertThat(step.get("ms_per_step").getAsDouble()).isPositive();
        assertThat(step.get("images_per_s").getAsDouble()).isPositive();
        JsonObject attn = step.getAsJsonObject("attention_per_layer_ms");
        assertThat(attn.get("forward").getAsDouble()).isPositive();
        assertThat(attn.get("backward").getAsDouble()).isPositive();
        assertThat(o.get("fma_peak_gflops").getAsDouble()).isPositive();
        assertThat(step.get("unfused_ms_per_step").getAsDouble()).isPositive();
        assertThat(step.get("kernel_ms").getAsDouble()).isPositive();
        JsonObject layer = o.getAsJsonObject("attention_layer");
        for (String path : List.of("multimax fused", "softmax fused", "multimax unfused", "softmax unfused")) {
            assertThat(layer.getAsJsonObject(path).get("forward").getAsDouble()).as(path).isPositive();
            assertThat(layer.getAsJsonObject(path).get("backward").getAsDouble()).as(path).isPositive();
        }
        assertThat(layer.get("multimax_over_softmax").getAsDouble()).isPositive();
    }

    @Test
    void compareWritesTableJsonAndChart(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        List<String> ids = new java.util.ArrayList<>(dev.multimax.device.TestDevices.ids());
        // an OpenCL device from source and from its SPIR-V modules: two columns, two chart series
        for (String id : dev.multimax.device.TestDevices.openClIds()) {
            if (dev.multimax.device.opencl.OpenClDevice.takesSpirv(id)) ids.add(id + "/spirv");
        }
        Run r = cli("compare", "--devices", String.join(",", ids), "--batch", "2", "--steps", "1", "--warmup", "0",
                "--out", out.toString());
        assertThat(r.code()).as(r.out()).isZero();
        String md = Files.readString(out.resolve("compare.md"));
        assertThat(md).contains("| ms per step | `java:0` |", "| matmul |", "| **step** |", "| **images/s** |");
        for (String id : ids) assertThat(md).contains("`" + id + "`");
        assertThat(r.out()).contains("| matmul |");
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("compare.json"))).getAsJsonObject();
        assertThat(json.get("baseline").getAsString()).isEqualTo("java:0");
        JsonObject dev = json.getAsJsonArray("devices").get(0).getAsJsonObject();
        assertThat(dev.get("id").getAsString()).isEqualTo("java:0");
        assertThat(dev.get("speedup").getAsDouble()).isEqualTo(1.0);
        assertThat(dev.getAsJsonObject("family_ms").has("matmul")).isTrue();
        assertThat(dev.get("step_ms").getAsDouble()).isPositive();
        byte[] png = Files.readAllBytes(out.resolve("compare.png"));
        assertThat(png.length).isGreaterThan(5_000);
        assertThat(new byte[] {png[0], png[1], png[2], png[3]}).containsExactly(0x89, 'P', 'N', 'G');
    }

    @Test
    void badOptionsFailWithExitCode2BeforeAnyWork(@TempDir Path dir) {
        assertThat(cli("profile", "--steps", "0").out()).contains("--steps must be >= 1");
        assertThat(cli("profile", "--batch", "0").code()).isEqualTo(2);
        assertThat(cli("profile", "--warmup", "-1").out()).contains("--warmup must be >= 0");
        assertThat(cli("profile", "--steps", "many").code()).isEqualTo(2);
        Run noFolder = cli("profile", "--json", dir.resolve("no/such/p.json").toString());
        assertThat(noFolder.code()).isEqualTo(2);
        assertThat(noFolder.out()).contains("does not exist").doesNotContain("profiled step");
        Run unknown = cli("compare", "--devices", "java:0,nope:1", "--out", dir.resolve("c").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.out()).contains("unknown device 'nope:1'").doesNotContain("step");
        assertThat(dir.resolve("c")).doesNotExist();
        assertThat(cli("compare", "--devices", "java:0,java:0").out()).contains("names java:0 twice");
        assertThat(cli("compare", "--devices", "java:0", "--batch", "-3").code()).isEqualTo(2);
        assertThat(cli("compare").code()).isEqualTo(2); // --devices is required
    }
}
