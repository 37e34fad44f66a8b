package dev.multimax.nn;

import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.graph.TaskGraph;
import java.util.List;

/**
 * y = x·Wᵀ + b with W stored (out, in) as in PyTorch. Backward: dx = dy·W, dW = dyᵀ·x, db = Σ dy.
 * {@code b}/{@code db} are null for a layer without bias.
 */
public record Linear(String path, Slice w, Slice b, Slice dw, Slice db, int in, int out) {

    /** y(rows, out) from x(rows, in). */
    public void forward(TaskGraph g, Slice y, Slice x, int rows) {
        matmulForward(g, y, x, rows);
        if (b != null) g.task(path + ".bias_fwd", Op.BIAS_ADD_FWD, List.of(y, b), new int[] {rows, out});
    }

    /** {@link #fusedForward} or {@link #forward}. */
    public void forward(TaskGraph g, Slice y, Slice x, int rows, boolean fused) {
        if (fused) {
            fusedForward(g, y, x, rows);
        } else {
            forward(g, y, x, rows);
        }
    }

    /** y(rows, out) from x(rows, in), the bias added in the product's epilogue (one task). */
    public void fusedForward(TaskGraph g, Slice y, Slice x, int rows) {
        if (b == null) {
            matmulForward(g, y, x, rows);
        } else {
            g.task(path + ".matmul_bias_fwd", Op.MATMUL_BIAS, List.of(y, x, w, b), new int[] {rows, out, in});
        }
    }

    /** y = x·Wᵀ without the bias (a fused op that follows adds it). */
    public void matmulForward(TaskGraph g, Slice y, Slice x, int rows) {
        g.task(path + ".matmul_fwd", Op.MATMUL, List.of(y, x, w), new int[] {rows, out, in, 0, 1, 0});
    }

    /** dW, db and (unless {@code dx} is null) dx(rows, in), from dy(rows, out) and the saved x. */
    public void backward(TaskGraph g, Slice dx, Slice dy, Slice x, int rows) {
        g.task(path + ".matmul_dw", Op.MATMUL, List.of(dw, dy, x), new int[] {out, in, rows, 1, 0, 0});
        if (b != null) g.task(path + ".bias_bwd", Op.BIAS_ADD_BWD, List.of(db, dy), new int[] {rows, out});
        if (dx != null) matmulDx(g, dx, dy, rows);
    }

    /** dW and dx only (a fused op before it computed db). */
    public void matmulBackward(TaskGraph g, Slice dx, Slice dy, Slice x, int rows) {
        g.task(path + ".matmul_dw", Op.MATMUL, List.of(dw, dy, x), new int[] {out, in, rows, 1, 0, 0});
        matmulDx(g, dx, dy, rows);
    }

    private void matmulDx(TaskGraph g, Slice dx, Slice dy, int rows) {
        g.task(path + ".matmul_dx", Op.MATMUL, List.of(dx, dy, w), new int[] {rows, in, out, 0, 0, 0});
    }
}
