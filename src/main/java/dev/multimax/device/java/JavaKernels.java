package dev.multimax.device.java;

import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.KernelCall;
import dev.multimax.device.KernelMethods;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/**
 * Binds a {@link KernelCall} to its java:0 kernel by the op's signature ({@link KernelMethods}):
 * the method named for the op in one of {@link #CLASSES}, taking the thread pool ({@link Parallel})
 * first, then per buffer the device array ({@code float[]} or {@code int[]}) and the slice's
 * offset, then the int and float arguments, as the OpenCL kernels take theirs. Buffers are resolved
 * to device arrays once, at bind time.
 */
final class JavaKernels {
    /** Where java:0's kernels live. */
    static final List<Class<?>> CLASSES = List.of(Matmul.class, LinearKernels.class, LayerNormKernels.class,
            MlpKernels.class, MultiMaxKernels.class, AttentionKernels.class, PatchKernels.class, LossKernels.class,
            CheckKernels.class, AdamWKernel.class, SparseKernels.class, FusedAttentionKernels.class);

    private JavaKernels() {
    }

    static String variant(Op op) {
        return op == Op.MATMUL ? "java-vector-" + FloatVector.SPECIES_PREFERRED.vectorBitSize() : "java";
    }

    static Runnable bind(JavaDevice dev, KernelCall c) {
        Op op = c.op();
        List<Class<?>> types = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        types.add(Parallel.class);
        args.add(dev.parallel());
        for (int k = 0; k < op.buffers().size(); k++) {
            Slice s = c.buffer(k);
            boolean isInt = op.buffers().get(k).isInt();
            types.add(isInt ? int[].class : float[].class);
            args.add(isInt ? dev.ints((IntArray) s.array()) : dev.floats((FloatArray) s.array()));
            types.add(int.class);
            args.add(s.offset());
        }
        for (int i = 0; i < c.ints().length; i++) types.add(int.class);
        for (int i = 0; i < c.floats().length; i++) types.add(float.class);
        MethodHandle h = find(op, types);
        boolean pool = h.type().parameterCount() == types.size();
        if (!pool) args.remove(0);
        int firstInt = args.size();
        for (int i = 0; i < c.ints().length; i++) args.add(KernelMethods.intArgument(h, firstInt + i, c.i(i)));
        for (float f : c.floats()) args.add(f);
        MethodHandle bound = MethodHandles.insertArguments(h, 0, args.toArray());
        return () -> {
            try {
                bound.invokeExact();
            } catch (Throwable t) {
                throw KernelMethods.rethrow(t);
            }
        };
    }

    /** The kernel of {@code op}, with the thread pool as first parameter or without (sequential kernels). */
    private static MethodHandle find(Op op, List<Class<?>> types) {
        try {
            return KernelMethods.find(op, CLASSES, types, "java:0");
        } catch (IllegalArgumentException withPool) {
            try {
                return KernelMethods.find(op, CLASSES, types.subList(1, types.size()), "java:0");
            } catch (IllegalArgumentException ignored) {
                throw withPool;
            }
        }
    }
}
