package dev.multimax.device.java;

import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import jdk.incubator.vector.FloatVector;

/** Binds a {@link KernelCall} to the Java kernel of its op, resolving buffers to device arrays once. */
final class JavaKernels {
    private JavaKernels() {
    }

    static String variant(Op op) {
        return op == Op.MATMUL ? "java-vector-" + FloatVector.SPECIES_PREFERRED.vectorBitSize() : "java";
    }

    static Runnable bind(JavaDevice dev, KernelCall c) {
        Args a = new Args(dev, c);
        Parallel par = dev.parallel();
        int[] n = c.ints();
        return switch (c.op()) {
            case MATMUL -> {
                checkSizes(c, (long) n[0] * n[1], (long) n[0] * n[2], (long) n[2] * n[1]);
                yield () -> Matmul.matmul(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2), n[0], n[1], n[2],
                        n[3] != 0, n[4] != 0, n[5] != 0);
            }
            case BIAS_ADD_FWD -> () -> LinearKernels.biasAddFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1]);
            case BIAS_ADD_BWD -> () -> LinearKernels.biasAddBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1]);
            case RESIDUAL_ADD -> () -> LinearKernels.residualAdd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2), n[0]);
            case LAYERNORM_FWD -> () -> LayerNormKernels.fwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    a.f(3), a.o(3), a.f(4), a.o(4), a.f(5), a.o(5), n[0], n[1], c.f(0));
            case LAYERNORM_BWD -> () -> LayerNormKernels.bwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    a.f(3), a.o(3), a.f(4), a.o(4), a.f(5), a.o(5), a.f(6), a.o(6), a.f(7), a.o(7), n[0], n[1]);
            case GELU_FWD -> () -> MlpKernels.geluFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0]);
            case GELU_BWD -> () -> MlpKernels.geluBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2), n[0]);
            case SOFTMAX_FWD -> () -> MultiMaxKernels.softmaxFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1]);
            case SOFTMAX_BWD -> () -> MultiMaxKernels.softmaxBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    n[0], n[1]);
            case MULTIMAX_FWD -> () -> MultiMaxKernels.multimaxFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    n[0], n[1]);
            case MULTIMAX_BWD -> () -> MultiMaxKernels.multimaxBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    a.f(3), a.o(3), a.f(4), a.o(4), a.f(5), a.o(5), n[0], n[1]);
            case MODULATE_FWD -> () -> MultiMaxKernels.modulateFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2), n[0]);
            case MODULATE_BWD -> () -> MultiMaxKernels.modulateBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    a.f(3), a.o(3), a.f(4), a.o(4), n[0]);
            case ATTN_SCORES_FWD -> () -> AttentionKernels.scoresFwd(par, a.f(0), a.o(0), a.f(1), a.o(1),
                    n[0], n[1], n[2], n[3], c.f(0));
            case ATTN_SCORES_BWD -> () -> AttentionKernels.scoresBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    n[0], n[1], n[2], n[3], c.f(0));
            case ATTN_CONTEXT_FWD -> () -> AttentionKernels.contextFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    n[0], n[1], n[2], n[3]);
            case ATTN_CONTEXT_BWD -> () -> AttentionKernels.contextBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    a.f(3), a.o(3), a.f(4), a.o(4), n[0], n[1], n[2], n[3]);
            case PATCHIFY -> () -> PatchKernels.patchify(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1], n[2], n[3], n[4]);
            case POS_EMBED_FWD -> () -> PatchKernels.posEmbedFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1], n[2]);
            case POS_EMBED_BWD -> () -> PatchKernels.posEmbedBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1], n[2]);
            case MEAN_POOL_FWD -> () -> PatchKernels.meanPoolFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1], n[2]);
            case MEAN_POOL_BWD -> () -> PatchKernels.meanPoolBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1], n[2]);
            case CROSS_ENTROPY -> () -> LossKernels.crossEntropy(a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    a.i(3), a.o(3), a.f(4), a.o(4), n[0], n[1]);
            case NONFINITE_CHECK -> () -> CheckKernels.nonfiniteCheck(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    a.i(3), a.o(3), n[0], c.buffer(2).count());
            case ADAMW -> () -> AdamWKernel.step(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2), a.f(3), a.o(3),
                    a.f(4), a.o(4), a.f(5), a.o(5), n[0], n[1], c.f(0), c.f(1), c.f(2), c.f(3));
            case SOFTMAX_T_FWD -> () -> MultiMaxKernels.softmaxTFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1], c.f(0));
            case SOFTMAX_T_BWD -> () -> MultiMaxKernels.softmaxTBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    n[0], n[1], c.f(0));
            case SPARSEMAX_FWD -> () -> SparseKernels.sparsemaxFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1]);
            case SPARSEMAX_BWD -> () -> SparseKernels.sparsemaxBwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    n[0], n[1]);
            case ENTMAX15_FWD -> () -> SparseKernels.entmax15Fwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1]);
            case ENTMAX15_BWD -> () -> SparseKernels.entmax15Bwd(par, a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    n[0], n[1]);
            case EVSOFTMAX_FWD -> () -> SparseKernels.evsoftmaxFwd(par, a.f(0), a.o(0), a.f(1), a.o(1), n[0], n[1], c.f(0));
            case NLL_PROBS -> () -> LossKernels.nllProbs(a.f(0), a.o(0), a.f(1), a.o(1), a.f(2), a.o(2),
                    a.i(3), a.o(3), a.f(4), a.o(4), n[0], n[1]);
        };
    }

    /** Matmul reads by shape, not by slice length: check the slices hold what the shape needs. */
    private static void checkSizes(KernelCall c, long... needed) {
        for (int i = 0; i < needed.length; i++) {
            Slice s = c.buffer(i);
            if (s.count() < needed[i]) {
                throw new IllegalArgumentException("buffer " + c.op().bufferNames().get(i) + " = " + s + " holds "
                        + s.count() + " elements, the shape needs " + needed[i]);
            }
        }
    }

    /** Device arrays and offsets of a call's buffers, resolved once at bind time. */
    private static final class Args {
        private final Object[] arrays;
        private final int[] offsets;

        Args(JavaDevice dev, KernelCall call) {
            int n = call.buffers().size();
            arrays = new Object[n];
            offsets = new int[n];
            for (int k = 0; k < n; k++) {
                Slice s = call.buffer(k);
                arrays[k] = s.array() instanceof FloatArray fa ? dev.floats(fa) : dev.ints((IntArray) s.array());
                offsets[k] = s.offset();
            }
        }

        float[] f(int k) {
            return (float[]) arrays[k];
        }

        int[] i(int k) {
            return (int[]) arrays[k];
        }

        int o(int k) {
            return offsets[k];
        }
    }
}
