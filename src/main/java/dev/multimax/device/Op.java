package dev.multimax.device;

import java.util.List;

/**
 * The kernel catalog: every piece of numeric work a task graph can hold.
 *
 * <p>Each op lists its buffer arguments (outputs first, then inputs, then weights, as in llm.c),
 * its int arguments (shapes, flags) and float arguments (constants fixed when the graph is built).
 * Values that change every step (learning rate, step number, valid rows) travel in small buffers.
 * All tensors are row-major; shapes are written like {@code (B, N, D)}. Unless an op says
 * "accumulates", outputs are overwritten. Every device implements every op, or says which it cannot.
 */
public enum Op {
    /** C(M,N) = op(A)·op(B), += when accumulate; A is (M,K) or (K,M) if transA; B is (K,N) or (N,K) if transB. */
    MATMUL("matmul", "matmul", List.of("C", "A", "B"), List.of("M", "N", "K", "transA", "transB", "accumulate")),
    /** Y(M,N) += b(N). */
    BIAS_ADD_FWD("bias_add_fwd", "linear", List.of("Y", "b"), List.of("M", "N")),
    /** db(N) = Σ_m dY(m,N). */
    BIAS_ADD_BWD("bias_add_bwd", "linear", List.of("db", "dY"), List.of("M", "N")),
    /** Z(n) = X(n) + Y(n) (residual connections, forward and backward). */
    RESIDUAL_ADD("residual_add", "residual", List.of("Z", "X", "Y"), List.of("n")),
    /** Y, mean(M), rstd(M) = LayerNorm over the last axis of X(M,C) with weight w(C), bias b(C). */
    LAYERNORM_FWD("layernorm_fwd", "layernorm", List.of("Y", "mean", "rstd", "X", "w", "b"), List.of("M", "C"), List.of("eps")),
    /** dX(M,C), dw(C), db(C) from dY and the saved X, mean, rstd. */
    LAYERNORM_BWD("layernorm_bwd", "layernorm", List.of("dX", "dw", "db", "dY", "X", "mean", "rstd", "w"), List.of("M", "C")),
    /** Y = GELU(X), exact erf form. */
    GELU_FWD("gelu_fwd", "mlp", List.of("Y", "X"), List.of("n")),
    /** dX = dY · GELU'(X). */
    GELU_BWD("gelu_bwd", "mlp", List.of("dX", "dY", "X"), List.of("n")),
    /** P(R,L) = softmax over the last axis of S(R,L). */
    SOFTMAX_FWD("softmax_fwd", "softmax", List.of("P", "S"), List.of("rows", "cols")),
    /** dS = P ⊙ (dP − ⟨P, dP⟩) per row. */
    SOFTMAX_BWD("softmax_bwd", "softmax", List.of("dS", "dP", "P"), List.of("rows", "cols")),
    /** P(R,L) = softmax(σ(S)) per row; params(8) = ranges(4), ts(4). */
    MULTIMAX_FWD("multimax_fwd", "multimax", List.of("P", "S", "params"), List.of("rows", "cols")),
    /** dS(R,L) and dparams(8) = Σ over all rows and columns, from dP, the saved P and S. */
    MULTIMAX_BWD("multimax_bwd", "multimax", List.of("dS", "dparams", "dP", "P", "S", "params"), List.of("rows", "cols")),
    /** Y(n) = σ(X(n)): the modulation alone (the classifier output). */
    MODULATE_FWD("modulate_fwd", "multimax", List.of("Y", "X", "params"), List.of("n")),
    /** dX(n) and dparams(8) from dY = ∂L/∂σ(X). */
    MODULATE_BWD("modulate_bwd", "multimax", List.of("dX", "dparams", "dY", "X", "params"), List.of("n")),
    /** S(B,H,N,N) = scale · Q·Kᵀ, Q and K read from qkv(B,N,3,H,Dh). */
    ATTN_SCORES_FWD("attn_scores_fwd", "attention", List.of("S", "qkv"), List.of("B", "N", "H", "Dh"), List.of("scale")),
    /** dQ = scale·dS·K and dK = scale·dSᵀ·Q, written into the q and k parts of dqkv(B,N,3,H,Dh). */
    ATTN_SCORES_BWD("attn_scores_bwd", "attention", List.of("dqkv", "dS", "qkv"), List.of("B", "N", "H", "Dh"), List.of("scale")),
    /** O(B,N,H·Dh) = P(B,H,N,N)·V, V read from qkv. */
    ATTN_CONTEXT_FWD("attn_context_fwd", "attention", List.of("O", "P", "qkv"), List.of("B", "N", "H", "Dh")),
    /** dP = dO·Vᵀ, and dV = Pᵀ·dO written into the v part of dqkv. */
    ATTN_CONTEXT_BWD("attn_context_bwd", "attention", List.of("dP", "dqkv", "dO", "P", "qkv"), List.of("B", "N", "H", "Dh")),
    /** patches(B·N, C·P·P) from images(B,C,H,W): non-overlapping P×P patches in row-major patch order. */
    PATCHIFY("patchify", "patch", List.of("patches", "images"), List.of("B", "C", "H", "W", "P")),
    /** X(B,N,D) += pos(N,D). */
    POS_EMBED_FWD("pos_embed_fwd", "patch", List.of("X", "pos"), List.of("B", "N", "D")),
    /** dpos(N,D) = Σ_b dX(b,N,D). */
    POS_EMBED_BWD("pos_embed_bwd", "patch", List.of("dpos", "dX"), List.of("B", "N", "D")),
    /** Y(B,D) = mean over tokens of X(B,N,D). */
    MEAN_POOL_FWD("mean_pool_fwd", "pool", List.of("Y", "X"), List.of("B", "N", "D")),
    /** dX(B,N,D) = dY(B,D) / N. */
    MEAN_POOL_BWD("mean_pool_bwd", "pool", List.of("dX", "dY"), List.of("B", "N", "D")),
    /**
     * Softmax cross-entropy on logits(B,K) with int labels(B), over the first valid(1) rows:
     * dLogits = (softmax − onehot)/valid (0 on other rows), metrics(2) = [Σ loss, #argmax correct].
     */
    CROSS_ENTROPY("cross_entropy", "loss", List.of("dLogits", "metrics", "logits", "labels", "valid"), List.of("B", "K")),
    /**
     * Non-finite check after backward: status(2) = [flag, first], flag 1 when loss(1) or any of
     * grads[ranges[0], ranges[tensors]) is NaN or ±Inf, else 0; first is the first non-finite item
     * in order loss = 0, tensor k (grads[ranges[k], ranges[k+1])) = k + 1, or −1 when none.
     * ranges(tensors + 1) are int boundaries, non-decreasing; n is the length of grads.
     */
    NONFINITE_CHECK("nonfinite_check", "check", List.of("status", "loss", "grads", "ranges"), List.of("tensors", "n")),
    /**
     * AdamW over params(n): grads, moments m, v; schedule(2) = [lr, step t ≥ 1]; the first nDecay
     * elements get decoupled weight decay, the rest (1-D parameters) none. When status[0] (the
     * flag of {@link #NONFINITE_CHECK}) is not 0 the update is skipped: params, m and v unchanged.
     */
    ADAMW("adamw", "optimizer", List.of("params", "grads", "m", "v", "schedule", "status"), List.of("n", "nDecay"),
            List.of("beta1", "beta2", "eps", "weightDecay")),
    /** P(R,L) = softmax(invTemperature · S) per row (softmax at temperature T = 1/invTemperature). */
    SOFTMAX_T_FWD("softmax_t_fwd", "softmax", List.of("P", "S"), List.of("rows", "cols"), List.of("invTemperature")),
    /** dS = invTemperature · P ⊙ (dP − ⟨P, dP⟩) per row. */
    SOFTMAX_T_BWD("softmax_t_bwd", "softmax", List.of("dS", "dP", "P"), List.of("rows", "cols"), List.of("invTemperature")),
    /** P(R,L) = sparsemax(S) per row: (S − τ)₊ with Σ = 1 (exact; MULTIMAX.md §6). */
    SPARSEMAX_FWD("sparsemax_fwd", "sparse", List.of("P", "S"), List.of("rows", "cols")),
    /** dS = dP − mean of dP over the support {P > 0}, 0 off it, per row. */
    SPARSEMAX_BWD("sparsemax_bwd", "sparse", List.of("dS", "dP", "P"), List.of("rows", "cols")),
    /** P(R,L) = 1.5-entmax(S) per row: (S/2 − τ)₊² with Σ = 1 (exact). */
    ENTMAX15_FWD("entmax15_fwd", "sparse", List.of("P", "S"), List.of("rows", "cols")),
    /** dS = s ⊙ (dP − ⟨s, dP⟩/Σs) with s = √P, per row. */
    ENTMAX15_BWD("entmax15_bwd", "sparse", List.of("dS", "dP", "P"), List.of("rows", "cols")),
    /**
     * P(R,L) = evidential softmax per row: weight 1 where S ≥ mean(S), maskedWeight elsewhere
     * (1e-6: training form; 0: evaluation form), times exp(S − max S), renormalised. Its backward
     * (mask held fixed) is {@link #SOFTMAX_BWD}.
     */
    EVSOFTMAX_FWD("evsoftmax_fwd", "sparse", List.of("P", "S"), List.of("rows", "cols"), List.of("maskedWeight")),
    /**
     * Negative log-likelihood on probabilities P(B,K) (rows on the simplex) with int labels(B), over
     * the first valid(1) rows: loss −log(max(P[label], 1e-12)), dP = −1/(valid·P[label]) at the label
     * where P[label] > 1e-12, 0 elsewhere (and on rows ≥ valid); metrics(2) = [Σ loss, #argmax correct].
     */
    NLL_PROBS("nll_probs", "loss", List.of("dP", "metrics", "P", "labels", "valid"), List.of("B", "K"));

    private final String kernelName;
    private final String family;
    private final List<String> buffers;
    private final List<String> ints;
    private final List<String> floats;

    Op(String kernelName, String family, List<String> buffers, List<String> ints) {
        this(kernelName, family, buffers, ints, List.of());
    }

    Op(String kernelName, String family, List<String> buffers, List<String> ints, List<String> floats) {
        this.kernelName = kernelName;
        this.family = family;
        this.buffers = buffers;
        this.ints = ints;
        this.floats = floats;
    }

    /** The kernel's name, {@code <op>_fwd} / {@code <op>_bwd}, as in {@code tasks/<family>.cl}. */
    public String kernelName() {
        return kernelName;
    }

    /** The op family: one kernel file per family, and the unit of the compare tables. */
    public String family() {
        return family;
    }

    public List<String> bufferNames() {
        return buffers;
    }

    public List<String> intNames() {
        return ints;
    }

    public List<String> floatNames() {
        return floats;
    }
}
