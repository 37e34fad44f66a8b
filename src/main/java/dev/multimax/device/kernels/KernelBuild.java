package dev.multimax.device.kernels;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One program of {@code tasks/<family>.cl} built with a set of {@code -D} options (a tuning's
 * variant): the unit that is compiled ahead of time to PTX and SPIR-V. {@link #stem} names its
 * files: the family and a short hash of the options.
 */
public record KernelBuild(String family, String options) implements Comparable<KernelBuild> {
    public KernelBuild {
        options = options.strip();
    }

    /** {@code softmax.3f2a9c1e}: unique per (family, options), stable across runs. */
    public String stem() {
        return family + "." + sha256(options).substring(0, 8);
    }

    @Override
    public int compareTo(KernelBuild o) {
        int c = family.compareTo(o.family);
        return c != 0 ? c : options.compareTo(o.options);
    }

    /** Hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
