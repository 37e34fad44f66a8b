package dev.multimax.cli;

import java.nio.file.Path;

/** The project directory (where node_modules/ lives); the launcher passes it as -Dmultimax.home. */
final class Home {
    private Home() {
    }

    static Path get() {
        return Path.of(System.getProperty("multimax.home", ".")).toAbsolutePath().normalize();
    }
}
