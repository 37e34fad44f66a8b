package dev.multimax.device.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel sources {@code tasks/<family>.cl}, read once from the classpath (the jar carries the top-level
 * tasks/). A line {@code #include "name.cl"} is replaced by {@code tasks/name.cl} (one level, so a
 * helper shared by several families lives in one file), with {@code #line} marks so the driver's
 * build log points into the right file.
 */
public final class KernelSources {
    private static final Map<String, String> SOURCES = new HashMap<>();

    private KernelSources() {
    }

    public static String file(String family) {
        return "tasks/" + family + ".cl";
    }

    /** The family's source with its includes expanded: what every backend compiles, and what prebuilt kernels are hashed on. */
    public static synchronized String source(String family) {
        String s = SOURCES.get(family);
        if (s != null) return s;
        StringBuilder out = new StringBuilder();
        String[] lines = read("tasks/" + family + ".cl").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = INCLUDE.matcher(lines[i]);
            if (m.matches()) {
                out.append("#line 1 \"").append(m.group(1)).append("\"\n").append(read("tasks/" + m.group(1)))
                        .append("\n#line ").append(i + 2).append(" \"").append(family).append(".cl\"\n");
            } else {
                out.append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
            }
        }
        s = out.toString();
        SOURCES.put(family, s);
        return s;
    }

    private static final Pattern INCLUDE = Pattern.compile("\\s*#include\\s+\"([\\w.-]+\\.cl)\"\\s*");

    private static String read(String path) {
        try (InputStream in = KernelSources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is not on the classpath (the build copies tasks/ into the jar)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }
}
