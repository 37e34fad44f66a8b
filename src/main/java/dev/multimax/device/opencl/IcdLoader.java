package dev.multimax.device.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Looks for the OpenCL ICD loader ({@code libOpenCL.so.1}) before JOCL is touched. Without it,
 * JOCL's native code prints "Could not load libOpenCL.so.1" with printf: on stdout, where it
 * breaks {@code --json} output and surefire's channel, and Java cannot catch or redirect it. So
 * on Linux we look in the loader's directories ourselves and say plainly what is missing.
 */
final class IcdLoader {
    private static final String LIBRARY = "libOpenCL.so.1";

    private IcdLoader() {
    }

    /** Why OpenCL cannot load here, or null when the loader is present (or the OS is not Linux). */
    static String missing() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return null;
        for (Path dir : searchPath()) {
            if (Files.exists(dir.resolve(LIBRARY)) || Files.exists(dir.resolve("libOpenCL.so"))) return null;
        }
        return "no OpenCL ICD loader (" + LIBRARY + ") on this machine; install one and a driver, e.g. "
                + "'apt-get install ocl-icd-libopencl1 pocl-opencl-icd' for PoCL on the CPU";
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
            "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib"}) {
            dirs.add(d);
        }
        List<Path> out = new ArrayList<>();
        for (String d : dirs) out.add(Path.of(d));
        return out;
    }
}
