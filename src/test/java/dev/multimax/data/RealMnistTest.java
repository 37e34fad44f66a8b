package dev.multimax.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Loads the real MNIST download when present; on CI its absence is a failure, not a skip. */
class RealMnistTest {
    @Test
    void loadsRealMnist() {
        TestData.requireMnist();
        Path home = Path.of("").toAbsolutePath();
        TrainTest tt = MnistFiles.load("mnist", home, 0, 0);
        assertThat(tt.train().n()).isEqualTo(60000);
        assertThat(tt.test().n()).isEqualTo(10000);
        assertThat(tt.train().rows()).isEqualTo(28);
        assertThat(tt.train().cols()).isEqualTo(28);
        assertThat(tt.train().numClasses()).isEqualTo(10);
        assertThat(Arrays.copyOf(tt.train().labels(), 10)).containsExactly(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
        MeanStd ms = Dataset.meanStd(tt.train());
        assertThat(ms.mean()).isBetween(0.1306, 0.1308);
        assertThat(ms.std()).isBetween(0.3080, 0.3082);
    }
}
