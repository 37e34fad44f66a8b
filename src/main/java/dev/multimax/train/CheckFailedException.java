package dev.multimax.train;

import dev.multimax.graph.TaskCheck;
import java.util.List;

/**
 * A checked training step ({@link Trainer#withCheckStep}) had a task whose output left its
 * tolerance against the reference device: the device computes something wrong, and the first such
 * task says where.
 */
public final class CheckFailedException extends RuntimeException {
    private final int step;
    private final List<TaskCheck> checks;

    public CheckFailedException(int step, List<TaskCheck> checks) {
        super(message(step, checks));
        this.step = step;
        this.checks = List.copyOf(checks);
    }

    public int step() {
        return step;
    }

    public List<TaskCheck> checks() {
        return checks;
    }

    private static String message(int step, List<TaskCheck> checks) {
        TaskCheck first = checks.stream().filter(c -> !c.ok()).findFirst().orElseThrow();
        long failed = checks.stream().filter(c -> !c.ok()).count();
        return "step " + step + " checked against ref:0: " + failed + " of " + checks.size() + " tasks off; the first is "
                + first.taskId() + " (" + first.op().kernelName() + ", " + first.variant() + "): " + first.worst().describe();
    }
}
