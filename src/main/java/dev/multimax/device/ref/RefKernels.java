package dev.multimax.device.ref;

import dev.multimax.device.KernelCall;

/** Which ref:0 kernel runs each op, its arguments taken by name from the op's signature. */
final class RefKernels {
    private RefKernels() {
    }

    static void run(RefArgs a, KernelCall call) {
        switch (call.op()) {
            case MATMUL -> RefLinear.matmul(a.buf("C"), a.buf("A"), a.buf("B"), a.n("M"), a.n("N"), a.n("K"),
                    a.flag("transA"), a.flag("transB"), a.flag("accumulate"));
            case BIAS_ADD_FWD -> RefLinear.biasAddFwd(a.buf("Y"), a.buf("b"), a.n("M"), a.n("N"));
            case BIAS_ADD_BWD -> RefLinear.biasAddBwd(a.buf("db"), a.buf("dY"), a.n("M"), a.n("N"));
            case RESIDUAL_ADD -> RefLinear.residualAdd(a.buf("Z"), a.buf("X"), a.buf("Y"), a.n("n"));
            case LAYERNORM_FWD -> RefNorm.layerNormFwd(a.buf("Y"), a.buf("mean"), a.buf("rstd"), a.buf("X"), a.buf("w"),
                    a.buf("b"), a.n("M"), a.n("C"), a.f("eps"));
            case LAYERNORM_BWD -> RefNorm.layerNormBwd(a.buf("dX"), a.buf("dw"), a.buf("db"), a.buf("dY"), a.buf("X"),
                    a.buf("mean"), a.buf("rstd"), a.buf("w"), a.n("M"), a.n("C"));
            case GELU_FWD -> RefNorm.geluFwd(a.buf("Y"), a.buf("X"), a.n("n"));
            case GELU_BWD -> RefNorm.geluBwd(a.buf("dX"), a.buf("dY"), a.buf("X"), a.n("n"));
            case SOFTMAX_FWD -> RefRows.softmaxFwd(a.buf("P"), a.buf("S"), a.n("rows"), a.n("cols"));
            case SOFTMAX_BWD -> RefRows.softmaxBwd(a.buf("dS"), a.buf("dP"), a.buf("P"), a.n("rows"), a.n("cols"));
            case MULTIMAX_FWD -> RefMultiMax.multimaxFwd(a.buf("P"), a.buf("S"), a.buf("params"), a.n("rows"), a.n("cols"));
            case MULTIMAX_BWD -> RefMultiMax.multimaxBwd(a.buf("dS"), a.buf("dparams"), a.buf("dP"), a.buf("P"), a.buf("S"),
                    a.buf("params"), a.n("rows"), a.n("cols"));
            case MODULATE_FWD -> RefMultiMax.modulateFwd(a.buf("Y"), a.buf("X"), a.buf("params"), a.n("n"));
            case MODULATE_BWD -> RefMultiMax.modulateBwd(a.buf("dX"), a.buf("dparams"), a.buf("dY"), a.buf("X"),
                    a.buf("params"), a.n("n"));
            case ATTN_SCORES_FWD -> RefAttention.scoresFwd(a.buf("S"), a.buf("qkv"), a.n("B"), a.n("N"), a.n("H"), a.n("Dh"),
                    a.f("scale"));
            case ATTN_SCORES_BWD -> RefAttention.scoresBwd(a.buf("dqkv"), a.buf("dS"), a.buf("qkv"), a.n("B"), a.n("N"),
                    a.n("H"), a.n("Dh"), a.f("scale"));
            case ATTN_CONTEXT_FWD -> RefAttention.contextFwd(a.buf("O"), a.buf("P"), a.buf("qkv"), a.n("B"), a.n("N"),
                    a.n("H"), a.n("Dh"));
            case ATTN_CONTEXT_BWD -> RefAttention.contextBwd(a.buf("dP"), a.buf("dqkv"), a.buf("dO"), a.buf("P"),
                    a.buf("qkv"), a.n("B"), a.n("N"), a.n("H"), a.n("Dh"));
            case PATCHIFY -> RefPatch.patchify(a.buf("patches"), a.buf("images"), a.n("B"), a.n("C"), a.n("H"), a.n("W"),
                    a.n("P"));
            case POS_EMBED_FWD -> RefPatch.posEmbedFwd(a.buf("X"), a.buf("pos"), a.n("B"), a.n("N"), a.n("D"));
            case POS_EMBED_BWD -> RefPatch.posEmbedBwd(a.buf("dpos"), a.buf("dX"), a.n("B"), a.n("N"), a.n("D"));
            case MEAN_POOL_FWD -> RefPatch.meanPoolFwd(a.buf("Y"), a.buf("X"), a.n("B"), a.n("N"), a.n("D"));
            case MEAN_POOL_BWD -> RefPatch.meanPoolBwd(a.buf("dX"), a.buf("dY"), a.n("B"), a.n("N"), a.n("D"));
            case CROSS_ENTROPY -> RefLoss.crossEntropy(a.buf("dLogits"), a.buf("metrics"), a.buf("logits"),
                    a.intBuf("labels"), a.scalar("valid"), a.n("B"), a.n("K"));
            case NONFINITE_CHECK -> RefOptimizer.nonfiniteCheck(a.buf("status"), a.scalar("loss"), a.buf("grads"),
                    a.intBuf("ranges"), a.n("tensors"), a.n("n"));
            case ADAMW -> RefOptimizer.adamw(a.buf("params"), a.buf("grads"), a.buf("m"), a.buf("v"), a.buf("schedule"),
                    a.buf("status"), a.n("n"), a.n("nDecay"), a.f("beta1"), a.f("beta2"), a.f("eps"), a.f("weightDecay"));
            case SOFTMAX_T_FWD -> RefRows.softmaxTFwd(a.buf("P"), a.buf("S"), a.n("rows"), a.n("cols"), a.f("invTemperature"));
            case SOFTMAX_T_BWD -> RefRows.softmaxTBwd(a.buf("dS"), a.buf("dP"), a.buf("P"), a.n("rows"), a.n("cols"),
                    a.f("invTemperature"));
            case SPARSEMAX_FWD -> RefRows.sparsemaxFwd(a.buf("P"), a.buf("S"), a.n("rows"), a.n("cols"));
            case SPARSEMAX_BWD -> RefRows.sparsemaxBwd(a.buf("dS"), a.buf("dP"), a.buf("P"), a.n("rows"), a.n("cols"));
            case ENTMAX15_FWD -> RefRows.entmax15Fwd(a.buf("P"), a.buf("S"), a.n("rows"), a.n("cols"));
            case ENTMAX15_BWD -> RefRows.entmax15Bwd(a.buf("dS"), a.buf("dP"), a.buf("P"), a.n("rows"), a.n("cols"));
            case EVSOFTMAX_FWD -> RefRows.evsoftmaxFwd(a.buf("P"), a.buf("S"), a.n("rows"), a.n("cols"), a.f("maskedWeight"));
            case NLL_PROBS -> RefLoss.nllProbs(a.buf("dP"), a.buf("metrics"), a.buf("P"), a.intBuf("labels"),
                    a.scalar("valid"), a.n("B"), a.n("K"));
        }
    }
}
