package dev.multimax.device.opencl;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.Device;
import dev.multimax.device.FloatArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import dev.multimax.device.java.JavaDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * GFLOP/s of the MATMUL op on OpenCL devices and java:0, side by side, on 1024³ and the matmuls of
 * an mnist-vit training step (batch 128 × 49 tokens = 6272 rows, D 96, 3D 288, MLP 384). Not a unit
 * test. Run after {@code mvn -o test-compile}:
 * <pre>java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     dev.multimax.device.opencl.OpenClMatmulBenchmark [repeats] [device...]</pre>
 * (cp.txt from {@code mvn -o dependency:build-classpath -Dmdep.outputFile=cp.txt}). Devices: ids
 * ({@code java:0}, {@code opencl:0:0}), optionally with {@code @cpu}/{@code @gpu} to force a tuning table
 * ({@code opencl:0:0@gpu}). Each device's time is the kernel time the device reports
 * ({@code KernelTime.startToEndNanos}: OpenCL START→END of every launch of the op, including the
 * B-panel packing; java:0 wall time), after a warm-up of ≥ 0.3 s; prints the median and best of
 * {@code repeats}, each repeat the mean of enough launches to last ≥ 50 ms.
 */
public final class OpenClMatmulBenchmark {
    private OpenClMatmulBenchmark() {
    }

    private record Shape(String name, int m, int n, int k, boolean transA, boolean transB) {
    }

    private static final Shape[] SHAPES = {
        new Shape("square 1024^3", 1024, 1024, 1024, false, false),
        new Shape("fwd qkv X.W^T", 6272, 288, 96, false, true),
        new Shape("fwd proj X.W^T", 6272, 96, 96, false, true),
        new Shape("fwd fc1 X.W^T", 6272, 384, 96, false, true),
        new Shape("fwd fc2 X.W^T", 6272, 96, 384, false, true),
        new Shape("bwd qkv dX=dY.W", 6272, 96, 288, false, false),
        new Shape("bwd fc1 dX=dY.W", 6272, 96, 384, false, false),
        new Shape("bwd fc2 dX=dY.W", 6272, 384, 96, false, false),
        new Shape("bwd qkv dW=dY^T.X", 288, 96, 6272, true, false),
        new Shape("bwd proj dW=dY^T.X", 96, 96, 6272, true, false),
        new Shape("bwd fc1 dW=dY^T.X", 384, 96, 6272, true, false),
        new Shape("bwd fc2 dW=dY^T.X", 96, 384, 6272, true, false),
    };

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        List<String> ids = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("java:0", "opencl:0:0");
        String only = System.getProperty("shapes");  // optional substring filter
        List<Device> devices = new ArrayList<>();
        for (String id : ids) {
            if (id.equals(JavaDevice.ID)) {
                devices.add(new JavaDevice(Runtime.getRuntime().availableProcessors()));
            } else {
                String[] p = id.split("@");
                devices.add(OpenClDevice.open(p[0], p.length > 1 ? Tuning.named(p[1]) : null));
            }
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-20s %-15s", "shape", "M,N,K"));
        for (String id : ids) header.append(String.format(Locale.ROOT, " | %13s", id + " med/best"));
        System.out.println(header + "   (GFLOP/s)");
        SplittableRandom rnd = new SplittableRandom(42);
        for (Shape s : SHAPES) {
            if (only != null && !s.name.contains(only)) continue;
            FloatArray a = fill("A", rnd, s.m * s.k), b = fill("B", rnd, s.k * s.n), c = new FloatArray("C", s.m * s.n);
            double flops = 2.0 * s.m * s.n * s.k;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s %-15s", s.name, s.m + "," + s.n + "," + s.k));
            List<String> variants = new ArrayList<>();
            for (Device dev : devices) {
                for (FloatArray x : List.of(a, b, c)) dev.copyIn(x);
                CompiledKernel k = dev.compile("matmul", new KernelCall(Op.MATMUL, List.of(c.all(), a.all(), b.all()),
                        new int[] {s.m, s.n, s.k, s.transA ? 1 : 0, s.transB ? 1 : 0, 0}, new float[0]));
                variants.add(dev.id() + ": " + k.variant());
                long t0 = System.nanoTime();
                long device = 0;
                int calls = 0;
                while (System.nanoTime() - t0 < 300_000_000L || calls < 3) {
                    device += k.launch(true).startToEndNanos();
                    calls++;
                }
                int inner = Math.max(1, (int) Math.ceil(50e6 / (device / (double) calls)));
                double[] gf = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long ns = 0;
                    for (int i = 0; i < inner; i++) ns += k.launch(true).startToEndNanos();
                    gf[r] = flops * inner / ns;
                }
                Arrays.sort(gf);
                line.append(String.format(Locale.ROOT, " | %6.1f %6.1f", gf[repeats / 2], gf[repeats - 1]));
                k.release();
                for (FloatArray x : List.of(a, b, c)) dev.free(x);
            }
            System.out.println(line + "   " + String.join("; ", variants));
        }
        devices.forEach(Device::close);
    }

    private static FloatArray fill(String name, SplittableRandom rnd, int len) {
        FloatArray x = new FloatArray(name, len);
        for (int i = 0; i < len; i++) x.host()[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }
}
