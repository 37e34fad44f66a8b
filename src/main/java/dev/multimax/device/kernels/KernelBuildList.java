package dev.multimax.device.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code tasks/builds.tsv}: every program the binders build, with the targets it is compiled to
 * ahead of time: {@code spirv} for all, {@code ptx} for those of GPU tunings. One line per build:
 * {@code family TAB options TAB targets}. The list is written and checked by {@code KernelBuildsTest},
 * which binds every op and the model's step graphs in every tuning and compares.
 */
public final class KernelBuildList {
    public static final String FILE = "tasks/builds.tsv";
    public static final String PTX = "ptx";
    public static final String SPIRV = "spirv";

    private KernelBuildList() {
    }

    /** Each build with its targets, in order. */
    public static Map<KernelBuild, Set<String>> parse(String text, String source) {
        Map<KernelBuild, Set<String>> all = new TreeMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            if (f.length != 3) throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected family, options, targets");
            Set<String> targets = new TreeSet<>(List.of(f[2].split(",")));
            if (!Set.of(PTX, SPIRV).containsAll(targets)) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": unknown target in '" + f[2] + "'");
            }
            all.put(new KernelBuild(f[0], f[1]), targets);
        }
        return all;
    }

    /** The list shipped on the classpath. */
    public static Map<KernelBuild, Set<String>> shipped() {
        try (InputStream in = KernelBuildList.class.getClassLoader().getResourceAsStream(FILE)) {
            if (in == null) throw new IllegalStateException(FILE + " is not on the classpath (the build copies tasks/ into the jar)");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<KernelBuild, Set<String>> read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    public static void write(Path file, Map<KernelBuild, Set<String>> builds) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Every program the OpenCL binders build (family, -D options), and what it is compiled to ahead of");
        lines.add("# time: spirv for every tuning, ptx for the GPU tunings. Written and checked by KernelBuildsTest");
        lines.add("# (mvn test -Dtest=KernelBuildsTest -Dmultimax.kernels.update=true rewrites it).");
        for (Map.Entry<KernelBuild, Set<String>> e : new TreeMap<>(builds).entrySet()) {
            lines.add(e.getKey().family() + "\t" + e.getKey().options() + "\t" + String.join(",", e.getValue()));
        }
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    /** Builds with {@code target}. */
    public static List<KernelBuild> withTarget(Map<KernelBuild, Set<String>> builds, String target) {
        List<KernelBuild> out = new ArrayList<>();
        builds.forEach((b, t) -> {
            if (t.contains(target)) out.add(b);
        });
        return Collections.unmodifiableList(out);
    }
}
