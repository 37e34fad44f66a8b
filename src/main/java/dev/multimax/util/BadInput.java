package dev.multimax.util;

/**
 * Something that came from outside the program is wrong: a data or checkpoint file, a name (a
 * preset, a device, an activation), an environment variable, a folder to write to. The message
 * names it and says what is wrong, in one line. The command line prints it without a stack trace
 * and exits with its bad-input code; other callers may catch it.
 */
public class BadInput extends RuntimeException {
    public BadInput(String message) {
        super(message);
    }

    public BadInput(String message, Throwable cause) {
        super(message, cause);
    }
}
