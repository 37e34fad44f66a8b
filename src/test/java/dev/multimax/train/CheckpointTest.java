package dev.multimax.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.data.MeanStd;
import dev.multimax.io.SafetensorsFile;
import dev.multimax.io.SafetensorsWriter;
import dev.multimax.model.ParamLayout;
import dev.multimax.model.TinyModels;
import dev.multimax.model.VitModel;
import dev.multimax.nn.Activation;
import dev.multimax.util.BadInput;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints round-trip bitwise; a file that does not fit the config names the tensor at fault. */
class CheckpointTest {
    private static VitModel model() {
        return TinyModels.randomModel(TinyModels.config(Activation.MULTIMAX, Activation.SOFTMAX, true), 5);
    }

    @Test
    void roundTripKeepsWeightsConfigAndNormalisation(@TempDir Path dir) throws Exception {
        VitModel m = model();
        Path f = dir.resolve("model.safetensors");
        Checkpoint.save(f, m, new MeanStd(0.25, 0.5));
        Checkpoint.Loaded back = Checkpoint.load(f);
        assertThat(back.model().config()).isEqualTo(m.config());
        assertThat(back.model().params().host()).containsExactly(m.params().host());
        assertThat(back.normalization()).isEqualTo(new MeanStd(0.25, 0.5));
        SafetensorsFile raw = SafetensorsFile.read(f);
        assertThat(raw.names()).contains("blocks.1.attn.ranges", "blocks.0.attn.qkv.bias", "head.weight")
                .doesNotContain("ranges", "ts");
        assertThat(raw.shape("pos_embed")).containsExactly(1, 4, 8);
        assertThat(raw.shape("patch_embed.proj.weight")).containsExactly(8, 1, 4, 4);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(f); // no temporary left behind
        }
    }

    @Test
    void wrongShapesMissingAndExtraTensorsAreNamed(@TempDir Path dir) {
        VitModel m = model();
        String config = SafetensorsFile.read(save(dir, m)).metadata().get("config");
        Path wrong = dir.resolve("wrong.safetensors");
        write(wrong, m, config, "head.weight", new float[3 * 7], 3, 7);
        assertThatThrownBy(() -> Checkpoint.load(wrong)).isInstanceOf(BadInput.class)
                .hasMessageContaining("wrong.safetensors").hasMessageContaining("head.weight");
        Path extra = dir.resolve("extra.safetensors");
        write(extra, m, config, "surprise", new float[2], 2);
        assertThatThrownBy(() -> Checkpoint.load(extra)).hasMessageContaining("tensor 'surprise'");
        Path noConfig = dir.resolve("noconfig.safetensors");
        new SafetensorsWriter().add("x", new float[1], 1).write(noConfig);
        assertThatThrownBy(() -> Checkpoint.load(noConfig)).hasMessageContaining("no __metadata__.config");
    }

    /** A config edited to demand a huge model fails on the header, before anything is allocated. */
    @Test
    @org.junit.jupiter.api.Timeout(5)
    void hugeConfigFailsBeforeAllocating(@TempDir Path dir) {
        VitModel m = model();
        String config = SafetensorsFile.read(save(dir, m)).metadata().get("config");
        Path deep = dir.resolve("deep.safetensors");
        write(deep, m, config.replace("\"depth\":2", "\"depth\":1000000000"), "head.bias", m.get("head.bias"), 3);
        assertThatThrownBy(() -> Checkpoint.load(deep)).isInstanceOf(BadInput.class)
                .hasMessageStartingWith(deep + ": __metadata__.config: depth 1000000000");
        Path wide = dir.resolve("wide.safetensors");
        write(wide, m, config.replace("\"embed_dim\":8", "\"embed_dim\":8192"), "head.bias", m.get("head.bias"), 3);
        assertThatThrownBy(() -> Checkpoint.load(wide)).isInstanceOf(BadInput.class)
                .hasMessageStartingWith(wide + ": tensor 'patch_embed.proj.weight': expected shape [8192, 1, 4, 4]");
        Path ints = dir.resolve("ints.safetensors");
        SafetensorsWriter w = new SafetensorsWriter().metadata("config", config);
        for (ParamLayout.Param p : m.layout().params()) {
            if (p.name().equals("head.bias")) w.add(p.name(), new byte[3], 3);
            else w.add(p.name(), m.get(p.name()), p.shape());
        }
        w.write(ints);
        assertThatThrownBy(() -> Checkpoint.load(ints)).isInstanceOf(BadInput.class)
                .hasMessage(ints + ": tensor 'head.bias': dtype U8 cannot be read as floats (expected F32)");
    }

    private static Path save(Path dir, VitModel m) {
        Path f = dir.resolve("ok.safetensors");
        Checkpoint.save(f, m, MeanStd.MNIST);
        return f;
    }

    /** All parameters, with {@code name} replaced (or added) by the given tensor. */
    private static void write(Path f, VitModel m, String config, String name, float[] data, int... shape) {
        SafetensorsWriter w = new SafetensorsWriter().metadata("config", config);
        for (ParamLayout.Param p : m.layout().params()) {
            if (!p.name().equals(name)) w.add(p.name(), m.get(p.name()), p.shape());
        }
        w.add(name, data, shape).write(f);
    }
}
