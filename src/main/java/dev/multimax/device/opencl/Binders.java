package dev.multimax.device.opencl;

import dev.multimax.device.Op;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of op binders: one per family. To add a family, write {@code tasks/<family>.cl}
 * and a small {@link OpBinder} class, and add it to {@link #ALL}. An op no binder claims is
 * "not implemented on opencl:P:D yet" at compile time.
 */
public final class Binders {
    static final List<OpBinder> ALL = List.of(
            new ResidualBinder(),
            new MatmulBinder(),
            new LinearBinder(),
            new MlpBinder(),
            new PatchBinder(),
            new PoolBinder(),
            new LayerNormBinder(),
            new LossBinder(),
            new OptimizerBinder(),
            new CheckBinder(),
            new AttentionBinder(),
            new SoftmaxBinder(),
            new MultiMaxBinder(),
            new SparseBinder());

    private static final Map<Op, OpBinder> BY_OP = new EnumMap<>(Op.class);

    static {
        for (OpBinder b : ALL) {
            for (Op op : b.ops()) {
                OpBinder old = BY_OP.put(op, b);
                if (old != null) {
                    throw new IllegalStateException(op + " claimed by " + old.getClass().getSimpleName() + " and "
                            + b.getClass().getSimpleName());
                }
            }
        }
    }

    private Binders() {
    }

    /** The binder of {@code op}, or null. */
    public static OpBinder forOp(Op op) {
        return BY_OP.get(op);
    }

    /** Ops no binder implements yet, in catalog order. */
    static List<Op> missing() {
        return java.util.Arrays.stream(Op.values()).filter(op -> !BY_OP.containsKey(op)).toList();
    }
}
