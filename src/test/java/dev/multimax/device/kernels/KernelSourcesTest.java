package dev.multimax.device.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code #include "x.cl"} in a kernel file is replaced by tasks/x.cl, with #line marks for build logs. */
class KernelSourcesTest {
    @Test
    void includesAreResolvedWithLineMarks() {
        for (String family : new String[] {"softmax", "multimax"}) {
            String s = KernelSources.source(family);
            assertThat(s).doesNotContain("#include").contains("float group_max(", "float group_sum(")
                    .contains("#line 1 \"group_reduce.cl\"").contains("\"" + family + ".cl\"");
        }
    }
}
