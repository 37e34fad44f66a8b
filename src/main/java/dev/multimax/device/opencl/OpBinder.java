package dev.multimax.device.opencl;

import dev.multimax.device.KernelCall;
import dev.multimax.device.Op;
import java.util.Set;

/**
 * Turns the calls of one op family into launches of the kernels in {@code tasks/<family>.cl}.
 * One class per family; register it in {@link Binders#ALL}. A binder reads the call's ints and
 * floats, picks a variant for the device ({@link BindContext#isGpu()}, {@link BindContext#tuning()}),
 * and returns {@link BindContext#bound} with one or more {@link BindContext#launch launches}.
 * It runs once per task at compile time; nothing it does is repeated per execution.
 */
public interface OpBinder {
    /** The ops this binder handles (all of one family). */
    Set<Op> ops();

    Bound bind(BindContext ctx, KernelCall call);
}
