package dev.multimax.device.java;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput of {@link Matmul#matmul} on the shapes of a ViT training step (batch 128, 49 tokens) and 1024^3.
 * Not a unit test. Run after {@code mvn -o test-compile}:
 * <pre>java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     dev.multimax.device.java.MatmulBenchmark [repeats] [threads...]</pre>
 * Prints GFLOP/s = 2*m*n*k / time: the median and the best of the repeats (each repeat times enough calls to
 * last >= 50 ms) after a warm-up. The best is the least disturbed by other processes sharing the cores.
 */
public final class MatmulBenchmark {
    private MatmulBenchmark() {
    }

    private record Shape(String name, int m, int n, int k, boolean transA, boolean transB) {
    }

    private static final Shape[] SHAPES = {
        new Shape("square 1024^3", 1024, 1024, 1024, false, false),
        new Shape("fwd Y=X.W^T qkv", 6272, 288, 96, false, true),
        new Shape("fwd Y=X.W^T proj", 6272, 96, 96, false, true),
        new Shape("fwd Y=X.W^T fc1", 6272, 384, 96, false, true),
        new Shape("fwd Y=X.W^T fc2", 6272, 96, 384, false, true),
        new Shape("bwd dX=dY.W qkv", 6272, 96, 288, false, false),
        new Shape("bwd dX=dY.W proj", 6272, 96, 96, false, false),
        new Shape("bwd dX=dY.W fc1", 6272, 96, 384, false, false),
        new Shape("bwd dX=dY.W fc2", 6272, 384, 96, false, false),
        new Shape("bwd dW=dY^T.X qkv", 288, 96, 6272, true, false),
        new Shape("bwd dW=dY^T.X proj", 96, 96, 6272, true, false),
        new Shape("bwd dW=dY^T.X fc1", 384, 96, 6272, true, false),
        new Shape("bwd dW=dY^T.X fc2", 96, 384, 6272, true, false),
    };

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int[] threadCounts = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2};
        String only = System.getProperty("shapes");  // optional substring filter
        System.out.printf(Locale.ROOT, "species=%s MR=%d NR=%d KC_MAX=%d MC_TILES=%d repeats=%d%n",
                Matmul.V, Matmul.MR, Matmul.NR, Matmul.KC_MAX, Matmul.MC_TILES, repeats);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s %-16s", "shape", "m,n,k"));
        for (int t : threadCounts) header.append(String.format(Locale.ROOT, " %9s %9s", t + "T med", t + "T best"));
        System.out.println(header);
        Parallel[] pars = Arrays.stream(threadCounts).mapToObj(Parallel::new).toArray(Parallel[]::new);
        SplittableRandom rnd = new SplittableRandom(42);
        for (Shape s : SHAPES) {
            if (only != null && !s.name.contains(only)) continue;
            float[] a = fill(rnd, s.m * s.k), b = fill(rnd, s.k * s.n), c = new float[s.m * s.n];
            double flops = 2.0 * s.m * s.n * s.k;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s %-16s", s.name,
                    s.m + "," + s.n + "," + s.k));
            for (Parallel par : pars) {
                Runnable call = () -> Matmul.matmul(par, c, 0, a, 0, b, 0, s.m, s.n, s.k, s.transA, s.transB, false);
                long t0 = System.nanoTime();
                int calls = 0;
                while (System.nanoTime() - t0 < 300_000_000L || calls < 5) {  // warm-up
                    call.run();
                    calls++;
                }
                double perCall = (System.nanoTime() - t0) / (double) calls;
                int inner = Math.max(1, (int) Math.ceil(50e6 / perCall));
                double[] gf = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long st = System.nanoTime();
                    for (int i = 0; i < inner; i++) call.run();
                    gf[r] = flops * inner / (System.nanoTime() - st);
                }
                Arrays.sort(gf);
                line.append(String.format(Locale.ROOT, " %9.1f %9.1f", gf[repeats / 2], gf[repeats - 1]));
            }
            System.out.println(line);
        }
        for (Parallel p : pars) p.close();
    }

    private static float[] fill(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }
}
