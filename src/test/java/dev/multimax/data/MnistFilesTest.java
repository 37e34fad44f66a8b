package dev.multimax.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {
    @TempDir
    Path dir;

    @Test
    void loadsRawDirectory() throws IOException {
        Idx.writeSet(dir, 12, 5, 4, 3, false);
        TrainTest tt = MnistFiles.load(dir.toString(), Path.of("unused"), 0, 0);
        assertThat(tt.train().n()).isEqualTo(12);
        assertThat(tt.test().n()).isEqualTo(5);
        assertThat(tt.train().rows()).isEqualTo(4);
        assertThat(tt.train().cols()).isEqualTo(3);
        assertThat(tt.train().channels()).isEqualTo(1);
        assertThat(tt.train().numClasses()).isEqualTo(10);
        assertThat(tt.test().numClasses()).isEqualTo(10);
        assertThat(tt.train().images()).isEqualTo(Idx.pattern(12, 4, 3));
        assertThat(tt.test().labels()).containsExactly(3, 4, 5, 6, 7);
        assertThat(tt.train().name()).isEqualTo(dir.getFileName().toString());
    }

    @Test
    void loadsGzippedDirectoryWithLimits() throws IOException {
        Idx.writeSet(dir, 12, 5, 4, 3, true);
        TrainTest tt = MnistFiles.load(dir.toString(), dir, 4, 2);
        assertThat(tt.train().n()).isEqualTo(4);
        assertThat(tt.test().n()).isEqualTo(2);
        assertThat(tt.train().labels()).containsExactly(0, 1, 2, 3);
        assertThat(tt.train().images()).hasSize(4 * 12);
        assertThat(tt.train().numClasses()).isEqualTo(10); // from the full sets, not the limit
    }

    @Test
    void prefersRawOverGz() throws IOException {
        Idx.writeSet(dir, 3, 2, 2, 2, false);
        Files.write(dir.resolve(MnistFiles.TRAIN_IMAGES + ".gz"), new byte[] {1, 2, 3});
        assertThat(MnistFiles.find(dir, MnistFiles.TRAIN_IMAGES).getFileName().toString())
                .isEqualTo(MnistFiles.TRAIN_IMAGES);
        assertThat(MnistFiles.loadDir(dir, "x", 0, 0).train().n()).isEqualTo(3);
    }

    @Test
    void mnistSpecResolvesUnderHome() throws IOException {
        Path data = Files.createDirectories(dir.resolve(MnistFiles.MNIST_DIR));
        Idx.writeSet(data, 3, 2, 2, 2, false);
        TrainTest tt = MnistFiles.load("mnist", dir, 0, 0);
        assertThat(tt.train().name()).isEqualTo("mnist");
        assertThat(tt.normalization()).isEqualTo(MeanStd.MNIST);
    }

    @Test
    void otherDataUsesComputedNormalization() throws IOException {
        Idx.writeSet(dir, 3, 2, 2, 2, false);
        TrainTest tt = MnistFiles.loadDir(dir, "custom", 0, 0);
        assertThat(tt.normalization()).isEqualTo(Dataset.meanStd(tt.train()));
    }

    @Test
    void missingMnistDirectoryNamesThePath() {
        assertThatThrownBy(() -> MnistFiles.load("mnist", dir, 0, 0))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining(dir.resolve(MnistFiles.MNIST_DIR).toString());
    }

    @Test
    void missingDirectory() {
        Path missing = dir.resolve("nowhere");
        assertThatThrownBy(() -> MnistFiles.load(missing.toString(), dir, 0, 0))
                .isInstanceOf(BadInput.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("not found");
    }

    @Test
    void missingFile() throws IOException {
        Idx.writeSet(dir, 3, 2, 2, 2, false);
        Files.delete(dir.resolve(MnistFiles.TEST_LABELS));
        assertThatThrownBy(() -> MnistFiles.loadDir(dir, "x", 0, 0))
                .isInstanceOf(BadInput.class).hasMessageContaining(MnistFiles.TEST_LABELS)
                .hasMessageContaining("not found");
    }

    @Test
    void countMismatchNamesBothFilesAndCounts() throws IOException {
        Idx.writeSet(dir, 3, 2, 2, 2, false);
        Files.write(dir.resolve(MnistFiles.TRAIN_LABELS), Idx.labels(new byte[] {1, 2, 3, 4}));
        assertThatThrownBy(() -> MnistFiles.loadDir(dir, "x", 0, 0))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining(MnistFiles.TRAIN_IMAGES + " has 3 images")
                .hasMessageContaining(MnistFiles.TRAIN_LABELS + " has 4 labels");
    }

    @Test
    void trainAndTestSizesMustMatch() throws IOException {
        Idx.writeSet(dir, 3, 2, 2, 2, false);
        Files.write(dir.resolve(MnistFiles.TEST_IMAGES), Idx.images(2, 3, 3, new byte[18]));
        assertThatThrownBy(() -> MnistFiles.loadDir(dir, "x", 0, 0))
                .isInstanceOf(BadInput.class).hasMessageContaining(MnistFiles.TEST_IMAGES)
                .hasMessageContaining("3x3").hasMessageContaining("2x2");
    }

    @Test
    void emptySetIsAnError() throws IOException {
        Idx.writeSet(dir, 0, 2, 2, 2, false);
        assertThatThrownBy(() -> MnistFiles.loadDir(dir, "x", 0, 0))
                .isInstanceOf(BadInput.class).hasMessageContaining(MnistFiles.TRAIN_IMAGES)
                .hasMessageContaining("no images");
    }

    @Test
    void fileAsSpec() throws IOException {
        Path f = Files.write(dir.resolve("file"), new byte[1]);
        assertThatThrownBy(() -> MnistFiles.load(f.toString(), dir, 0, 0))
                .isInstanceOf(BadInput.class).hasMessageContaining("not a directory");
    }
}
