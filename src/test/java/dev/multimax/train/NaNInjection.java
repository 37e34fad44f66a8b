package dev.multimax.train;

import dev.multimax.device.FloatArray;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.TaskGraph;
import dev.multimax.model.ParamLayout;
import dev.multimax.model.VitStep;
import java.util.List;

/**
 * Adds NaN to the last gradient element of {@code tensor} (a parameter name, or {@code loss} for
 * the loss sum) at global step {@code step}, right before the device's non-finite check: one
 * {@code RESIDUAL_ADD} of a one-element input that the host sets to NaN on that step and 0 on
 * every other.
 */
public record NaNInjection(int step, String tensor, FloatArray value) implements StepHook {
    public NaNInjection(int step, String tensor) {
        this(step, tensor, new FloatArray("test.poison", 1));
    }

    @Override
    public void addTasks(TaskGraph g, VitStep s) {
        Slice target;
        if (tensor.equals("loss")) {
            target = s.metrics().slice(0, 1);
        } else {
            ParamLayout.Param p = s.model().layout().get(tensor);
            target = s.grads().slice(p.offset() + p.size() - 1, 1);
        }
        g.transferToDevice(DataTransferMode.EVERY_EXECUTION, value);
        g.task("test.inject_nan", Op.RESIDUAL_ADD, List.of(target, target, value.all()), new int[] {1});
    }

    @Override
    public void beforeStep(int t) {
        value.host()[0] = t == step ? Float.NaN : 0f;
    }
}
