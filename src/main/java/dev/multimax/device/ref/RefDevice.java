package dev.multimax.device.ref;

import dev.multimax.device.CompiledKernel;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.DeviceInfo;
import dev.multimax.device.HeapDevice;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelException;
import dev.multimax.device.KernelTime;

/**
 * {@code ref:0}: the reference every device is checked against. Each op is a plain, single-threaded
 * loop written from the math, accumulating in float64; each launch reads its inputs from float
 * device memory, computes in float64 and rounds each output to float once. Slow by design (no
 * blocking, no vectors, no threads), so that it can be read top to bottom and trusted. Memory
 * works as on any device: a float or int array per {@link DeviceArray}, apart from the host copy.
 */
public final class RefDevice extends HeapDevice {
    public static final String ID = "ref:0";
    /** The one variant of every ref:0 kernel. */
    public static final String VARIANT = "ref-float64";


    public static DeviceInfo describe() {
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        return new DeviceInfo(ID, "REF", jvm, "Reference device: float64 scalar loops, one thread", "CPU", 1,
                Runtime.getRuntime().maxMemory(), 0, 0, "-", true, false, "float64 accumulation, checks every output is written");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public DeviceInfo info() {
        return describe();
    }

    @Override
    public CompiledKernel compile(String taskName, KernelCall call) {
        for (var s : call.buffers()) resident(s.array());
        java.lang.invoke.MethodHandle kernel;
        try {
            kernel = RefKernels.find(call.op());
        } catch (RuntimeException e) {
            throw new KernelException(ID, taskName, call.op(), e.getMessage(), e);
        }
        return new CompiledKernel() {
            @Override
            public String variant() {
                return VARIANT;
            }

            @Override
            public long compileNanos() {
                return 0;
            }

            @Override
            public KernelTime launch(boolean timed) {
                long t0 = System.nanoTime();
                try {
                    RefArgs args = new RefArgs(RefDevice.this, call);
                    RefKernels.run(kernel, args, call);
                    args.writeBack();
                } catch (RuntimeException e) {
                    throw new KernelException(ID, taskName, call.op(), e.getMessage(), e);
                }
                return timed ? KernelTime.of(System.nanoTime() - t0) : KernelTime.NONE;
            }
        };
    }

    @Override
    public void close() {
        super.close();
    }
}
