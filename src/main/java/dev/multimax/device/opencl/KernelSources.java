package dev.multimax.device.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Kernel sources {@code tasks/<family>.cl}, read once from the classpath (the jar carries the top-level tasks/). */
final class KernelSources {
    private static final Map<String, String> SOURCES = new HashMap<>();

    private KernelSources() {
    }

    static String file(String family) {
        return "tasks/" + family + ".cl";
    }

    static synchronized String source(String family) {
        String s = SOURCES.get(family);
        if (s != null) return s;
        String path = file(family);
        try (InputStream in = KernelSources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is not on the classpath (the build copies tasks/ into the jar)");
            s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
        SOURCES.put(family, s);
        return s;
    }
}
