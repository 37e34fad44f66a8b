package dev.multimax.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds a driver's shared library the way the dynamic loader would, before a Java binding touches
 * it: JOCL prints to stdout when libOpenCL.so.1 is missing, and JCuda's error for a missing
 * libcuda.so.1 is pages of nested stack traces. So we look first and say in one line what is missing.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    /** Whether any of {@code names} is in the loader's directories (always true off Linux: the binding reports). */
    public static boolean present(String... names) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return true;
        for (Path dir : searchPath()) {
            for (String n : names) {
                if (Files.exists(dir.resolve(n))) return true;
            }
        }
        return false;
    }

    /** LD_LIBRARY_PATH, the directories of /etc/ld.so.conf.d, and the usual system ones. */
    private static List<Path> searchPath() {
        Set<String> dirs = new LinkedHashSet<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) if (!d.isBlank()) dirs.add(d);
        }
        try (Stream<Path> confs = Files.list(Path.of("/etc/ld.so.conf.d"))) {
            for (Path conf : confs.filter(f -> f.toString().endsWith(".conf")).toList()) {
                for (String line : Files.readAllLines(conf)) {
                    String d = line.strip();
                    if (d.startsWith("/")) dirs.add(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no ld.so.conf.d: the usual directories below still apply
        }
        for (String d : new String[] {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib",
            "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib"}) {
            dirs.add(d);
        }
        List<Path> out = new ArrayList<>();
        for (String d : dirs) out.add(Path.of(d));
        return out;
    }
}
