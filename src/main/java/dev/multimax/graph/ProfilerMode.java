package dev.multimax.graph;

/** TornadoVM's profiler switch: record per-task times; CONSOLE also prints the JSON after each execution. */
public enum ProfilerMode {
    OFF, SILENT, CONSOLE
}
