package dev.multimax.device.cuda;

import dev.multimax.device.opencl.KernelArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entries of one PTX module and their parameter types, as clang writes them for
 * {@code tasks/*.cl}: {@code .visible .entry name(.param .u64 ..., .param .u32 ...)}, in source
 * order, no hidden parameters. What a launch's arguments are checked against before they are
 * marshalled, so a binder and a kernel that disagree fail at bind time, by name.
 */
public final class PtxModule {
    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param \\.(\\w+)");

    private final Map<String, List<String>> entries = new LinkedHashMap<>();

    public PtxModule(String ptx) {
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            Matcher p = PARAM.matcher(m.group(2));
            while (p.find()) types.add(p.group(1));
            entries.put(m.group(1), List.copyOf(types));
        }
    }

    public Map<String, List<String>> entries() {
        return entries;
    }

    /** The PTX types a launch's arguments fill: a buffer or scratch a .u64 pointer and a .u32 offset, an int .u32, a float .f32. */
    public static List<String> types(List<KernelArgs.Arg> args) {
        List<String> t = new ArrayList<>();
        for (KernelArgs.Arg a : args) {
            if (a instanceof KernelArgs.SliceArg || a instanceof KernelArgs.ScratchArg) {
                t.add("u64");
                t.add("u32");
            } else {
                t.add(a instanceof KernelArgs.IntArg ? "u32" : "f32");
            }
        }
        return t;
    }

    /** Throws naming both lists when {@code kernel} is missing or takes other parameters than {@code args} fill. */
    public void check(String kernel, List<KernelArgs.Arg> args, String module) {
        List<String> want = entries.get(kernel);
        if (want == null) throw new IllegalStateException("no entry '" + kernel + "' in " + module + "; it has " + entries.keySet());
        List<String> got = types(args);
        if (!want.equals(got)) {
            throw new IllegalStateException(kernel + " in " + module + " takes " + want + ", the binder passed " + got + " "
                    + args.stream().map(KernelArgs.Arg::what).toList());
        }
    }

    /** Grid (blocks per dimension) and block (threads) of a launch of {@code global} items in groups of {@code local}, padded to 3-D. */
    public static int[][] gridAndBlock(long[] global, long[] local) {
        int[] grid = {1, 1, 1};
        int[] block = {1, 1, 1};
        for (int d = 0; d < global.length; d++) {
            if (global[d] % local[d] != 0) throw new IllegalArgumentException("global " + global[d] + " is not a multiple of " + local[d]);
            long blocks = global[d] / local[d];
            if (blocks > Integer.MAX_VALUE || local[d] > Integer.MAX_VALUE) throw new IllegalArgumentException("launch too large");
            grid[d] = (int) blocks;
            block[d] = (int) local[d];
        }
        return new int[][] {grid, block};
    }
}
