package dev.multimax.graph;

import dev.multimax.device.OpCost;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Medians over several profiled executions of one graph: whole graph, per op family and per
 * kernel. A family's or kernel's time is the sum of its tasks' kernel times in one execution; the
 * summary reports the median of those sums over executions (so a family's median need not equal
 * the sum of its kernels' medians).
 */
public final class ProfileSummary {
    private final List<GraphProfile> runs = new ArrayList<>();

    /**
     * One line of a summary: a kernel of a family, or the whole family when {@code kernel} is null;
     * how many tasks run it per execution, the median ms per execution and the work per execution.
     */
    public record Row(String family, String kernel, int tasks, double ms, OpCost cost) {
        /** Arithmetic rate, from {@link OpCost#flops()}; 0 for memory-bound work. */
        public double gflops() {
            return cost.flops() / (ms * 1e6);
        }

        /** Traffic rate, from {@link OpCost#bytes()} (the least traffic the ops need). */
        public double gbps() {
            return cost.bytes() / (ms * 1e6);
        }
    }

    public void add(GraphProfile p) {
        runs.add(p);
    }

    public int runs() {
        return runs.size();
    }

    /** Median wall time of the whole graph, ms. */
    public double graphMs() {
        return medianOf(p -> p.graphNanos() / 1e6);
    }

    /** Median summed kernel time, ms. */
    public double kernelMs() {
        return medianOf(p -> p.kernelNanos() / 1e6);
    }

    /** Median time of the host↔device copies (in and out), ms. */
    public double copyMs() {
        return medianOf(p -> (p.copyInNanos() + p.copyOutNanos()) / 1e6);
    }

    /** Median host time outside kernels, copies and compilation (launch overhead), ms. */
    public double dispatchMs() {
        return medianOf(p -> p.dispatchNanos() / 1e6);
    }

    /** Median over runs of the summed kernel time of the tasks {@code which} accepts, ms. */
    public double tasksMs(java.util.function.Predicate<TaskProfile> which) {
        return medianOf(p -> p.tasks().stream().filter(which).mapToLong(TaskProfile::kernelNanos).sum() / 1e6);
    }

    /** Per op family: median summed kernel time, ms, largest first. */
    public Map<String, Double> familyMs() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Row r : families()) out.put(r.family(), r.ms());
        return out;
    }

    /** One row per op family, largest median first. */
    public List<Row> families() {
        return group(false);
    }

    /** One row per kernel, grouped by family in {@link #families()} order, largest median first within a family. */
    public List<Row> kernels() {
        List<String> order = families().stream().map(Row::family).toList();
        List<Row> rows = new ArrayList<>(group(true));
        rows.sort(Comparator.comparingInt((Row r) -> order.indexOf(r.family())).thenComparing(Row::ms, Comparator.reverseOrder()));
        return rows;
    }

    private List<Row> group(boolean byKernel) {
        Map<String, double[]> ms = new LinkedHashMap<>();
        Map<String, Row> first = new LinkedHashMap<>(); // names, task count and cost, from the first execution
        for (int r = 0; r < runs.size(); r++) {
            for (TaskProfile t : runs.get(r).tasks()) {
                String key = byKernel ? t.family() + "/" + t.kernel() : t.family();
                ms.computeIfAbsent(key, k -> new double[runs.size()])[r] += t.kernelNanos() / 1e6;
                if (r == 0) {
                    first.merge(key, new Row(t.family(), byKernel ? t.kernel() : null, 1, 0, t.cost()),
                            (a, b) -> new Row(a.family(), a.kernel(), a.tasks() + 1, 0, a.cost().plus(b.cost())));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Row> e : first.entrySet()) {
            Row f = e.getValue();
            rows.add(new Row(f.family(), f.kernel(), f.tasks(), median(ms.get(e.getKey())), f.cost()));
        }
        rows.sort(Comparator.comparing(Row::ms, Comparator.reverseOrder()));
        return rows;
    }

    private double medianOf(ToDoubleFunction<GraphProfile> f) {
        return median(runs.stream().mapToDouble(f).toArray());
    }

    public static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
