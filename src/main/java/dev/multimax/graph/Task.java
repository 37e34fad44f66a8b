package dev.multimax.graph;

import dev.multimax.device.KernelCall;

/** A named kernel call in a graph; {@code id} is the full name {@code graph.task}. */
public record Task(String id, KernelCall call) {
}
