import dev.multimax.device.Device;
import dev.multimax.device.Devices;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.graph.GraphProfile;
import dev.multimax.graph.ProfilerMode;
import dev.multimax.graph.TaskGraph;
import dev.multimax.graph.TaskProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Development harness (not part of the product): kernel times of one attention layer's ops at the
 * mnist-vit shapes (B 128, N 49, H 3, Dh 32) and the classifier's modulator (128 × 10), on one
 * device; every array resident on the device, medians over R profiled executions after 3 warm-ups.
 *   javac --add-modules jdk.incubator.vector -cp target/classes -d /tmp/akb bench/AttnKernelBench.java
 *   java --add-modules jdk.incubator.vector -cp target/classes:$(cat /tmp/cp.txt):/tmp/akb AttnKernelBench opencl:0:0 15
 */
public class AttnKernelBench {
    public static void main(String[] args) {
        String id = args[0];
        int reps = Integer.parseInt(args[1]);
        int b = 128, n = 49, h = 3, dh = 32, d = h * dh;
        int rows = b * h * n, scores = rows * n, heads = b * n * d, classes = b * 10;
        Random rng = new Random(1);
        FloatArray qkv = rnd("qkv", b * n * 3 * d, rng), s = rnd("S", scores, rng), p = rnd("P", scores, rng);
        FloatArray o = rnd("O", heads, rng), dO = rnd("dO", heads, rng), dP = rnd("dP", scores, rng);
        FloatArray dS = rnd("dS", scores, rng), dqkv = rnd("dqkv", b * n * 3 * d, rng);
        FloatArray prm = new FloatArray("params", new float[] {-0.4f, 0.8f, -1.0f, 1.5f, -0.6f, -0.25f, -0.1f, 0.05f});
        FloatArray dprm = new FloatArray("dparams", 8);
        FloatArray z = rnd("z", classes, rng), y = rnd("y", classes, rng), dz = rnd("dz", classes, rng);
        int[] shape = {b, n, h, dh};
        int[] rc = {rows, n};
        float[] scale = {(float) (1 / Math.sqrt(dh))};
        TaskGraph g = new TaskGraph("bench").transferToDevice(DataTransferMode.FIRST_EXECUTION,
                qkv, s, p, o, dO, dP, dS, dqkv, prm, dprm, z, y, dz);
        task(g, Op.ATTN_SCORES_FWD, shape, scale, s, qkv);
        task(g, Op.MULTIMAX_FWD, rc, new float[0], p, s, prm);
        task(g, Op.SOFTMAX_FWD, rc, new float[0], p, s);
        task(g, Op.ATTN_CONTEXT_FWD, shape, new float[0], o, p, qkv);
        task(g, Op.ATTN_CONTEXT_BWD, shape, new float[0], dP, dqkv, dO, p, qkv);
        task(g, Op.SOFTMAX_BWD, rc, new float[0], dS, dP, p);
        task(g, Op.MULTIMAX_BWD, rc, new float[0], dS, dprm, dP, p, s, prm);
        task(g, Op.ATTN_SCORES_BWD, shape, scale, dqkv, dS, qkv);
        task(g, Op.MODULATE_FWD, new int[] {classes}, new float[0], y, z, prm);
        task(g, Op.MODULATE_BWD, new int[] {classes}, new float[0], dz, dprm, y, z, prm);
        g.transferToHost(DataTransferMode.UNDER_DEMAND, dprm);
        Map<String, List<Long>> times = new LinkedHashMap<>();
        Map<String, String> variants = new LinkedHashMap<>();
        Devices.Choice choice = Devices.open(id);
        try (Device dev = choice.device(); ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(dev)
                .withProfiler(ProfilerMode.SILENT)) {
            for (int i = 0; i < 3; i++) plan.execute();
            for (int r = 0; r < reps; r++) {
                GraphProfile prof = plan.execute().profile().orElseThrow();
                for (TaskProfile t : prof.tasks()) {
                    times.computeIfAbsent(t.kernel(), k -> new ArrayList<>()).add(t.kernelNanos());
                    variants.put(t.kernel(), t.variant());
                }
            }
        }
        System.out.printf("%s, medians of %d%n", id, reps);
        times.forEach((k, v) -> {
            long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("  %-28s %8.3f ms   %s%n", k, a[a.length / 2] / 1e6, variants.get(k));
        });
    }

    private static void task(TaskGraph g, Op op, int[] ints, float[] floats, FloatArray... arrays) {
        List<Slice> slices = Arrays.stream(arrays).map(FloatArray::all).toList();
        g.task(op.kernelName(), new KernelCall(op, slices, ints, floats));
    }

    private static FloatArray rnd(String name, int len, Random rng) {
        FloatArray a = new FloatArray(name, len);
        for (int i = 0; i < len; i++) a.host()[i] = (float) (rng.nextDouble() * 2 - 1);
        return a;
    }
}
