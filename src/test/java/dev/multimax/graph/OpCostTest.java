package dev.multimax.graph;

import dev.multimax.device.OpCost;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multimax.device.DeviceInfo;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost model behind GFLOP/s and GB/s, and the per-kernel medians of a summary. */
class OpCostTest {
    private static KernelCall call(Op op, int... ints) {
        List<Slice> slices = new java.util.ArrayList<>();
        for (int k = 0; k < op.buffers().size(); k++) {
            int n = (int) Math.max(1, op.extent(k, ints));
            slices.add(op.buffers().get(k).isInt() ? new dev.multimax.device.IntArray("i", n).all() : new FloatArray("x", n).all());
        }
        float[] floats = new float[op.floatNames().size()];
        return new KernelCall(op, slices, ints, floats);
    }

    @Test
    void matmulIsTwoFlopsPerMultiplyAdd() {
        OpCost c = OpCost.of(call(Op.MATMUL, 6, 5, 4, 0, 1, 0));
        assertThat(c.flops()).isEqualTo(2 * 6 * 5 * 4);
        assertThat(c.bytes()).isEqualTo(4 * (6 * 4 + 4 * 5 + 6 * 5));
        assertThat(c.computeBound()).isTrue();
        // accumulating reads C as well as writing it
        assertThat(OpCost.of(call(Op.MATMUL, 6, 5, 4, 1, 0, 1)).bytes()).isEqualTo(4 * (6 * 4 + 4 * 5 + 2 * 6 * 5));
    }

    @Test
    void attentionProductsCountEveryHead() {
        int b = 2, n = 49, h = 3, dh = 32;
        OpCost scores = OpCost.of(call(Op.ATTN_SCORES_FWD, b, n, h, dh));
        assertThat(scores.flops()).isEqualTo(2L * b * h * n * n * dh);
        assertThat(scores.bytes()).isEqualTo(4L * (b * h * n * n + 2 * b * n * h * dh));
        assertThat(OpCost.of(call(Op.ATTN_CONTEXT_BWD, b, n, h, dh)).flops()).isEqualTo(4L * b * h * n * n * dh);
    }

    @Test
    void elementwiseOpsAreMemoryBound() {
        OpCost add = OpCost.of(call(Op.RESIDUAL_ADD, 1000));
        assertThat(add.flops()).isZero();
        assertThat(add.computeBound()).isFalse();
        assertThat(add.bytes()).isEqualTo(1000L * 4 * 3);                 // two inputs, one output
        assertThat(OpCost.of(call(Op.GELU_BWD, 10)).bytes()).isEqualTo(10L * 4 * 3);
        assertThat(OpCost.of(call(Op.ADAMW, 100, 60)).bytes()).isEqualTo(4L * (7 * 100 + 3));
        assertThat(OpCost.of(call(Op.NONFINITE_CHECK, 7, 100)).bytes()).isEqualTo(4L * (100 + 7 + 4));
        // shapes large enough to overflow int arithmetic stay exact
        assertThat(Op.SOFTMAX_FWD.cost(new long[] {1 << 20, 1 << 12}).bytes()).isEqualTo(8L * (1L << 32));
        // and the catalog's extents too (a slice that small would be refused, so no call is built)
        assertThat(Op.SOFTMAX_FWD.extent(0, new int[] {1 << 20, 1 << 12})).isEqualTo(1L << 32);
        assertThat(Op.PATCHIFY.extent(0, new int[] {3, 2, 14, 21, 7})).isEqualTo(3L * 6 * 2 * 49);
        assertThat(Op.NONFINITE_CHECK.extent(3, new int[] {5, 1003})).isEqualTo(6);
    }

    @Test
    void summaryTakesMediansPerKernelAndFamily() {
        DeviceInfo dev = new DeviceInfo("java:0", "JAVA", "jvm", "test", "CPU", 1, 0, 0, 1, "", false, false, "");
        OpCost mm = new OpCost(2_000_000, 40_000);
        ProfileSummary s = new ProfileSummary();
        for (long t : new long[] {1_000_000, 3_000_000, 2_000_000}) {
            s.add(new GraphProfile("g", dev, 10 * t, 0, 0, 0, 0, 0, 0, List.of(
                    new TaskProfile("g.a", "matmul", "matmul", "v", t, t, 0, mm),
                    new TaskProfile("g.b", "matmul", "matmul", "v", t, t, 0, mm),
                    new TaskProfile("g.c", "gelu_fwd", "mlp", "v", t / 2, t / 2, 0, new OpCost(0, 1_000_000)))));
        }
        ProfileSummary.Row matmul = s.kernels().get(0);
        assertThat(matmul.kernel()).isEqualTo("matmul");
        assertThat(matmul.tasks()).isEqualTo(2);
        assertThat(matmul.ms()).isEqualTo(4.0);                        // median of 2, 6, 4
        assertThat(matmul.gflops()).isEqualTo(1.0);                    // 4 MFLOP in 4 ms
        ProfileSummary.Row mlp = s.families().get(1);
        assertThat(mlp.family()).isEqualTo("mlp");
        assertThat(mlp.kernel()).isNull();
        assertThat(mlp.gbps()).isEqualTo(1.0);                         // 1 MB in 1 ms
        assertThat(s.graphMs()).isEqualTo(20.0);
        assertThat(s.familyMs()).containsOnlyKeys("matmul", "mlp");
    }
}
