package dev.multimax.nn;

import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.graph.TaskGraph;
import java.util.List;

/**
 * Where an {@link Activation} is applied: attention scores (row-wise distribution) or the
 * classifier output. {@code params}/{@code dparams} are the 8 floats ranges(4), ts(4) of a MultiMax
 * site, null otherwise; {@code temperature} applies to softmax only (1: the plain softmax ops).
 *
 * <p>At the classifier output: softmax passes the logits through (the loss applies the softmax),
 * MultiMax modulates them (σ), and sparsemax, entmax-1.5 and evsoftmax apply themselves row-wise so
 * that the output holds probabilities ({@link Activation#outputsProbabilities()}).
 */
public record ActivationSite(String path, Activation act, Slice params, Slice dparams, double temperature) {

    public ActivationSite {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite: " + temperature);
        }
    }

    public ActivationSite(String path, Activation act, Slice params, Slice dparams) {
        this(path, act, params, dparams, 1.0);
    }

    private float invTemperature() {
        return (float) (1.0 / temperature);
    }

    /** p(rows, cols) = act(s) row-wise. */
    public void forwardRows(TaskGraph g, Slice p, Slice s, int rows, int cols) {
        int[] shape = {rows, cols};
        switch (act) {
            case SOFTMAX -> {
                if (temperature == 1.0) {
                    g.task(path + ".softmax_fwd", Op.SOFTMAX_FWD, List.of(p, s), shape);
                } else {
                    g.task(path + ".softmax_t_fwd", Op.SOFTMAX_T_FWD, List.of(p, s), shape, invTemperature());
                }
            }
            case MULTIMAX -> g.task(path + ".multimax_fwd", Op.MULTIMAX_FWD, List.of(p, s, params), shape);
            case SPARSEMAX -> g.task(path + ".sparsemax_fwd", Op.SPARSEMAX_FWD, List.of(p, s), shape);
            case ENTMAX15 -> g.task(path + ".entmax15_fwd", Op.ENTMAX15_FWD, List.of(p, s), shape);
            case EVSOFTMAX -> g.task(path + ".evsoftmax_fwd", Op.EVSOFTMAX_FWD, List.of(p, s), shape,
                    Activation.EVSOFTMAX_MASKED_WEIGHT);
        }
    }

    /** ds from dp and the saved p, s (and the parameter gradients of a MultiMax site). */
    public void backwardRows(TaskGraph g, Slice ds, Slice dp, Slice p, Slice s, int rows, int cols) {
        int[] shape = {rows, cols};
        switch (act) {
            case SOFTMAX -> {
                if (temperature == 1.0) {
                    g.task(path + ".softmax_bwd", Op.SOFTMAX_BWD, List.of(ds, dp, p), shape);
                } else {
                    g.task(path + ".softmax_t_bwd", Op.SOFTMAX_T_BWD, List.of(ds, dp, p), shape, invTemperature());
                }
            }
            case MULTIMAX -> g.task(path + ".multimax_bwd", Op.MULTIMAX_BWD, List.of(ds, dparams, dp, p, s, params), shape);
            case SPARSEMAX -> g.task(path + ".sparsemax_bwd", Op.SPARSEMAX_BWD, List.of(ds, dp, p), shape);
            case ENTMAX15 -> g.task(path + ".entmax15_bwd", Op.ENTMAX15_BWD, List.of(ds, dp, p), shape);
            // Evidential softmax with its mask held fixed has the softmax Jacobian.
            case EVSOFTMAX -> g.task(path + ".evsoftmax_bwd", Op.SOFTMAX_BWD, List.of(ds, dp, p), shape);
        }
    }

    /**
     * The classifier output y(rows, cols) from x: σ(x) for MultiMax, act(x) row-wise for the
     * probability activations, nothing for softmax (y is x).
     */
    public void forwardOutput(TaskGraph g, Slice y, Slice x, int rows, int cols) {
        if (act == Activation.MULTIMAX) {
            g.task(path + ".modulate_fwd", Op.MODULATE_FWD, List.of(y, x, params), new int[] {x.count()});
        } else if (act.outputsProbabilities()) {
            forwardRows(g, y, x, rows, cols);
        }
    }

    /** dx from dy = ∂L/∂y of {@link #forwardOutput} (y its output); for softmax dx is dy itself. */
    public void backwardOutput(TaskGraph g, Slice dx, Slice dy, Slice y, Slice x, int rows, int cols) {
        if (act == Activation.MULTIMAX) {
            g.task(path + ".modulate_bwd", Op.MODULATE_BWD, List.of(dx, dparams, dy, x, params), new int[] {x.count()});
        } else if (act.outputsProbabilities()) {
            backwardRows(g, dx, dy, y, x, rows, cols);
        }
    }

    /**
     * Whether the fused attention ops cover this activation: MultiMax, and softmax at temperature 1.
     * Sparsemax, entmax-1.5 and evsoftmax (the compared activations) and tempered softmax keep their
     * row kernels between the unfused products: their rows find a threshold by sorting or bisection,
     * which the fused kernels do not carry (see DESIGN.md, "Fused attention").
     */
    public boolean fusesWithAttention() {
        return act == Activation.MULTIMAX || (act == Activation.SOFTMAX && temperature == 1.0);
    }

    /** O = act(scale·Q·Kᵀ)·V in one task; P (and S for MultiMax) kept for the backward. */
    public void attentionForward(TaskGraph g, Slice o, Slice s, Slice p, Slice qkv, int[] bnhd, float scale) {
        if (act == Activation.MULTIMAX) {
            g.task(path + ".attn_multimax_fwd", Op.ATTN_MULTIMAX_FWD, List.of(o, s, p, qkv, params), bnhd, scale);
        } else {
            g.task(path + ".attn_softmax_fwd", Op.ATTN_SOFTMAX_FWD, List.of(o, p, qkv), bnhd, scale);
        }
    }

    /** All of dqkv (and dparams for MultiMax) from dO and what {@link #attentionForward} kept. */
    public void attentionBackward(TaskGraph g, Slice dqkv, Slice dO, Slice p, Slice s, Slice qkv, int[] bnhd, float scale) {
        if (act == Activation.MULTIMAX) {
            g.task(path + ".attn_multimax_bwd", Op.ATTN_MULTIMAX_BWD, List.of(dqkv, dparams, dO, p, s, qkv, params), bnhd, scale);
        } else {
            g.task(path + ".attn_softmax_bwd", Op.ATTN_SOFTMAX_BWD, List.of(dqkv, dO, p, qkv), bnhd, scale);
        }
    }
}
