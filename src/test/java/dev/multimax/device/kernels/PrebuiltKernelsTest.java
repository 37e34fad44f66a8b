package dev.multimax.device.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.device.Op;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.junit.jupiter.api.Test;

/**
 * The kernels the build compiled ahead of time (KernelCompiler, into the jar's kernels/): one per
 * build of tasks/builds.tsv, each from the current source; every SPIR-V module valid for OpenCL 1.2
 * (spirv-val); every PTX module compiled by nvPTXCompiler for sm_80 and sm_90 with nothing left
 * external, no GPU, driver or CUDA toolkit needed; and every PTX entry named after an op taking
 * the op's signature first: a .u64 pointer and a .u32 offset per buffer, .u32 per int, .f32 per
 * float (a binder may append scratch buffers after it, as adamw's coefficients). The counts are
 * printed.
 */
class PrebuiltKernelsTest {
    private static JsonObject manifest() throws IOException {
        try (InputStream in = PrebuiltKernelsTest.class.getClassLoader().getResourceAsStream("kernels/manifest.json")) {
            assertThat(in).as("kernels/manifest.json on the classpath (the build's process-classes step)").isNotNull();
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = PrebuiltKernelsTest.class.getClassLoader().getResourceAsStream("kernels/" + path)) {
            assertThat(in).as("kernels/" + path).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void everyBuildIsThereFromTheCurrentSource() throws IOException {
        JsonObject m = manifest();
        Map<KernelBuild, ?> listed = KernelBuildList.shipped();
        assertThat(m.getAsJsonArray("builds")).hasSize(listed.size());
        for (JsonElement e : m.getAsJsonArray("builds")) {
            JsonObject b = e.getAsJsonObject();
            KernelBuild build = new KernelBuild(b.get("family").getAsString(), b.get("options").getAsString());
            assertThat(listed).containsKey(build);
            assertThat(b.get("source_sha256").getAsString()).as(build + ": built from today's source")
                    .isEqualTo(KernelBuild.sha256(KernelSources.source(build.family())));
        }
    }

    @Test
    void everySpirvModuleIsValidForOpenCl12() throws Exception {
        int n = 0;
        Path dir = Files.createTempDirectory("spv");
        for (KernelBuild b : KernelBuildList.withTarget(KernelBuildList.shipped(), KernelBuildList.SPIRV)) {
            Path spv = dir.resolve(b.stem() + ".spv");
            Files.write(spv, resource("spirv/" + b.stem() + ".spv"));
            Process p = new ProcessBuilder("spirv-val", "--target-env", "opencl1.2", spv.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(b + ": spirv-val says " + out).isZero();
            assertThat(resource("spir/" + b.stem() + ".bc")).as(b + ": SPIR 1.2 bitcode for PoCL").isNotEmpty();
            n++;
        }
        System.out.println("SPIR-V: " + n + " modules valid for OpenCL 1.2");
        assertThat(n).isGreaterThan(0);
    }

    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param \\.(\\w+)");

    @Test
    void everyPtxModuleCompilesForSm80AndSm90AndMatchesTheCatalog() throws Exception {
        JNvPTXCompiler.setExceptionsEnabled(true);
        Map<String, Op> byName = new LinkedHashMap<>();
        for (Op op : Op.values()) byName.put(op.kernelName(), op);
        int modules = 0;
        int entries = 0;
        int matched = 0;
        for (KernelBuild b : KernelBuildList.withTarget(KernelBuildList.shipped(), KernelBuildList.PTX)) {
            String ptx = new String(resource("ptx/" + b.stem() + ".ptx"), StandardCharsets.UTF_8);
            assertThat(ptx).as(b + ": nothing left external").doesNotContain(".extern");
            for (String arch : List.of("sm_80", "sm_90")) compile(b, ptx, arch);
            Matcher m = ENTRY.matcher(ptx);
            while (m.find()) {
                entries++;
                Op op = byName.get(m.group(1));
                if (op == null) continue; // a pass of a multi-launch op, or a variant: its binder passes other arguments
                List<String> got = params(m.group(2));
                List<String> want = expected(op);
                assertThat(got.subList(0, Math.min(got.size(), want.size()))).as("%s in %s: the parameters of %s, %s",
                        m.group(1), b, op.kernelName(), got).isEqualTo(want);
                matched++;
            }
            modules++;
        }
        System.out.printf("PTX: %d modules compiled for sm_80 and sm_90, %d entries, %d checked against the catalog%n",
                modules, entries, matched);
        assertThat(matched).isGreaterThan(10);
    }

    private static void compile(KernelBuild b, String ptx, String arch) {
        nvPTXCompilerHandle h = new nvPTXCompilerHandle();
        byte[] code = (ptx + "\0").getBytes(StandardCharsets.UTF_8);
        JNvPTXCompiler.nvPTXCompilerCreate(h, code.length, code);
        try {
            String[] options = {"--gpu-name=" + arch};
            int status = JNvPTXCompiler.nvPTXCompilerCompile(h, options.length, options);
            assertThat(status).as(b + " for " + arch + ": " + errorLog(h)).isZero();
            long[] size = new long[1];
            JNvPTXCompiler.nvPTXCompilerGetCompiledProgramSize(h, size);
            assertThat(size[0]).as(b + " cubin for " + arch).isPositive();
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(h);
        }
    }

    private static String errorLog(nvPTXCompilerHandle h) {
        long[] size = new long[1];
        JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(h, size);
        byte[] log = new byte[(int) size[0]];
        JNvPTXCompiler.nvPTXCompilerGetErrorLog(h, log);
        return new String(log, StandardCharsets.UTF_8).strip();
    }

    private static List<String> params(String list) {
        List<String> types = new ArrayList<>();
        Matcher p = PARAM.matcher(list);
        while (p.find()) types.add(p.group(1));
        return types;
    }

    /** .u64 pointer and .u32 offset per buffer, .u32 per int, .f32 per float. */
    private static List<String> expected(Op op) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < op.buffers().size(); i++) {
            t.add("u64");
            t.add("u32");
        }
        for (int i = 0; i < op.intNames().size(); i++) t.add("u32");
        for (int i = 0; i < op.floatNames().size(); i++) t.add("f32");
        return t;
    }
}
