package dev.multimax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.data.MeanStd;
import dev.multimax.model.TinyModels;
import dev.multimax.model.VitModel;
import dev.multimax.nn.Activation;
import dev.multimax.simplex.InputPath;
import dev.multimax.train.Checkpoint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multimax simplex}: a PNG and a CSV, with built-in or checkpoint parameters; bad input exits 2. */
class SimplexCommandTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void helpNamesThePathsAndTheBuiltInParameters() {
        CliTest.Run r = CliTest.cli("simplex", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: multimax simplex").contains("(t, 0.8t, -t)")
                .contains("ts [-2, -0.8, 0, 0]");
    }

    @Test
    void builtInParametersGiveAPngAndACsv(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("simplex.png");
        Path csv = dir.resolve("points.csv");
        CliTest.Run r = CliTest.cli("simplex", "--out", png.toString(), "--csv", csv.toString());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("built-in").contains("ranges [0.0, 1.0, 0.0, 0.0]");
        checkPng(png);
        List<String> lines = checkCsv(csv);
        // The built-in MultiMax keeps the two large entries of (6, 4.8, -6) and drops the negative one.
        String end = lines.stream().filter(l -> l.startsWith("multimax,two-large,6.00,")).findFirst().orElseThrow();
        double[] y = Arrays.stream(end.split(",")).skip(3).mapToDouble(Double::parseDouble).toArray();
        assertThat(y[1]).isGreaterThan(0.4);
        assertThat(y[2]).isLessThan(1e-6);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactlyInAnyOrder(png, csv); // no temporaries left
        }
    }

    @Test
    void checkpointParametersOfALayerOrTheHead(@TempDir Path dir) throws Exception {
        VitModel m = TinyModels.randomModel(TinyModels.config(Activation.MULTIMAX, Activation.MULTIMAX, false), 3);
        Path ckpt = dir.resolve("model.safetensors");
        Checkpoint.save(ckpt, m, MeanStd.MNIST);
        for (String layer : List.of("1", "head")) {
            Path png = dir.resolve("l" + layer + ".png");
            Path csv = dir.resolve("l" + layer + ".csv");
            CliTest.Run r = CliTest.cli("simplex", "--out", png.toString(), "--csv", csv.toString(),
                    "--checkpoint", ckpt.toString(), "--layer", layer);
            assertThat(r.code()).as(r.out()).isZero();
            String name = layer.equals("head") ? "ranges" : "blocks.1.attn.ranges";
            float[] ranges = m.get(name);
            assertThat(r.out()).contains("model.safetensors").contains(Double.toString(ranges[0]));
            checkPng(png);
            checkCsv(csv);
        }
    }

    @Test
    void badOptionsAndCheckpointsExitWith2(@TempDir Path dir) throws Exception {
        String out = dir.resolve("x.png").toString();
        assertThat(CliTest.cli("simplex").code()).isEqualTo(2);
        CliTest.Run noCkpt = CliTest.cli("simplex", "--out", out, "--layer", "0");
        assertThat(noCkpt.code()).isEqualTo(2);
        assertThat(noCkpt.out()).contains("--layer needs --checkpoint");
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        CliTest.Run broken = CliTest.cli("simplex", "--out", out, "--checkpoint", junk.toString());
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.out()).contains("junk.safetensors").doesNotContain("Exception");
        VitModel soft = TinyModels.randomModel(TinyModels.config(Activation.SOFTMAX, Activation.SOFTMAX, false), 1);
        Path ckpt = dir.resolve("soft.safetensors");
        Checkpoint.save(ckpt, soft, MeanStd.MNIST);
        assertThat(CliTest.cli("simplex", "--out", out, "--checkpoint", ckpt.toString()).out())
                .contains("attention uses softmax, not multimax");
        assertThat(CliTest.cli("simplex", "--out", out, "--checkpoint", ckpt.toString(), "--layer", "head").out())
                .contains("classifier output uses softmax");
        CliTest.Run range = CliTest.cli("simplex", "--out", out, "--checkpoint", ckpt.toString(), "--layer", "7");
        assertThat(range.code()).isEqualTo(2);
        assertThat(range.out()).contains("attention blocks 0..1");
        assertThat(CliTest.cli("simplex", "--out", out, "--checkpoint", ckpt.toString(), "--layer", "x").out())
                .contains("--layer must be a block index or 'head'");
        CliTest.Run noDir = CliTest.cli("simplex", "--out", dir.resolve("nowhere/x.png").toString());
        assertThat(noDir.code()).isEqualTo(2);
        assertThat(noDir.out()).contains("nowhere");
        assertThat(dir.resolve("x.png")).doesNotExist();
    }

    private static void checkPng(Path png) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).containsExactly(PNG_MAGIC);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(img.getWidth()).isEqualTo(1360);
        assertThat(img.getHeight()).isEqualTo(44 + 2 * 320);
    }

    private static List<String> checkCsv(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("function,path,t,y1,y2,y3");
        assertThat(lines).hasSize(1 + 7 * InputPath.ALL.size() * InputPath.SAMPLES);
        for (String l : lines.subList(1, lines.size())) assertThat(l.split(",")).hasSize(6);
        assertThat(lines).anyMatch(l -> l.startsWith("softmax T=0.5,swap,3.00,"));
        return lines;
    }
}
