package dev.multimax.device.kernels;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernels compiled ahead of time that ship in the jar ({@code kernels/}, written by
 * {@link KernelCompiler}), looked up by build. Each file is returned only if the manifest says it
 * was built from the source the jar holds now: a changed {@code .cl} file with stale modules is an
 * error naming the build, never old code run silently.
 */
public final class PrebuiltKernels {
    /** SPIR-V 1.0 modules. */
    public static final String SPIRV = "spirv";
    /** The SPIR-V modules translated back to SPIR 1.2 bitcode (for OpenCL drivers with cl_khr_spir, such as PoCL). */
    public static final String SPIR = "spir";
    /** PTX for sm_80. */
    public static final String PTX = "ptx";

    private static Map<KernelBuild, String> hashes;
    /** Files already read and checked: bound launches ask for the same build many times. */
    private static final Map<String, byte[]> FILES = new HashMap<>();

    private PrebuiltKernels() {
    }

    private static synchronized Map<KernelBuild, String> hashes() {
        if (hashes != null) return hashes;
        Map<KernelBuild, String> m = new HashMap<>();
        JsonObject manifest = JsonParser.parseString(new String(read("kernels/manifest.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        for (JsonElement e : manifest.getAsJsonArray("builds")) {
            JsonObject b = e.getAsJsonObject();
            m.put(new KernelBuild(b.get("family").getAsString(), b.get("options").getAsString()),
                    b.get("source_sha256").getAsString());
        }
        hashes = m;
        return m;
    }

    /**
     * The {@code kind} file ({@link #SPIRV}, {@link #SPIR}, {@link #PTX}) of {@code build}. Throws
     * {@link IllegalStateException} naming the build when it was not compiled ahead of time, or was
     * compiled from another source than the jar's.
     */
    public static synchronized byte[] file(KernelBuild build, String kind) {
        String key = build.stem() + "/" + kind;
        byte[] cached = FILES.get(key);
        if (cached != null) return cached;
        String hash = hashes().get(build);
        if (hash == null) {
            throw new IllegalStateException("no prebuilt kernels for tasks/" + build.family() + ".cl with options '"
                    + build.options() + "' (tasks/builds.tsv lacks it; KernelBuildsTest lists what the binders use)");
        }
        String now = KernelBuild.sha256(KernelSources.source(build.family()));
        if (!now.equals(hash)) {
            throw new IllegalStateException("the prebuilt kernels of tasks/" + build.family() + ".cl are stale (built from "
                    + "source " + hash.substring(0, 12) + ", the jar's is " + now.substring(0, 12) + "): rebuild with mvn package");
        }
        String ext = kind.equals(PTX) ? ".ptx" : kind.equals(SPIR) ? ".bc" : ".spv";
        byte[] bytes = read("kernels/" + kind + "/" + build.stem() + ext);
        FILES.put(key, bytes);
        return bytes;
    }

    private static byte[] read(String path) {
        try (InputStream in = PrebuiltKernels.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is not in the jar (the build's kernel step writes it)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }
}
