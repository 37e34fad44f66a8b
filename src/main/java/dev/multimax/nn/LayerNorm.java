package dev.multimax.nn;

import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.graph.TaskGraph;
import java.util.List;

/** LayerNorm over the last axis of (rows, width), saving mean and 1/std for the backward. */
public record LayerNorm(String path, Slice w, Slice b, Slice dw, Slice db, int width, float eps) {

    public void forward(TaskGraph g, Slice y, Slice mean, Slice rstd, Slice x, int rows) {
        g.task(path + ".layernorm_fwd", Op.LAYERNORM_FWD, List.of(y, mean, rstd, x, w, b), new int[] {rows, width}, eps);
    }

    /** x += r (a residual connection), then y, mean, rstd = LayerNorm of x, in one task. */
    public void residualForward(TaskGraph g, Slice x, Slice y, Slice mean, Slice rstd, Slice r, int rows) {
        g.task(path + ".residual_layernorm_fwd", Op.RESIDUAL_LAYERNORM_FWD, List.of(x, y, mean, rstd, r, w, b),
                new int[] {rows, width}, eps);
    }

    /** dx += the gradient of x (a residual's sum), dw, db, from dy and the saved x, mean, rstd, in one task. */
    public void backwardAdd(TaskGraph g, Slice dx, Slice dy, Slice x, Slice mean, Slice rstd, int rows) {
        g.task(path + ".layernorm_bwd_add", Op.LAYERNORM_BWD_ADD, List.of(dx, dw, db, dy, x, mean, rstd, w),
                new int[] {rows, width});
    }

    /** Where a fused residual + LayerNorm writes: this norm's output y and its saved mean, rstd. */
    public record Target(LayerNorm norm, Slice y, Slice mean, Slice rstd) {
    }

    /** dx (overwritten), dw, db from dy and the saved x, mean, rstd. */
    public void backward(TaskGraph g, Slice dx, Slice dy, Slice x, Slice mean, Slice rstd, int rows) {
        g.task(path + ".layernorm_bwd", Op.LAYERNORM_BWD, List.of(dx, dw, db, dy, x, mean, rstd, w),
                new int[] {rows, width});
    }
}
