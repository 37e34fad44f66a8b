package dev.multimax.device.java;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads running {@code body(i)} for i in [0, n).
 *
 * <p>Kernels split their work by <em>output</em> (each output element is written by exactly one
 * item, in a fixed order), so results are bitwise the same whatever the thread count and
 * whichever thread picks which item. Nested calls from a worker run sequentially.
 */
public final class Parallel implements AutoCloseable {
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private final int threads;
    private final ExecutorService pool;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "java0-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs body(0..n-1), items handed out dynamically; returns when all are done. */
    public void forEach(int n, IntConsumer body) {
        if (n <= 0) return;
        if (pool == null || n == 1 || INSIDE.get()) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int helpers = Math.min(threads - 1, n - 1);
        CountDownLatch done = new CountDownLatch(helpers);
        Runnable worker = () -> {
            INSIDE.set(true);
            try {
                for (int i; (i = next.getAndIncrement()) < n && failure.get() == null; ) body.accept(i);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                INSIDE.set(false);
            }
        };
        for (int h = 0; h < helpers; h++) {
            pool.execute(() -> {
                try {
                    worker.run();
                } finally {
                    done.countDown();
                }
            });
        }
        worker.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kernel workers", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    /** Splits [0, total) into chunks of {@code chunk} and runs body(start, end) for each. */
    public void forChunks(int total, int chunk, RangeBody body) {
        int n = (total + chunk - 1) / chunk;
        forEach(n, c -> body.run(c * chunk, Math.min(total, (c + 1) * chunk)));
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
