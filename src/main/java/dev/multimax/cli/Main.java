package dev.multimax.cli;

import dev.multimax.device.KernelException;
import dev.multimax.util.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code multimax}: train and evaluate MultiMax Vision Transformers on any device. */
@Command(name = "multimax", mixinStandardHelpOptions = true, version = "multimax-vit 0.1.0",
        description = "Train Vision Transformers with MultiMax attention through a task-graph runtime.",
        subcommands = {TrainCommand.class, EvalCommand.class, DevicesCommand.class, BenchCommand.class,
            ProfileCommand.class, CompareCommand.class, SimplexCommand.class, StudyCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code of a device failure (kernel build or launch). */
    static final int DEVICE_FAILURE = 4;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces for every error.")
    static boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (debug) ex.printStackTrace();
            if (ex instanceof UserError u) {
                cmd.getErr().println("error: " + u.getMessage());
                return u.exitCode();
            }
            if (ex instanceof KernelException k) {
                cmd.getErr().println("device error: " + k.getMessage());
                return DEVICE_FAILURE;
            }
            cmd.getErr().println("internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
            return 1;
        });
        return cli.execute(args);
    }
}
