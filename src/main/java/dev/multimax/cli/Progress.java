package dev.multimax.cli;

/**
 * One progress line on stderr: rewritten in place on a terminal, silent in logs (where only the
 * {@link #done} line appears, so a CI log is not flooded).
 */
final class Progress {
    private static final boolean TERMINAL = System.console() != null;
    private static int lastLength;

    private Progress() {
    }

    static synchronized void line(String text) {
        if (!TERMINAL) return;
        String shown = text.length() > 118 ? text.substring(0, 117) + "…" : text;
        System.err.print("\r" + shown + " ".repeat(Math.max(0, lastLength - shown.length())));
        System.err.flush();
        lastLength = shown.length();
    }

    static synchronized void done(String text) {
        if (TERMINAL) System.err.print("\r" + " ".repeat(lastLength) + "\r");
        lastLength = 0;
        System.err.println(text);
    }
}
