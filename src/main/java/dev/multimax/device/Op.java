package dev.multimax.device;

import static dev.multimax.device.OpCost.attention;
import static dev.multimax.device.OpCost.matmul;
import static dev.multimax.device.OpCost.memory;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The op catalog: every piece of numeric work a task graph can hold, one entry per op with all
 * that is known about it in one place.
 * <ul>
 *   <li>its <b>signature</b>: buffer arguments ({@link Buffer}: name, out / in / inout, float or
 *   int; outputs first, then inputs, then weights, as in llm.c), int arguments (shapes, flags) and
 *   float arguments (constants fixed when the graph is built). Values that change every step
 *   (learning rate, step number, valid rows) travel in small buffers. Every backend binds its
 *   kernels by these names: the OpenCL kernel's parameters, the Java and {@code ref:0} kernels'
 *   arguments.</li>
 *   <li>its <b>family</b>: one kernel file {@code tasks/<family>.cl}, forward and backward side by side.</li>
 *   <li>its <b>cost</b> ({@link OpCost}) from the int arguments, for GFLOP/s and GB/s in profiles.</li>
 *   <li>its <b>tolerance</b> against {@code ref:0}, with the reason ({@link Tolerance}).</li>
 * </ul>
 * All tensors are row-major; shapes are written like {@code (B, N, D)}. Outputs ({@code out}) are
 * overwritten in full; {@code inout} buffers are read and updated. Every device implements every
 * op, or says which it cannot.
 */
public enum Op {
    /** C(M,N) = op(A)·op(B), += when accumulate; A is (M,K) or (K,M) if transA; B is (K,N) or (N,K) if transB. */
    MATMUL("matmul", "matmul", List.of("inout C[M*N]", "in A[M*K]", "in B[K*N]"), List.of("M", "N", "K", "transA", "transB", "accumulate"),
            List.of(), n -> matmul(n[0], n[1], n[2], n[5] != 0),
            new Tolerance(1e-5, 1e-5, "fp32 sums of K products in a blocked order")),
    /**
     * C(M,N) = A(M,K)·B(N,K)ᵀ + bias(N): a Linear's forward with its bias added as C is stored (= matmul
     * with transB, then bias_add_fwd: the same two roundings).
     */
    MATMUL_BIAS("matmul_bias", "matmul", List.of("out C[M*N]", "in A[M*K]", "in B[N*K]", "in bias[N]"), List.of("M", "N", "K"),
            List.of(), n -> matmul(n[0], n[1], n[2], false),
            new Tolerance(1e-5, 1e-5, "fp32 sums of K products in a blocked order, then one addition")),
    /** Y(M,N) += b(N). */
    BIAS_ADD_FWD("bias_add_fwd", "linear", List.of("inout Y[M*N]", "in b[N]"), List.of("M", "N"), List.of(),
            n -> memory(2 * n[0] * n[1] + n[1]), Tolerance.EXACT), // one fp32 addition, the same everywhere
    /** db(N) = Σ_m dY(m,N). */
    BIAS_ADD_BWD("bias_add_bwd", "linear", List.of("out db[N]", "in dY[M*N]"), List.of("M", "N"), List.of(),
            n -> memory(n[0] * n[1] + n[1]), new Tolerance(1e-6, 1e-5, "fp32 sums over M rows")),
    /** Z(n) = X(n) + Y(n) (residual connections, forward and backward). */
    RESIDUAL_ADD("residual_add", "residual", List.of("out Z[n]", "in X[n]", "in Y[n]"), List.of("n"), List.of(),
            n -> memory(3 * n[0]), Tolerance.EXACT),
    /** Y, mean(M), rstd(M) = LayerNorm over the last axis of X(M,C) with weight w(C), bias b(C). */
    LAYERNORM_FWD("layernorm_fwd", "layernorm", List.of("out Y[M*C]", "out mean[M]", "out rstd[M]", "in X[M*C]", "in w[C]", "in b[C]"),
            List.of("M", "C"), List.of("eps"), n -> memory(2 * n[0] * n[1] + 2 * n[1] + 2 * n[0]),
            new Tolerance(1e-5, 1e-5, "fp32 row mean and variance over C, and 1/√ in float")),
    /** dX(M,C), dw(C), db(C) from dY and the saved X, mean, rstd. */
    LAYERNORM_BWD("layernorm_bwd", "layernorm", List.of("out dX[M*C]", "out dw[C]", "out db[C]", "in dY[M*C]", "in X[M*C]", "in mean[M]", "in rstd[M]", "in w[C]"), List.of("M", "C"), List.of(), n -> memory(3 * n[0] * n[1] + 3 * n[1] + 2 * n[0]),
            new Tolerance(1e-5, 1e-4, "dX subtracts two fp32 row sums; dw, db sum M rows")),
    /** X(M,C) += R (a residual connection), then Y, mean, rstd = LayerNorm of X (= residual_add, layernorm_fwd). */
    RESIDUAL_LAYERNORM_FWD("residual_layernorm_fwd", "layernorm", List.of("inout X[M*C]", "out Y[M*C]", "out mean[M]",
            "out rstd[M]", "in R[M*C]", "in w[C]", "in b[C]"), List.of("M", "C"), List.of("eps"),
            n -> memory(4 * n[0] * n[1] + 2 * n[1] + 2 * n[0]),
            new Tolerance(1e-5, 1e-5, "one fp32 addition, then fp32 row mean and variance over C, and 1/√ in float")),
    /** dX(M,C) += LayerNorm's dX, and dw(C), db(C), from dY and the saved X, mean, rstd (= layernorm_bwd, residual_add). */
    LAYERNORM_BWD_ADD("layernorm_bwd_add", "layernorm", List.of("inout dX[M*C]", "out dw[C]", "out db[C]", "in dY[M*C]",
            "in X[M*C]", "in mean[M]", "in rstd[M]", "in w[C]"), List.of("M", "C"), List.of(),
            n -> memory(4 * n[0] * n[1] + 3 * n[1] + 2 * n[0]),
            new Tolerance(1e-5, 1e-4, "dX subtracts two fp32 row sums, then one addition; dw, db sum M rows")),
    /** Y = GELU(X), exact erf form. */
    GELU_FWD("gelu_fwd", "mlp", List.of("out Y[n]", "in X[n]"), List.of("n"), List.of(), n -> memory(2 * n[0]),
            new Tolerance(5e-7, 1e-6, 1, "erf's float error is absolute (about 1e-7 of Φ), times |X|, even where Y is small")),
    /** dX = dY · GELU'(X). */
    GELU_BWD("gelu_bwd", "mlp", List.of("out dX[n]", "in dY[n]", "in X[n]"), List.of("n"), List.of(), n -> memory(3 * n[0]),
            new Tolerance(5e-7, 1e-5, 1, "erf and exp in float: absolute errors of Φ and φ, times |X| and |dY|")),
    /**
     * G(M,N) = GELU(F + b(N)): fc1's bias and GELU in one pass (= bias_add_fwd, gelu_fwd). F, fc1's
     * product without its bias, is left as it is: the backward adds b again (the same fp32 sum),
     * which saves writing F back.
     */
    BIAS_GELU_FWD("bias_gelu_fwd", "mlp", List.of("out G[M*N]", "in F[M*N]", "in b[N]"), List.of("M", "N"), List.of(),
            n -> memory(2 * n[0] * n[1] + n[1]), new Tolerance(5e-7, 1e-6, 1,
            "one fp32 addition, then erf's float error, absolute (about 1e-7 of Φ), times |F + b|")),
    /** dF(M,N) = dG·GELU'(F + b) and db(N) = Σ_m dF: GELU's backward and fc1's bias gradient (= gelu_bwd, bias_add_bwd). */
    GELU_BIAS_BWD("gelu_bias_bwd", "mlp", List.of("out dF[M*N]", "out db[N]", "in dG[M*N]", "in F[M*N]", "in b[N]"),
            List.of("M", "N"), List.of(), n -> memory(3 * n[0] * n[1] + 2 * n[1]), new Tolerance(5e-7, 1e-5, 1,
            "erf and exp in float: absolute errors of Φ and φ, times |F + b| and |dG|")
            .and("db", new Tolerance(1e-6, 1e-5, 1, "fp32 sums over M rows of dF, each off as GELU's backward"))),
    /** P(R,L) = softmax over the last axis of S(R,L). */
    SOFTMAX_FWD("softmax_fwd", "softmax", List.of("out P[rows*cols]", "in S[rows*cols]"), List.of("rows", "cols"), List.of(),
            n -> memory(2 * n[0] * n[1]), new Tolerance(1e-7, 2e-5, "exp within 3 ulp, fp32 row sums")),
    /** dS = P ⊙ (dP − ⟨P, dP⟩) per row. */
    SOFTMAX_BWD("softmax_bwd", "softmax", List.of("out dS[rows*cols]", "in dP[rows*cols]", "in P[rows*cols]"), List.of("rows", "cols"), List.of(),
            n -> memory(3 * n[0] * n[1]), new Tolerance(1e-5, 1e-4, Shared.ROW_BACKWARD)),
    /** P(R,L) = softmax(σ(S)) per row; params(8) = ranges(4), ts(4). */
    MULTIMAX_FWD("multimax_fwd", "multimax", List.of("out P[rows*cols]", "in S[rows*cols]", "in params[8]"), List.of("rows", "cols"), List.of(),
            n -> memory(2 * n[0] * n[1] + 8), new Tolerance(1e-7, 2e-5, "σ in float, exp within 3 ulp, fp32 row sums")),
    /** dS(R,L) and dparams(8) = Σ over all rows and columns, from dP, the saved P and S. */
    MULTIMAX_BWD("multimax_bwd", "multimax", List.of("out dS[rows*cols]", "out dparams[8]", "in dP[rows*cols]", "in P[rows*cols]", "in S[rows*cols]", "in params[8]"),
            List.of("rows", "cols"), List.of(), n -> memory(4 * n[0] * n[1] + 16),
            new Tolerance(1e-5, 1e-4, Shared.ROW_BACKWARD).and("dparams", Shared.PARAMETER_SUMS)),
    /** Y(n) = σ(X(n)): the modulation alone (the classifier output). */
    MODULATE_FWD("modulate_fwd", "multimax", List.of("out Y[n]", "in X[n]", "in params[8]"), List.of("n"), List.of(),
            n -> memory(2 * n[0] + 8), new Tolerance(1e-6, 1e-6, 1, "a few fp32 multiply-adds of terms the size of X, which may cancel")),
    /** dX(n) and dparams(8) from dY = ∂L/∂σ(X). */
    MODULATE_BWD("modulate_bwd", "multimax", List.of("out dX[n]", "out dparams[8]", "in dY[n]", "in X[n]", "in params[8]"), List.of("n"),
            List.of(), n -> memory(3 * n[0] + 16), new Tolerance(1e-5, 1e-5, 1,
            "σ' sums terms the size of X, which may cancel").and("dparams", Shared.PARAMETER_SUMS)),
    /** S(B,H,N,N) = scale · Q·Kᵀ, Q and K read from qkv(B,N,3,H,Dh). */
    ATTN_SCORES_FWD("attn_scores_fwd", "attention", List.of("out S[B*H*N*N]", "in qkv[B*N*3*H*Dh]"), List.of("B", "N", "H", "Dh"),
            List.of("scale"), n -> attention(n, 1, 1, 2), new Tolerance(1e-5, 1e-5, "fp32 sums of Dh products")),
    /** dQ = scale·dS·K and dK = scale·dSᵀ·Q, written into the q and k parts of dqkv(B,N,3,H,Dh) (v untouched). */
    ATTN_SCORES_BWD("attn_scores_bwd", "attention", List.of("inout dqkv[B*N*3*H*Dh]", "in dS[B*H*N*N]", "in qkv[B*N*3*H*Dh]"), List.of("B", "N", "H", "Dh"),
            List.of("scale"), n -> attention(n, 2, 1, 4), new Tolerance(1e-5, 1e-5, "fp32 sums of N products")),
    /** O(B,N,H·Dh) = P(B,H,N,N)·V, V read from qkv. */
    ATTN_CONTEXT_FWD("attn_context_fwd", "attention", List.of("out O[B*N*H*Dh]", "in P[B*H*N*N]", "in qkv[B*N*3*H*Dh]"), List.of("B", "N", "H", "Dh"),
            List.of(), n -> attention(n, 1, 1, 2), new Tolerance(1e-5, 1e-5, "fp32 sums of N products")),
    /** dP = dO·Vᵀ, and dV = Pᵀ·dO written into the v part of dqkv (q and k untouched). */
    ATTN_CONTEXT_BWD("attn_context_bwd", "attention", List.of("out dP[B*H*N*N]", "inout dqkv[B*N*3*H*Dh]", "in dO[B*N*H*Dh]", "in P[B*H*N*N]", "in qkv[B*N*3*H*Dh]"),
            List.of("B", "N", "H", "Dh"), List.of(), n -> attention(n, 2, 2, 3),
            new Tolerance(1e-5, 1e-5, "fp32 sums of Dh or N products")),
    /**
     * Fused MultiMax attention: S(B,H,N,N) = scale·Q·Kᵀ, P = softmax(σ(S)) per row, O(B,N,H·Dh) = P·V
     * in one task (= attn_scores_fwd, multimax_fwd, attn_context_fwd); S and P are kept for the backward.
     */
    ATTN_MULTIMAX_FWD("attn_multimax_fwd", "attention", List.of("out O[B*N*H*Dh]", "out S[B*H*N*N]", "out P[B*H*N*N]",
            "in qkv[B*N*3*H*Dh]", "in params[8]"), List.of("B", "N", "H", "Dh"), List.of("scale"), n -> attention(n, 2, 2, 4),
            new Tolerance(1e-5, 1e-4, "fp32 sums of Dh products, σ and exp in float, then sums of N products")),
    /** Its backward: all of dqkv (dQ, dK, dV) and dparams(8), from dO and the saved P and S (= the three unfused backwards). */
    ATTN_MULTIMAX_BWD("attn_multimax_bwd", "attention", List.of("out dqkv[B*N*3*H*Dh]", "out dparams[8]", "in dO[B*N*H*Dh]",
            "in P[B*H*N*N]", "in S[B*H*N*N]", "in qkv[B*N*3*H*Dh]", "in params[8]"), List.of("B", "N", "H", "Dh"), List.of("scale"),
            n -> attention(n, 4, 2, 5), new Tolerance(1e-5, 1e-4, Shared.ROW_BACKWARD).and("dparams", Shared.PARAMETER_SUMS)),
    /** Fused softmax attention: P = softmax(scale·Q·Kᵀ) per row, O = P·V (= attn_scores_fwd, softmax_fwd, attn_context_fwd). */
    ATTN_SOFTMAX_FWD("attn_softmax_fwd", "attention", List.of("out O[B*N*H*Dh]", "out P[B*H*N*N]", "in qkv[B*N*3*H*Dh]"),
            List.of("B", "N", "H", "Dh"), List.of("scale"), n -> attention(n, 2, 1, 4),
            new Tolerance(1e-5, 1e-4, "fp32 sums of Dh products, exp in float, then sums of N products")),
    /** Its backward: all of dqkv from dO and the saved P. */
    ATTN_SOFTMAX_BWD("attn_softmax_bwd", "attention", List.of("out dqkv[B*N*3*H*Dh]", "in dO[B*N*H*Dh]", "in P[B*H*N*N]",
            "in qkv[B*N*3*H*Dh]"), List.of("B", "N", "H", "Dh"), List.of("scale"), n -> attention(n, 4, 1, 5),
            new Tolerance(1e-5, 1e-4, Shared.ROW_BACKWARD)),
    /** patches(B·N, C·P·P) from images(B,C,H,W): non-overlapping P×P patches in row-major patch order. */
    PATCHIFY("patchify", "patch", List.of("out patches[B*H/P*W/P*C*P*P]", "in images[B*C*H*W]"), List.of("B", "C", "H", "W", "P"), List.of(),
            n -> memory(2 * n[0] * n[1] * n[2] * n[3]), Tolerance.EXACT),
    /** X(B,N,D) += pos(N,D). */
    POS_EMBED_FWD("pos_embed_fwd", "patch", List.of("inout X[B*N*D]", "in pos[N*D]"), List.of("B", "N", "D"), List.of(),
            n -> memory(2 * n[0] * n[1] * n[2] + n[1] * n[2]), Tolerance.EXACT),
    /** dpos(N,D) = Σ_b dX(b,N,D). */
    POS_EMBED_BWD("pos_embed_bwd", "patch", List.of("out dpos[N*D]", "in dX[B*N*D]"), List.of("B", "N", "D"), List.of(),
            n -> memory(n[0] * n[1] * n[2] + n[1] * n[2]), new Tolerance(1e-6, 1e-5, "fp32 sums over B")),
    /** Y(B,D) = mean over tokens of X(B,N,D). */
    MEAN_POOL_FWD("mean_pool_fwd", "pool", List.of("out Y[B*D]", "in X[B*N*D]"), List.of("B", "N", "D"), List.of(),
            n -> memory(n[0] * n[1] * n[2] + n[0] * n[2]), new Tolerance(1e-6, 1e-5, "fp32 sums over N")),
    /** dX(B,N,D) = dY(B,D) / N. */
    MEAN_POOL_BWD("mean_pool_bwd", "pool", List.of("out dX[B*N*D]", "in dY[B*D]"), List.of("B", "N", "D"), List.of(),
            n -> memory(n[0] * n[1] * n[2] + n[0] * n[2]), new Tolerance(1e-7, 1e-6, "one fp32 division or product")),
    /**
     * Softmax cross-entropy on logits(B,K) with int labels(B), over the first valid(1) rows:
     * dLogits = (softmax − onehot)/valid (0 on other rows), metrics(2) = [Σ loss, #argmax correct].
     */
    CROSS_ENTROPY("cross_entropy", "loss", List.of("out dLogits[B*K]", "out metrics[2]", "in logits[B*K]", "in int labels[B]", "in valid[1]"),
            List.of("B", "K"), List.of(), n -> memory(2 * n[0] * n[1] + n[0] + 3),
            new Tolerance(1e-6, 1e-5, 0.01, "exp and log in float; the loss sum over B rows; softmax − onehot cancels "
                    + "where p ≈ 1, so dLogits' error is absolute, in units of the terms (≥ 0.01 in the checks), not of the result")),
    /**
     * Non-finite check after backward: status(2) = [flag, first], flag 1 when loss(1) or any of
     * grads[ranges[0], ranges[tensors]) is NaN or ±Inf, else 0; first is the first non-finite item
     * in order loss = 0, tensor k (grads[ranges[k], ranges[k+1])) = k + 1, or −1 when none.
     * ranges(tensors + 1) are int boundaries, non-decreasing; n is the length of grads.
     */
    NONFINITE_CHECK("nonfinite_check", "check", List.of("out status[2]", "in loss[1]", "in grads[n]", "in int ranges[tensors+1]"),
            List.of("tensors", "n"), List.of(), n -> memory(n[1] + n[0] + 4), Tolerance.EXACT),
    /**
     * AdamW over params(n): grads, moments m, v; schedule(2) = [lr, step t ≥ 1]; the first nDecay
     * elements get decoupled weight decay, the rest (1-D parameters) none. When status[0] (the
     * flag of {@link #NONFINITE_CHECK}) is not 0 the update is skipped: params, m and v unchanged.
     */
    ADAMW("adamw", "optimizer", List.of("inout params[n]", "in grads[n]", "inout m[n]", "inout v[n]", "in schedule[2]", "in status[1]"),
            List.of("n", "nDecay"), List.of("beta1", "beta2", "eps", "weightDecay"), n -> memory(7 * n[0] + 3),
            new Tolerance(1e-6, 1e-5, "a dozen fp32 operations per element, √ and a division")),
    /** P(R,L) = softmax(invTemperature · S) per row (softmax at temperature T = 1/invTemperature). */
    SOFTMAX_T_FWD("softmax_t_fwd", "softmax", List.of("out P[rows*cols]", "in S[rows*cols]"), List.of("rows", "cols"), List.of("invTemperature"),
            n -> memory(2 * n[0] * n[1]), new Tolerance(1e-7, 2e-5, "exp within 3 ulp, fp32 row sums")),
    /** dS = invTemperature · P ⊙ (dP − ⟨P, dP⟩) per row. */
    SOFTMAX_T_BWD("softmax_t_bwd", "softmax", List.of("out dS[rows*cols]", "in dP[rows*cols]", "in P[rows*cols]"), List.of("rows", "cols"),
            List.of("invTemperature"), n -> memory(3 * n[0] * n[1]), new Tolerance(1e-5, 1e-4, Shared.ROW_BACKWARD)),
    /** P(R,L) = sparsemax(S) per row: (S − τ)₊ with Σ = 1 (exact; MULTIMAX.md §6). */
    SPARSEMAX_FWD("sparsemax_fwd", "sparse", List.of("out P[rows*cols]", "in S[rows*cols]"), List.of("rows", "cols"), List.of(),
            n -> memory(2 * n[0] * n[1]), new Tolerance(2e-6, 1e-5, "τ from fp32 sums over the row")),
    /** dS = dP − mean of dP over the support {P > 0}, 0 off it, per row. */
    SPARSEMAX_BWD("sparsemax_bwd", "sparse", List.of("out dS[rows*cols]", "in dP[rows*cols]", "in P[rows*cols]"), List.of("rows", "cols"), List.of(),
            n -> memory(3 * n[0] * n[1]), new Tolerance(1e-6, 1e-4, "an fp32 mean over the support")),
    /** P(R,L) = 1.5-entmax(S) per row: (S/2 − τ)₊² with Σ = 1 (exact). */
    ENTMAX15_FWD("entmax15_fwd", "sparse", List.of("out P[rows*cols]", "in S[rows*cols]"), List.of("rows", "cols"), List.of(),
            n -> memory(2 * n[0] * n[1]), new Tolerance(2e-6, 1e-5, "τ from fp32 sums over the row")),
    /** dS = s ⊙ (dP − ⟨s, dP⟩/Σs) with s = √P, per row. */
    ENTMAX15_BWD("entmax15_bwd", "sparse", List.of("out dS[rows*cols]", "in dP[rows*cols]", "in P[rows*cols]"), List.of("rows", "cols"), List.of(),
            n -> memory(3 * n[0] * n[1]), new Tolerance(1e-6, 1e-4, "√P in float, fp32 sums over the row")),
    /**
     * P(R,L) = evidential softmax per row: weight 1 where S ≥ mean(S), maskedWeight elsewhere
     * (1e-6: training form; 0: evaluation form), times exp(S − max S), renormalised. Its backward
     * (mask held fixed) is {@link #SOFTMAX_BWD}.
     */
    EVSOFTMAX_FWD("evsoftmax_fwd", "sparse", List.of("out P[rows*cols]", "in S[rows*cols]"), List.of("rows", "cols"), List.of("maskedWeight"),
            n -> memory(2 * n[0] * n[1]), new Tolerance(1e-7, 2e-5, "exp within 3 ulp, fp32 row sums")),
    /**
     * Negative log-likelihood on probabilities P(B,K) (rows on the simplex) with int labels(B), over
     * the first valid(1) rows: loss −log(max(P[label], 1e-12)), dP = −1/(valid·P[label]) at the label
     * where P[label] > 1e-12, 0 elsewhere (and on rows ≥ valid); metrics(2) = [Σ loss, #argmax correct].
     */
    NLL_PROBS("nll_probs", "loss", List.of("out dP[B*K]", "out metrics[2]", "in P[B*K]", "in int labels[B]", "in valid[1]"),
            List.of("B", "K"), List.of(), n -> memory(2 * n[0] * n[1] + n[0] + 3),
            new Tolerance(1e-6, 1e-5, "log in float; the loss sum over B rows"));

    /** Tolerances shared by several ops (a nested class: enum constants cannot read the enum's own static objects). */
    private static final class Shared {
        /** Why the row backwards (softmax, MultiMax) get 1e-5 of the largest gradient: their error scales with |P|·|dP|, not |dS|. */
        static final String ROW_BACKWARD = "dP − ⟨P, dP⟩ cancels where dP ≈ ⟨P, dP⟩: the error scales with |P|·|dP|, "
                + "up to 10× the largest dS";

        /**
         * MultiMax's 8 parameter gradients are fp32 sums over every element of terms of both signs (each
         * row of u = ∂L/∂σ sums to 0), so they cancel: judged against 1, the size of the terms' factors.
         */
        static final Tolerance PARAMETER_SUMS = new Tolerance(1e-5, 1e-4, 1,
                "fp32 sums over every element of terms of both signs, which cancel");
    }

    /** How a kernel uses a buffer argument. */
    public enum Role {
        /** Written in full; its old contents are not read. */
        OUT,
        /** Read only. */
        IN,
        /** Read and updated (accumulations, in-place updates, partial writes). */
        INOUT;

        public boolean written() {
            return this != IN;
        }
    }

    /**
     * One buffer argument of the signature, {@code "out dS[rows*cols]"}, {@code "in int labels[B]"}:
     * its role, type, name and extent, the elements the op reads or writes, as an expression of the
     * int arguments ({@code *}, {@code /} left to right, then {@code +}).
     */
    public record Buffer(String name, Role role, boolean isInt, String extent) {
        static Buffer parse(String spec) {
            String[] w = spec.split(" ");
            Role role = Role.valueOf(w[0].toUpperCase(java.util.Locale.ROOT));
            boolean isInt = w.length == 3 && w[1].equals("int");
            String last = w[w.length - 1];
            int open = last.indexOf('[');
            if (w.length != (isInt ? 3 : 2) || open < 1 || !last.endsWith("]")) {
                throw new IllegalArgumentException("bad buffer spec '" + spec + "'");
            }
            return new Buffer(last.substring(0, open), role, isInt, last.substring(open + 1, last.length() - 1));
        }
    }

    private final String kernelName;
    private final String family;
    private final List<Buffer> buffers;
    private final List<String> ints;
    private final List<String> floats;
    private final Function<long[], OpCost> cost;
    private final Tolerance tolerance;

    Op(String kernelName, String family, List<String> buffers, List<String> ints, List<String> floats,
       Function<long[], OpCost> cost, Tolerance tolerance) {
        this.kernelName = kernelName;
        this.family = family;
        this.buffers = buffers.stream().map(Buffer::parse).toList();
        this.ints = ints;
        this.floats = floats;
        this.cost = cost;
        this.tolerance = tolerance;
    }

    /** The kernel's name, {@code <op>_fwd} / {@code <op>_bwd}, as in {@code tasks/<family>.cl}. */
    public String kernelName() {
        return kernelName;
    }

    /** The op family: one kernel file per family, and the unit of the compare tables. */
    public String family() {
        return family;
    }

    public List<Buffer> buffers() {
        return buffers;
    }

    public List<String> bufferNames() {
        return buffers.stream().map(Buffer::name).toList();
    }

    /** The position of buffer {@code name} in the signature. */
    public int bufferIndex(String name) {
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).name().equals(name)) return i;
        }
        throw new IllegalArgumentException(kernelName + " has no buffer '" + name + "'; it takes " + bufferNames());
    }

    public List<String> intNames() {
        return ints;
    }

    public int intIndex(String name) {
        return index(ints, name, "int");
    }

    public List<String> floatNames() {
        return floats;
    }

    public int floatIndex(String name) {
        return index(floats, name, "float");
    }

    private int index(List<String> names, String name, String kind) {
        int i = names.indexOf(name);
        if (i < 0) throw new IllegalArgumentException(kernelName + " has no " + kind + " '" + name + "'; it takes " + names);
        return i;
    }

    /** The elements buffer {@code k} spans for these int arguments (its extent in the signature). */
    public long extent(int k, int[] intArgs) {
        long sum = 0;
        for (String term : buffers.get(k).extent().split("\\+")) {
            long v = 1;
            char op = '*';
            int i = 0;
            while (i < term.length()) {
                int j = i;
                while (j < term.length() && term.charAt(j) != '*' && term.charAt(j) != '/') j++;
                String factor = term.substring(i, j);
                long f = Character.isDigit(factor.charAt(0)) ? Long.parseLong(factor) : intArgs[intIndex(factor)];
                v = op == '*' ? v * f : v / f;
                if (j < term.length()) op = term.charAt(j);
                i = j + 1;
            }
            sum += v;
        }
        return sum;
    }

    /** The work of a call with these int arguments (widened to long). */
    public OpCost cost(long[] intArgs) {
        return cost.apply(intArgs);
    }

    /** How far a device may be from {@code ref:0} on this op, and why. */
    public Tolerance tolerance() {
        return tolerance;
    }

    /** The families in catalog order. */
    public static List<String> families() {
        return Arrays.stream(values()).map(Op::family).distinct().toList();
    }
}
