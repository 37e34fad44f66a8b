package dev.multimax.device.java;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.HeapDevice;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelException;
import dev.multimax.device.KernelTime;
import dev.multimax.util.BadInput;
import jdk.incubator.vector.FloatVector;

/**
 * {@code java:0}: the fast Java device. Kernels are Java methods; hot loops use the Vector API and
 * all cores. Device memory is a separate Java array per {@link DeviceArray}, so host and device
 * copies differ until a transfer, exactly as on an accelerator.
 */
public final class JavaDevice extends HeapDevice {
    public static final String ID = "java:0";

    private final Parallel parallel;

    public JavaDevice(int threads) {
        this.parallel = new Parallel(threads);
    }

    /** Threads for the Java device: {@code MULTIMAX_THREADS} if set, else every core. */
    public static int defaultThreads() {
        String env = System.getenv("MULTIMAX_THREADS");
        if (env != null && !env.isBlank()) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the message below
            }
            throw new dev.multimax.util.BadInput("MULTIMAX_THREADS must be a positive integer, got '" + env + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static DeviceInfo describe(int threads) {
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        return new DeviceInfo(ID, "JAVA", jvm, "Java device, Vector API (" + jvm + ")", "CPU", threads,
                Runtime.getRuntime().maxMemory(), 0, 0, "-", true, false,
                "Vector API " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit, " + threads + " threads");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public DeviceInfo info() {
        return describe(parallel.threads());
    }

    public Parallel parallel() {
        return parallel;
    }

    @Override
    public CompiledKernel compile(String taskName, KernelCall call) {
        Runnable body;
        try {
            body = JavaKernels.bind(this, call);
        } catch (RuntimeException e) {
            throw new KernelException(ID, taskName, call.op(), e.getMessage(), e);
        }
        String variant = JavaKernels.variant(call.op());
        return new CompiledKernel() {
            @Override
            public String variant() {
                return variant;
            }

            @Override
            public long compileNanos() {
                return 0;
            }

            @Override
            public KernelTime launch(boolean timed) {
                if (!timed) {
                    body.run();
                    return KernelTime.NONE;
                }
                long t0 = System.nanoTime();
                body.run();
                return KernelTime.of(System.nanoTime() - t0);
            }
        };
    }

    @Override
    public void close() {
        super.close();
        parallel.close();
    }
}
