package dev.multimax.cli;

import dev.multimax.graph.TaskCheck;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** How {@code profile --check} and {@code train --check-step} print a step checked task by task against ref:0. */
final class TaskCheckReport {
    /** Failing tasks listed at most. */
    private static final int SHOWN = 10;

    private TaskCheckReport() {
    }

    static void print(String what, List<TaskCheck> checks) {
        List<TaskCheck> failed = checks.stream().filter(c -> !c.ok()).toList();
        if (failed.isEmpty()) {
            TaskCheck worst = checks.stream().max(Comparator.comparingDouble(c -> c.worst() == null ? 0 : c.worst().relL2()))
                    .orElse(null);
            System.out.printf(Locale.ROOT, "check: %s: all %d tasks within their tolerances against ref:0%s%n", what,
                    checks.size(), worst == null ? "" : String.format(Locale.ROOT, " (largest rel L2 %.2e: %s %s)",
                            worst.worst().relL2(), worst.taskId(), worst.worst().buffer()));
            return;
        }
        System.out.printf("check: %s: %d of %d tasks outside their tolerances against ref:0; first: %s%n", what,
                failed.size(), checks.size(), failed.get(0).taskId());
        for (TaskCheck c : failed.subList(0, Math.min(SHOWN, failed.size()))) {
            System.out.printf("  %-40s %-18s %-28s %s%n", c.taskId(), c.op().kernelName(), c.variant(), c.worst().describe());
        }
        if (failed.size() > SHOWN) System.out.printf("  ... and %d more%n", failed.size() - SHOWN);
    }
}
