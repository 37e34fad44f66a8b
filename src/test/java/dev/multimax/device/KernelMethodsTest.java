package dev.multimax.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernels are found by the op's name and checked against its signature, with errors that say what was expected. */
class KernelMethodsTest {
    static final class Good {
        static void geluFwd(double[] y, double[] x, int n) {
        }
    }

    static final class Wrong {
        static void geluFwd(double[] y, double[] x) {
        }

        static void residualAdd(double[] z, double[] x, double[] y, int n) {
        }
    }

    private static final List<Class<?>> GELU = List.of(double[].class, double[].class, int.class);

    @Test
    void namesFollowTheKernelNames() {
        assertThat(KernelMethods.methodName(Op.ATTN_SCORES_FWD)).isEqualTo("attnScoresFwd");
        assertThat(KernelMethods.methodName(Op.SOFTMAX_T_BWD)).isEqualTo("softmaxTBwd");
        assertThat(KernelMethods.methodName(Op.MATMUL)).isEqualTo("matmul");
    }

    @Test
    void aMatchingMethodIsFound() {
        assertThat(KernelMethods.find(Op.GELU_FWD, List.of(Good.class), GELU, "test:0").type().parameterCount()).isEqualTo(3);
    }

    @Test
    void aMissingOrMismatchedKernelNamesTheExpectedSignature() {
        assertThatThrownBy(() -> KernelMethods.find(Op.GELU_BWD, List.of(Good.class), GELU, "test:0"))
                .hasMessageContaining("test:0 has no kernel methods for gelu_bwd").hasMessageContaining("geluBwd");
        assertThatThrownBy(() -> KernelMethods.find(Op.GELU_FWD, List.of(Wrong.class), GELU, "test:0"))
                .hasMessageContaining("does not match the signature of gelu_fwd")
                .hasMessageContaining("static void geluFwd(double[], double[], int)");
        assertThatThrownBy(() -> KernelMethods.find(Op.GELU_FWD, List.of(Good.class, Wrong.class), GELU, "test:0"))
                .hasMessageContaining("has 2 kernel methods for gelu_fwd");
    }
}
