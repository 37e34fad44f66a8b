package dev.multimax.cli;

import dev.multimax.device.KernelException;
import dev.multimax.train.CheckFailedException;
import dev.multimax.train.DivergedException;
import dev.multimax.util.BadInput;
import org.jocl.CL;
import org.jocl.CLException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code multimax}: train and evaluate MultiMax Vision Transformers on any device. */
@Command(name = "multimax", mixinStandardHelpOptions = true, version = "multimax-vit 0.1.0",
        description = "Train Vision Transformers with MultiMax attention through a task-graph runtime.",
        subcommands = {TrainCommand.class, EvalCommand.class, DevicesCommand.class, BenchCommand.class,
            ProfileCommand.class, CompareCommand.class, CheckCommand.class, SimplexCommand.class, AnalyzeCommand.class, StudyCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /**
     * Exit code of a device failure: allocation (out of memory, over CL_DEVICE_MAX_MEM_ALLOC_SIZE),
     * kernel build, launch or copy (CL_OUT_OF_RESOURCES, a lost device): one line, the stack trace
     * only with --debug.
     */
    static final int DEVICE_FAILURE = 4;

    /** Exit code of training stopped by a non-finite loss or gradient ({@code --on-nonfinite stop}). */
    static final int DIVERGED = 3;

    /** Exit code of a step checked against ref:0 ({@code train --check-step}, {@code profile --check}) with a task off its tolerance. */
    static final int CHECK_FAILED = 5;

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
            if (ex instanceof BadInput b) {
                cmd.getErr().println("error: " + b.getMessage());
                return UserError.BAD_INPUT;
            }
            if (ex instanceof DivergedException d) {
                cmd.getErr().println("error: " + d.getMessage() + "; try a lower --lr, or --on-nonfinite skip");
                return DIVERGED;
            }
            if (ex instanceof CheckFailedException c) {
                cmd.getErr().println("error: " + c.getMessage());
                return CHECK_FAILED;
            }
            KernelException k = cause(ex, KernelException.class);
            if (k != null) {
                cmd.getErr().println("device error: " + oneLine(k.getMessage()));
                return DEVICE_FAILURE;
            }
            CLException cl = cause(ex, CLException.class);
            if (cl != null) {
                cmd.getErr().println("device error: an OpenCL call failed with " + CL.stringFor_errorCode(cl.getStatus())
                        + (debug ? "" : " (run with --debug for the stack trace)"));
                return DEVICE_FAILURE;
            }
            cmd.getErr().println("internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
            return 1;
        });
        return cli.execute(args);
    }

    /** {@code ex} or the first of its causes that is a {@code type}, or null. */
    private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }

    /** The first line of a message (a build log follows it), saying how to see the rest. */
    static String oneLine(String message) {
        if (message == null) return "(no message)";
        int nl = message.indexOf('\n');
        if (nl < 0) return message;
        long more = message.substring(nl + 1).lines().count();
        return message.substring(0, nl) + (debug ? "" : " [" + more + " more lines: run with --debug]");
    }
}
