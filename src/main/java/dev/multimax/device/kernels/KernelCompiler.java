package dev.multimax.device.kernels;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The kernel build step (Maven's process-classes phase): compiles every build of
 * {@code tasks/builds.tsv} ahead of time from the same {@code tasks/*.cl}, with the same options the
 * binders pass, into {@code target/classes/kernels/}:
 * <ul>
 *   <li>{@code spirv/<stem>.spv}: SPIR-V 1.0 (clang-15 to SPIR bitcode without LLVM passes, which
 *   the translator cannot take after -O2, then llvm-spirv-15), validated with
 *   {@code spirv-val --target-env opencl1.2};</li>
 *   <li>{@code spir/<stem>.bc}: the SPIR-V module translated back to SPIR 1.2 bitcode, which is how
 *   PoCL 3.1 (no SPIR-V input) runs the modules' code;</li>
 *   <li>{@code ptx/<stem>.ptx}: PTX for sm_80 (JIT-compiled by the driver for newer GPUs), linked
 *   with libclc's NVIDIA library, for the GPU tunings' builds;</li>
 *   <li>{@code manifest.json}: per build its family, options, files and the SHA-256 of the expanded
 *   source, with the tools' versions; a loader refuses a file whose source hash differs.</li>
 * </ul>
 * A missing tool or a failed compile is one line naming it, and the build fails: no jar without kernels.
 */
public final class KernelCompiler {
    static final String CLANG = "clang-15";
    static final String LLVM_SPIRV = "llvm-spirv-15";
    static final String SPIRV_VAL = "spirv-val";
    static final String LIBCLC_NVPTX = "/usr/lib/clc/nvptx64--nvidiacl.bc";
    /** PTX target: clang-15 stops at sm_86; sm_80 PTX is JIT-compiled by the driver for newer GPUs. */
    static final String PTX_ARCH = "sm_80";

    private final Path out;
    private final Path work;

    KernelCompiler(Path out) throws IOException {
        this.out = out;
        this.work = Files.createTempDirectory("multimax-kernels");
    }

    /** Arguments: the build list, the output folder (target/classes/kernels). */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) throw new IllegalArgumentException("usage: KernelCompiler BUILDS.tsv OUT_DIR");
        long t0 = System.nanoTime();
        Map<KernelBuild, Set<String>> builds = KernelBuildList.read(Path.of(args[0]));
        requireTools(!KernelBuildList.withTarget(builds, KernelBuildList.PTX).isEmpty());
        KernelCompiler c = new KernelCompiler(Path.of(args[1]));
        JsonObject manifest = c.compileAll(builds);
        Files.writeString(c.out.resolve("manifest.json"), new GsonBuilder().setPrettyPrinting().create().toJson(manifest) + "\n");
        System.out.printf("kernels: %d builds → %d SPIR-V, %d PTX in %s (%.1f s)%n", builds.size(), builds.size(),
                KernelBuildList.withTarget(builds, KernelBuildList.PTX).size(), c.out, (System.nanoTime() - t0) / 1e9);
    }

    static void requireTools(boolean ptx) {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of(CLANG, LLVM_SPIRV, SPIRV_VAL)) {
            if (!onPath(tool)) missing.add(tool);
        }
        if (ptx && !Files.isRegularFile(Path.of(LIBCLC_NVPTX))) missing.add(LIBCLC_NVPTX + " (libclc-15)");
        if (!missing.isEmpty()) {
            throw new IllegalStateException("kernel build: missing " + String.join(", ", missing)
                    + "; install clang-15 libclc-15 llvm-spirv-15 spirv-tools (bin/lib/setup.sh, run by bin/multimax and "
                    + "tests/run.sh, installs them with apt-get)");
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private JsonObject compileAll(Map<KernelBuild, Set<String>> builds) throws Exception {
        for (String d : List.of("spirv", "spir", "ptx")) Files.createDirectories(out.resolve(d));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        List<Future<JsonObject>> jobs = new ArrayList<>();
        for (Map.Entry<KernelBuild, Set<String>> e : builds.entrySet()) {
            jobs.add(pool.submit(() -> compile(e.getKey(), e.getValue().contains(KernelBuildList.PTX))));
        }
        JsonArray entries = new JsonArray();
        try {
            for (Future<JsonObject> j : jobs) entries.add(j.get());
        } finally {
            pool.shutdownNow();
        }
        JsonObject m = new JsonObject();
        JsonObject tools = new JsonObject();
        tools.addProperty(CLANG, firstLine(run(List.of(CLANG, "--version"))));
        tools.addProperty(LLVM_SPIRV, firstLine(run(List.of(LLVM_SPIRV, "--version"))));
        tools.addProperty(SPIRV_VAL, firstLine(run(List.of(SPIRV_VAL, "--version"))));
        m.add("tools", tools);
        m.addProperty("ptx_arch", PTX_ARCH);
        m.add("builds", entries);
        return m;
    }

    private JsonObject compile(KernelBuild b, boolean ptx) throws IOException {
        String source = KernelSources.source(b.family());
        Path cl = work.resolve(b.stem() + ".cl");
        Files.writeString(cl, source);
        List<String> defines = b.options().isEmpty() ? List.of() : List.of(b.options().split(" +"));
        Path bc = work.resolve(b.stem() + ".bc");
        Path spv = out.resolve("spirv/" + b.stem() + ".spv");
        run(cmd(List.of(CLANG, "-x", "cl", "-cl-std=CL1.2", "-target", "spir64-unknown-unknown", "-O2", "-Xclang",
                "-disable-llvm-passes", "-emit-llvm", "-c"), defines, cl.toString(), "-o", bc.toString()));
        run(List.of(LLVM_SPIRV, "--spirv-max-version=1.0", bc.toString(), "-o", spv.toString()));
        run(List.of(SPIRV_VAL, "--target-env", "opencl1.2", spv.toString()));
        run(List.of(LLVM_SPIRV, "-r", "--spirv-target-env=CL1.2", spv.toString(), "-o", out.resolve("spir/" + b.stem() + ".bc").toString()));
        JsonObject e = new JsonObject();
        e.addProperty("family", b.family());
        e.addProperty("options", b.options());
        e.addProperty("stem", b.stem());
        e.addProperty("source_sha256", KernelBuild.sha256(source));
        JsonArray files = new JsonArray();
        files.add("spirv/" + b.stem() + ".spv");
        files.add("spir/" + b.stem() + ".bc");
        if (ptx) {
            run(cmd(List.of(CLANG, "-x", "cl", "-cl-std=CL1.2", "-target", "nvptx64-nvidia-cuda", "-march=" + PTX_ARCH, "-O2",
                    "-Wno-linker-warnings", "-Xclang", "-mlink-builtin-bitcode", "-Xclang", LIBCLC_NVPTX), defines, cl.toString(),
                    "-S", "-o", out.resolve("ptx/" + b.stem() + ".ptx").toString()));
            files.add("ptx/" + b.stem() + ".ptx");
        }
        e.add("files", files);
        return e;
    }

    private static List<String> cmd(List<String> head, List<String> defines, String... tail) {
        List<String> c = new ArrayList<>(head);
        c.addAll(defines);
        c.addAll(List.of(tail));
        return c;
    }

    /** Runs a tool; a non-zero exit is an exception carrying the command and its output. */
    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kernel build: " + String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return output;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
