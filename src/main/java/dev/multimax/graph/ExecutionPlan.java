package dev.multimax.graph;

import dev.multimax.device.OpCost;
import dev.multimax.device.CompiledKernel;
import dev.multimax.device.Device;
import dev.multimax.device.DeviceArray;
import dev.multimax.device.KernelTime;
import dev.multimax.device.java.JavaDevice;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs immutable task graphs on one device (TornadoVM's TornadoExecutionPlan). Kernels are
 * JIT-compiled on a graph's first execution (or at {@link #withPreCompilation()}); buffers are
 * allocated then and stay on the device until the plan closes, shared by identity between the
 * plan's graphs. Not thread-safe: one execution at a time.
 */
public final class ExecutionPlan implements AutoCloseable {
    private final List<ImmutableTaskGraph> graphs;
    private final Map<ImmutableTaskGraph, GraphState> states = new IdentityHashMap<>();
    private final Set<DeviceArray> allocated = new LinkedHashSet<>();
    private Device device;
    private boolean ownsDevice;
    private ProfilerMode profiler = ProfilerMode.OFF;
    private int warmUp;
    private int selected;
    private TaskChecker checker;

    public ExecutionPlan(ImmutableTaskGraph... graphs) {
        if (graphs.length == 0) throw new IllegalArgumentException("an execution plan needs at least one graph");
        this.graphs = List.of(graphs);
    }

    /** Runs on {@code device} (default: {@code java:0}). The caller keeps ownership of the device. */
    public ExecutionPlan withDevice(Device device) {
        if (!states.isEmpty()) throw new IllegalStateException("withDevice must come before the first execution");
        this.device = device;
        this.ownsDevice = false;
        return this;
    }

    public ExecutionPlan withProfiler(ProfilerMode mode) {
        this.profiler = mode;
        return this;
    }

    /**
     * Checks every later execution task by task against {@code reference} (normally {@code ref:0}):
     * each task also runs there, from the inputs the device holds just before it, and its outputs are
     * compared within the op's tolerance ({@link ExecutionResult#checks()}). Slow (the reference is
     * a plain loop), so for one step, not for training. {@code null} turns checking off again. The
     * caller keeps ownership of the reference device.
     */
    public ExecutionPlan withCheck(Device reference) {
        if (checker != null) checker.release();
        checker = reference == null ? null : new TaskChecker(reference);
        return this;
    }

    /** Executes each graph {@code n} extra times, unprofiled, before its first real execution. */
    public ExecutionPlan withWarmUp(int n) {
        if (n < 0) throw new IllegalArgumentException("warm-up iterations must be >= 0");
        this.warmUp = n;
        return this;
    }

    /** Selects which graph {@link #execute()} runs (index in constructor order). */
    public ExecutionPlan withGraph(int index) {
        if (index < 0 || index >= graphs.size()) {
            throw new IllegalArgumentException("graph index " + index + " outside [0, " + graphs.size() + ")");
        }
        this.selected = index;
        return this;
    }

    /** Allocates and compiles every graph now, moving no data. */
    public ExecutionPlan withPreCompilation() {
        for (ImmutableTaskGraph g : graphs) state(g);
        return this;
    }

    public Device device() {
        if (device == null) {
            device = new JavaDevice(JavaDevice.defaultThreads());
            ownsDevice = true;
        }
        return device;
    }

    public ExecutionResult execute() {
        ImmutableTaskGraph graph = graphs.get(selected);
        boolean first = !states.containsKey(graph);
        GraphState st = state(graph);
        if (first) {
            for (int i = 0; i < warmUp; i++) run(graph, st, false, false);
        }
        GraphProfile profile = run(graph, st, profiler != ProfilerMode.OFF, checker != null);
        if (profiler == ProfilerMode.CONSOLE) System.out.println(profile.toJsonString());
        return new ExecutionResult(device(), profile, checker == null ? null : checker.drain());
    }

    private GraphState state(ImmutableTaskGraph graph) {
        GraphState st = states.get(graph);
        if (st != null) return st;
        Device dev = device();
        long allocBytes = 0;
        for (DeviceArray a : graph.arrays()) {
            allocBytes += dev.allocate(a);
            allocated.add(a);
        }
        List<CompiledKernel> kernels = new ArrayList<>();
        long compile = 0;
        for (Task t : graph.tasks()) {
            CompiledKernel k = dev.compile(t.id(), t.call());
            compile += k.compileNanos();
            kernels.add(k);
        }
        st = new GraphState(kernels, allocBytes, compile);
        states.put(graph, st);
        return st;
    }

    private GraphProfile run(ImmutableTaskGraph graph, GraphState st, boolean timed, boolean check) {
        Device dev = device();
        long start = System.nanoTime();
        long inBytes = 0;
        for (Map.Entry<DeviceArray, DataTransferMode> e : graph.transfersToDevice().entrySet()) {
            if (e.getValue() == DataTransferMode.EVERY_EXECUTION || st.executions == 0) {
                dev.copyIn(e.getKey());
                inBytes += e.getKey().byteSize();
            }
        }
        long copyIn = System.nanoTime() - start;
        List<TaskProfile> tasks = timed ? new ArrayList<>(st.kernels.size()) : null;
        List<Task> defs = graph.tasks();
        for (int i = 0; i < st.kernels.size(); i++) {
            CompiledKernel k = st.kernels.get(i);
            if (check) checker.before(dev, defs.get(i));
            KernelTime time = k.launch(timed);
            if (check) checker.after(dev, defs.get(i), k.variant());
            if (timed) {
                Task t = defs.get(i);
                tasks.add(new TaskProfile(t.id(), t.call().op().kernelName(), t.call().op().family(), k.variant(),
                        time.startToEndNanos(), time.queuedToEndNanos(), st.executions == 0 ? k.compileNanos() : 0,
                        OpCost.of(t.call())));
            }
        }
        long outStart = System.nanoTime();
        long outBytes = 0;
        for (Map.Entry<DeviceArray, DataTransferMode> e : graph.transfersToHost().entrySet()) {
            boolean now = switch (e.getValue()) {
                case EVERY_EXECUTION -> true;
                case FIRST_EXECUTION -> st.executions == 0;
                case UNDER_DEMAND -> false;
            };
            if (now) {
                dev.copyOut(e.getKey());
                outBytes += e.getKey().byteSize();
            }
        }
        long end = System.nanoTime();
        boolean firstRun = st.executions == 0;
        st.executions++;
        if (!timed) return null;
        return new GraphProfile(graph.name(), dev.info(), end - start, copyIn, end - outStart, inBytes, outBytes,
                firstRun ? st.allocationBytes : 0, firstRun ? st.compileNanos : 0, tasks);
    }

    /** Releases the compiled kernels, frees every buffer this plan allocated (and the device, if the plan opened it). */
    @Override
    public void close() {
        if (checker != null) checker.release();
        for (GraphState st : states.values()) {
            for (CompiledKernel k : st.kernels) k.release();
        }
        if (device != null) {
            for (DeviceArray a : allocated) device.free(a);
            if (ownsDevice) device.close();
        }
        allocated.clear();
        states.clear();
    }

    private static final class GraphState {
        final List<CompiledKernel> kernels;
        final long allocationBytes;
        final long compileNanos;
        int executions;

        GraphState(List<CompiledKernel> kernels, long allocationBytes, long compileNanos) {
            this.kernels = kernels;
            this.allocationBytes = allocationBytes;
            this.compileNanos = compileNanos;
        }
    }
}
