package dev.multimax.device;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * How the JVM devices find an op's kernel: by the same convention the OpenCL kernels follow, a
 * static method named after the op's kernel in camel case ({@code attn_scores_fwd} →
 * {@code attnScoresFwd}) in one of the device's kernel classes, whose parameters are the op's
 * signature in order: each buffer, then each int argument ({@code int}, or {@code boolean} for a
 * flag), then each float argument. A device adds its own leading parameters (java:0 the thread
 * pool) and its own form of a buffer (java:0 an array and an offset, ref:0 a float64 copy). So an op
 * is bound by its catalog entry alone, and a kernel whose parameters do not match is an error at
 * bind time naming what was expected.
 */
public final class KernelMethods {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private KernelMethods() {
    }

    /** {@code attn_scores_fwd} → {@code attnScoresFwd}. */
    public static String methodName(Op op) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char ch : op.kernelName().toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return b.toString();
    }

    /**
     * The one static method named for {@code op} among {@code classes}, as a handle, its parameter
     * types checked against {@code expected} (what the device passes, in order); {@code expected}
     * entries of {@code int.class} for an int argument also accept {@code boolean}.
     */
    public static MethodHandle find(Op op, List<Class<?>> classes, List<Class<?>> expected, String device) {
        String name = methodName(op);
        List<Method> found = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())) found.add(m);
            }
        }
        String want = "static void " + name + "(" + String.join(", ", expected.stream().map(Class::getSimpleName).toList())
                + ") in one of " + classes.stream().map(Class::getSimpleName).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException(device + " has " + (found.isEmpty() ? "no" : found.size()) + " kernel methods for "
                    + op.kernelName() + "; expected one: " + want);
        }
        Method m = found.get(0);
        Class<?>[] types = m.getParameterTypes();
        boolean ok = types.length == expected.size() && m.getReturnType() == void.class;
        for (int i = 0; ok && i < types.length; i++) {
            Class<?> e = expected.get(i);
            ok = types[i] == e || e == int.class && types[i] == boolean.class;
        }
        if (!ok) {
            throw new IllegalArgumentException(device + "'s " + m.getDeclaringClass().getSimpleName() + "." + name
                    + " does not match the signature of " + op.kernelName() + " (buffers " + op.bufferNames() + ", ints "
                    + op.intNames() + ", floats " + op.floatNames() + "); expected " + want);
        }
        m.setAccessible(true);
        try {
            return LOOKUP.unreflect(m);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value passed for int argument {@code v} to a parameter of {@code type} (a flag: v ≠ 0). */
    public static Object intArgument(MethodHandle h, int position, int v) {
        return h.type().parameterType(position) == boolean.class ? (Object) (v != 0) : (Object) v;
    }

    /** Rethrows what a kernel threw: runtime exceptions and errors as they are, anything else wrapped. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
