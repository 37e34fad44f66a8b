package dev.multimax.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.KernelHarness;
import dev.multimax.device.Op;
import dev.multimax.device.TestDevices;
import dev.multimax.device.ref.RefDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of the catalog × every device under test × every kernel variant (the GPU kernels forced
 * onto each OpenCL CPU device, with and without fp64 row sums) against {@code ref:0}, on the random
 * cases of {@link OpSamples} (fresh seed, odd shapes, slices inside padded arrays, outputs NaN before
 * the kernel runs), within the tolerance the catalog gives each op; and each row ran the variant it
 * names (the GPU kernels on a CPU device where forced). The tolerances and their reasons live in
 * {@link Op}, not here.
 */
class CatalogCheckTest {
    private static final RefDevice REF = new RefDevice();

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (CheckTarget t : TestDevices.checkTargets()) {
            for (Op op : Op.values()) all.add(Arguments.of(t.label(), op));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void opMatchesTheReference(String target, Op op) {
        long seed = KernelHarness.freshSeed(op + " on " + target);
        CheckTarget t = TestDevices.checkTarget(target);
        List<OpSample> samples = new OpSamples(seed).of(op);
        assertThat(samples).as("cases of " + op).isNotEmpty();
        for (OpSample s : samples) {
            CheckResult r = new OpCheck(REF).run(t.device(), s);
            assertThat(r.ok()).as("%s %s on %s (%s): %s", op.kernelName(), s.shape(), target, r.variant(), r.detail()).isTrue();
            // the variant that ran, as profiles show it: the forced GPU kernels really ran
            String kind = target.startsWith("java:") ? "java" : target.contains("[gpu") ? "gpu/" : t.device().info().type()
                    .toLowerCase(java.util.Locale.ROOT) + "/";
            assertThat(r.variant()).as("variant of %s on %s", op.kernelName(), target).startsWith(kind);
        }
    }
}
