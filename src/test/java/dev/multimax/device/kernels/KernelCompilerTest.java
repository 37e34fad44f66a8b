package dev.multimax.device.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel build without its tools stops with one line naming them and how to install them. */
class KernelCompilerTest {
    @Test
    void missingToolsAreOneLineNamingThem(@TempDir Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KernelCompiler.class.getName(), KernelBuildList.FILE, out.toString()).redirectErrorStream(true);
        pb.environment().put("PATH", out.resolve("no-tools").toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isNotZero();
        assertThat(output).contains("kernel build: missing clang-15, llvm-spirv-15, spirv-val")
                .contains("install clang-15 libclc-15 llvm-spirv-15 spirv-tools");
        assertThat(out.resolve("manifest.json")).doesNotExist();
    }
}
