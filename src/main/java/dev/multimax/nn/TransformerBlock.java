package dev.multimax.nn;

import dev.multimax.device.Op;
import dev.multimax.graph.TaskGraph;
import java.util.List;

/**
 * A pre-norm block as task builders. Forward (M = B·N tokens, D wide):
 * <pre>
 *   in ─┬─ norm1 ─ qkv ─ scores·scale ─ act ─ context(P·V) ─ proj ─(+)─ x1 ─┬─ norm2 ─ fc1 ─ gelu ─ fc2 ─(+)─ out
 *       └──────────────────────────────────────────────────────────┘        └──────────────────────────────┘
 * </pre>
 * Backward walks the same path in reverse; dRes holds ∂L/∂out on entry and ∂L/∂in on exit. With
 * {@code fused}, scores, act and context are one task each way (for the activations the fused ops
 * cover), fc1's bias and GELU one task each way, the other biases are added in their matmul's
 * epilogue, and each residual add shares a task with the LayerNorm after it (forward) or before it
 * (backward: the norm's dX is added into dRes).
 */
public record TransformerBlock(String path, LayerNorm norm1, Linear qkv, ActivationSite act, Linear proj,
                               LayerNorm norm2, Linear fc1, Linear fc2, int batch, int tokens, int heads, boolean fused) {

    private boolean fusedAttention() {
        return fused && act.fusesWithAttention();
    }

    private int rows() {
        return batch * tokens;
    }

    private int[] attnShape() {
        return new int[] {batch, tokens, heads, qkv.in() / heads};
    }

    private float scale() {
        return (float) (1.0 / Math.sqrt(qkv.in() / (double) heads));
    }

    /** Unfused: this block from its input to its output (norm1 first, the MLP residual last). */
    public void forward(TaskGraph g, BlockBuffers a) {
        forward(g, a, false, null);
    }

    /**
     * {@code normalized}: the previous block already wrote h1, mean1, rstd1 (its fused residual);
     * {@code next}: where the MLP residual's fused LayerNorm writes (the next block's norm1 or the
     * final norm), or null for a plain residual add.
     */
    public void forward(TaskGraph g, BlockBuffers a, boolean normalized, LayerNorm.Target next) {
        int m = rows();
        String attn = path + ".attn";
        if (!normalized) norm1.forward(g, a.h1().all(), a.mean1().all(), a.rstd1().all(), a.in().all(), m);
        qkv.forward(g, a.qkv().all(), a.h1().all(), m, fused);
        if (fusedAttention()) {
            act.attentionForward(g, a.o().all(), a.s().all(), a.p().all(), a.qkv().all(), attnShape(), scale());
        } else {
            g.task(attn + ".attn_scores_fwd", Op.ATTN_SCORES_FWD, List.of(a.s().all(), a.qkv().all()), attnShape(), scale());
            act.forwardRows(g, a.p().all(), a.s().all(), batch * heads * tokens, tokens);
            g.task(attn + ".attn_context_fwd", Op.ATTN_CONTEXT_FWD, List.of(a.o().all(), a.p().all(), a.qkv().all()),
                    attnShape());
        }
        proj.forward(g, a.x1().all(), a.o().all(), m, fused);
        if (fused) {
            norm2.residualForward(g, a.x1().all(), a.h2().all(), a.mean2().all(), a.rstd2().all(), a.in().all(), m);
        } else {
            g.task(attn + ".residual_fwd", Op.RESIDUAL_ADD, List.of(a.x1().all(), a.x1().all(), a.in().all()),
                    new int[] {a.x1().length()});
            norm2.forward(g, a.h2().all(), a.mean2().all(), a.rstd2().all(), a.x1().all(), m);
        }
        if (fused && fc1.b() != null) {
            fc1.matmulForward(g, a.f1().all(), a.h2().all(), m);
            g.task(path + ".mlp.bias_gelu_fwd", Op.BIAS_GELU_FWD, List.of(a.g().all(), a.f1().all(), fc1.b()),
                    new int[] {m, fc1.out()});
        } else {
            fc1.forward(g, a.f1().all(), a.h2().all(), m);
            g.task(path + ".mlp.gelu_fwd", Op.GELU_FWD, List.of(a.g().all(), a.f1().all()), new int[] {a.g().length()});
        }
        fc2.forward(g, a.out().all(), a.g().all(), m, fused);
        if (next != null) {
            next.norm().residualForward(g, a.out().all(), next.y(), next.mean(), next.rstd(), a.x1().all(), m);
        } else {
            g.task(path + ".mlp.residual_fwd", Op.RESIDUAL_ADD, List.of(a.out().all(), a.out().all(), a.x1().all()),
                    new int[] {a.out().length()});
        }
    }

    public void backward(TaskGraph g, BlockBuffers a, BackwardScratch d) {
        int m = rows();
        int n = d.dRes().length();
        String attn = path + ".attn";
        // MLP branch: dRes = ∂L/∂out.
        fc2.backward(g, d.dG().all(), d.dRes().all(), a.g().all(), m);
        if (fused && fc1.b() != null) {
            g.task(path + ".mlp.gelu_bias_bwd", Op.GELU_BIAS_BWD, List.of(d.dF().all(), fc1.db(), d.dG().all(), a.f1().all(),
                    fc1.b()), new int[] {m, fc1.out()});
            fc1.matmulBackward(g, d.dH().all(), d.dF().all(), a.h2().all(), m);
        } else {
            g.task(path + ".mlp.gelu_bwd", Op.GELU_BWD, List.of(d.dF().all(), d.dG().all(), a.f1().all()),
                    new int[] {d.dF().length()});
            fc1.backward(g, d.dH().all(), d.dF().all(), a.h2().all(), m);
        }
        if (fused) {
            norm2.backwardAdd(g, d.dRes().all(), d.dH().all(), a.x1().all(), a.mean2().all(), a.rstd2().all(), m);
        } else {
            norm2.backward(g, d.dTmp().all(), d.dH().all(), a.x1().all(), a.mean2().all(), a.rstd2().all(), m);
            g.task(path + ".mlp.residual_bwd", Op.RESIDUAL_ADD, List.of(d.dRes().all(), d.dRes().all(), d.dTmp().all()),
                    new int[] {n});
        }
        // Attention branch: dRes = ∂L/∂x1.
        proj.backward(g, d.dO().all(), d.dRes().all(), a.o().all(), m);
        if (fusedAttention()) {
            act.attentionBackward(g, d.dQkv().all(), d.dO().all(), a.p().all(), a.s().all(), a.qkv().all(), attnShape(),
                    scale());
        } else {
            g.task(attn + ".attn_context_bwd", Op.ATTN_CONTEXT_BWD,
                    List.of(d.dP().all(), d.dQkv().all(), d.dO().all(), a.p().all(), a.qkv().all()), attnShape());
            act.backwardRows(g, d.dS().all(), d.dP().all(), a.p().all(), a.s().all(), batch * heads * tokens, tokens);
            g.task(attn + ".attn_scores_bwd", Op.ATTN_SCORES_BWD, List.of(d.dQkv().all(), d.dS().all(), a.qkv().all()),
                    attnShape(), scale());
        }
        qkv.backward(g, d.dH().all(), d.dQkv().all(), a.h1().all(), m);
        if (fused) {
            norm1.backwardAdd(g, d.dRes().all(), d.dH().all(), a.in().all(), a.mean1().all(), a.rstd1().all(), m);
        } else {
            norm1.backward(g, d.dTmp().all(), d.dH().all(), a.in().all(), a.mean1().all(), a.rstd1().all(), m);
            g.task(attn + ".residual_bwd", Op.RESIDUAL_ADD, List.of(d.dRes().all(), d.dRes().all(), d.dTmp().all()),
                    new int[] {n});
        }
    }
}
