package dev.multimax.device.ref;

import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelMethods;
import dev.multimax.device.Op;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds an op to its ref:0 kernel by the op's signature ({@link KernelMethods}): the method named
 * for the op in one of {@link #CLASSES}, taking per buffer its float64 copy ({@code double[]}, or the
 * {@code int[]} of an int buffer; a scalar passed in a buffer is its element 0), then the int
 * arguments ({@code int} or {@code boolean}) and the float arguments ({@code double}).
 */
final class RefKernels {
    /** Where ref:0's kernels live, one class per group of families. */
    static final List<Class<?>> CLASSES = List.of(RefLinear.class, RefNorm.class, RefRows.class, RefMultiMax.class,
            RefAttention.class, RefPatch.class, RefLoss.class, RefOptimizer.class);

    private RefKernels() {
    }

    /** The kernel of {@code op}; an op without one, or with a kernel of other parameters, is an error naming both. */
    static MethodHandle find(Op op) {
        List<Class<?>> types = new ArrayList<>();
        for (Op.Buffer b : op.buffers()) types.add(b.isInt() ? int[].class : double[].class);
        for (int i = 0; i < op.intNames().size(); i++) types.add(int.class);
        for (int i = 0; i < op.floatNames().size(); i++) types.add(double.class);
        return KernelMethods.find(op, CLASSES, types, RefDevice.ID);
    }

    /** Runs {@code kernel} on one launch's arguments. */
    static void run(MethodHandle kernel, RefArgs a, KernelCall call) {
        List<Object> args = new ArrayList<>(a.buffers());
        for (int i = 0; i < call.ints().length; i++) args.add(KernelMethods.intArgument(kernel, args.size(), call.i(i)));
        for (float f : call.floats()) args.add((double) f);
        try {
            kernel.invokeWithArguments(args);
        } catch (Throwable t) {
            throw KernelMethods.rethrow(t);
        }
    }
}
