package dev.multimax.graph;

/** When a declared transfer happens (TornadoVM's names and meaning). */
public enum DataTransferMode {
    /** Copied on the first execution of the graph in a plan, then resident. */
    FIRST_EXECUTION,
    /** Copied on every execution. */
    EVERY_EXECUTION,
    /** To host only: copied when {@link ExecutionResult#transferToHost} asks for it. */
    UNDER_DEMAND
}
