package dev.multimax.device.java;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelException;
import dev.multimax.device.KernelTime;
import java.util.IdentityHashMap;
import java.util.Map;
import jdk.incubator.vector.FloatVector;

/**
 * {@code java:0}: the reference device. Kernels are Java methods; hot loops use the Vector API and
 * all cores. Device memory is a separate Java array per {@link DeviceArray}, so host and device
 * copies differ until a transfer, exactly as on an accelerator.
 */
public final class JavaDevice implements Device {
    public static final String ID = "java:0";

    private final Parallel parallel;
    private final Map<DeviceArray, Object> memory = new IdentityHashMap<>();

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
            throw new dev.multimax.util.UserError("MULTIMAX_THREADS must be a positive integer, got '" + env + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static DeviceInfo describe(int threads) {
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        return new DeviceInfo(ID, "JAVA", jvm, "Java reference device (" + jvm + ")", "CPU", threads,
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
    public synchronized long allocate(DeviceArray array) {
        if (memory.containsKey(array)) return 0;
        memory.put(array, array instanceof FloatArray ? new float[array.length()] : new int[array.length()]);
        return array.byteSize();
    }

    @Override
    public synchronized boolean isAllocated(DeviceArray array) {
        return memory.containsKey(array);
    }

    @Override
    public void copyIn(DeviceArray array) {
        allocate(array);
        if (array instanceof FloatArray f) {
            System.arraycopy(f.host(), 0, floats(f), 0, f.length());
        } else {
            IntArray i = (IntArray) array;
            System.arraycopy(i.host(), 0, ints(i), 0, i.length());
        }
    }

    @Override
    public void copyOut(DeviceArray array) {
        if (array instanceof FloatArray f) {
            System.arraycopy(floats(f), 0, f.host(), 0, f.length());
        } else {
            IntArray i = (IntArray) array;
            System.arraycopy(ints(i), 0, i.host(), 0, i.length());
        }
    }

    @Override
    public synchronized void free(DeviceArray array) {
        memory.remove(array);
    }

    /** The device copy of a float array (for kernels and tests). */
    public synchronized float[] floats(FloatArray array) {
        return (float[]) resident(array);
    }

    public synchronized int[] ints(IntArray array) {
        return (int[]) resident(array);
    }

    private Object resident(DeviceArray array) {
        Object data = memory.get(array);
        if (data == null) throw new IllegalStateException(array + " is not allocated on " + ID);
        return data;
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
    public synchronized void close() {
        memory.clear();
        parallel.close();
    }
}
