package dev.multimax.device.opencl;

import java.util.List;

/**
 * A bound op: its launches in order (one in-order queue runs them back to back) and the variant
 * string profiles show, e.g. {@code cpu/2pass rows256 wg256}.
 */
public record Bound(String variant, List<Launch> launches) {
    public Bound {
        launches = List.copyOf(launches);
        if (launches.isEmpty()) throw new IllegalArgumentException("an op needs at least one launch");
    }
}
