package dev.multimax.nn;

import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.graph.TaskGraph;
import java.util.List;

/**
 * Where an {@link Activation} is applied: attention scores (row-wise distribution) or the
 * classifier output (modulation only; the loss applies the softmax). {@code params}/{@code dparams}
 * are the 8 floats ranges(4), ts(4) of a MultiMax site, null otherwise.
 */
public record ActivationSite(String path, Activation act, Slice params, Slice dparams) {

    /** p(rows, cols) = act(s) row-wise. */
    public void forwardRows(TaskGraph g, Slice p, Slice s, int rows, int cols) {
        int[] shape = {rows, cols};
        switch (act) {
            case SOFTMAX -> g.task(path + ".softmax_fwd", Op.SOFTMAX_FWD, List.of(p, s), shape);
            case MULTIMAX -> g.task(path + ".multimax_fwd", Op.MULTIMAX_FWD, List.of(p, s, params), shape);
        }
    }

    /** ds from dp and the saved p, s (and the parameter gradients of a MultiMax site). */
    public void backwardRows(TaskGraph g, Slice ds, Slice dp, Slice p, Slice s, int rows, int cols) {
        int[] shape = {rows, cols};
        switch (act) {
            case SOFTMAX -> g.task(path + ".softmax_bwd", Op.SOFTMAX_BWD, List.of(ds, dp, p), shape);
            case MULTIMAX -> g.task(path + ".multimax_bwd", Op.MULTIMAX_BWD, List.of(ds, dparams, dp, p, s, params), shape);
        }
    }

    /** The classifier output: y = σ(x) for MultiMax; nothing to do for softmax (y is x). */
    public void forwardOutput(TaskGraph g, Slice y, Slice x) {
        if (act == Activation.MULTIMAX) {
            g.task(path + ".modulate_fwd", Op.MODULATE_FWD, List.of(y, x, params), new int[] {x.count()});
        }
    }

    /** dx from dy = ∂L/∂y of {@link #forwardOutput}; for softmax dx is dy itself. */
    public void backwardOutput(TaskGraph g, Slice dx, Slice dy, Slice x) {
        if (act == Activation.MULTIMAX) {
            g.task(path + ".modulate_bwd", Op.MODULATE_BWD, List.of(dx, dparams, dy, x, params), new int[] {x.count()});
        }
    }
}
