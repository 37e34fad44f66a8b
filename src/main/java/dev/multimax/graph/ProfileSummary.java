package dev.multimax.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Medians over several profiled executions of one graph: whole graph and per op family. */
public final class ProfileSummary {
    private final List<GraphProfile> runs = new ArrayList<>();

    public void add(GraphProfile p) {
        runs.add(p);
    }

    /** Median wall time of the whole graph, ms. */
    public double graphMs() {
        return median(runs.stream().mapToDouble(p -> p.graphNanos() / 1e6).toArray());
    }

    /** Median summed kernel time, ms. */
    public double kernelMs() {
        return median(runs.stream().mapToDouble(p -> p.kernelNanos() / 1e6).toArray());
    }

    /** Per op family: median over runs of the family's summed kernel time, ms, largest first. */
    public Map<String, Double> familyMs() {
        Map<String, double[]> per = new TreeMap<>();
        for (int r = 0; r < runs.size(); r++) {
            for (TaskProfile t : runs.get(r).tasks()) {
                per.computeIfAbsent(t.family(), k -> new double[runs.size()])[r] += t.kernelNanos() / 1e6;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        per.entrySet().stream().sorted((a, b) -> Double.compare(median(b.getValue()), median(a.getValue())))
                .forEach(e -> out.put(e.getKey(), median(e.getValue())));
        return out;
    }

    public static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
