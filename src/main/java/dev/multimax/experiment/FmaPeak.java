package dev.multimax.experiment;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused multiply-add peak of this machine's cores, measured: every thread runs 12 independent
 * chains of vector FMAs on the widest float vectors the JVM offers (more chains than FMA latency ×
 * pipes on current x86 and Arm cores, so the FMA units, not the dependencies, are the limit), with
 * no memory traffic. GFLOP/s = 2 · lanes · FMAs / wall time; the best of the repeats after short
 * calls that get the loop compiled and one unmeasured run. It is the ceiling matmul's GFLOP/s are held against.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    /** Where each thread's result goes, so that the JIT cannot drop the chains. */
    private static volatile float sink;

    private FmaPeak() {
    }

    /** The peak in GFLOP/s with {@code threads} threads, best of {@code repeats}. */
    public static double measure(int threads, int repeats) throws InterruptedException {
        long iterations = 20_000_000L;
        // short calls first, so that C2 compiles the loop (the Vector API is slow before it does)
        for (int i = 0; i < 40; i++) chains(20_000);
        double best = 0;
        for (int r = 0; r < repeats + 1; r++) {
            List<Thread> running = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> sink = chains(iterations));
                t.start();
                running.add(t);
            }
            for (Thread t : running) t.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (r >= 1) best = Math.max(best, 2.0 * S.length() * CHAINS * iterations * threads / seconds / 1e9);
        }
        return best;
    }

    /** Vector lanes of one FMA. */
    public static int lanes() {
        return S.length();
    }

    private static float chains(long iterations) {
        FloatVector a0 = FloatVector.broadcast(S, 1f);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector c = FloatVector.broadcast(S, 1e-7f);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
