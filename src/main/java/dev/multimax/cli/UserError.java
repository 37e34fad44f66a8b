package dev.multimax.cli;

/**
 * A bad option of a command: the CLI prints only the message, one line naming the option, and exits
 * with {@link #exitCode()}; no stack trace unless {@code --debug} is given. (Bad files and names
 * found below the CLI are {@link dev.multimax.util.BadInput}, which it prints the same way.)
 */
public class UserError extends RuntimeException {
    /** Exit code for bad input (files, options). */
    public static final int BAD_INPUT = 2;

    private final int exitCode;

    public UserError(String message) {
        this(message, BAD_INPUT);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = BAD_INPUT;
    }

    public int exitCode() {
        return exitCode;
    }
}
