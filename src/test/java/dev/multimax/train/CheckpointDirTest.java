package dev.multimax.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirTest {
    /** A new user found checkpoint folders at 0700: they must get the umask's mode, like any new folder. */
    @Test
    void checkpointFoldersGetTheUsualModeNot0700(@TempDir Path dir) throws Exception {
        Path folder = new CheckpointDir(dir, 2).write(7, f -> {
            try {
                Files.writeString(f.resolve("x.txt"), "x");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path plain = Files.createDirectory(dir.resolve("plain"));
        assertThat(folder.getFileName().toString()).isEqualTo("step-00000007");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)));
        assertThat(Files.readString(folder.resolve("x.txt"))).isEqualTo("x");
    }
}
