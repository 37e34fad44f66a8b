package dev.multimax.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code multimax bench}: matmul GFLOP/s and training-step throughput. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark matmul and the training step.")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
