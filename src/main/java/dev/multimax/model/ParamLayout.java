package dev.multimax.model;

import dev.multimax.device.FloatArray;
import dev.multimax.device.Slice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One flat layout for parameters, gradients and AdamW moments, computed from the config.
 * Parameters that get weight decay (Linear and patch weights) come first, so the optimizer is one
 * task with a boundary; 1-D parameters, {@code pos_embed} and the MultiMax {@code ranges}/{@code ts}
 * follow. A MultiMax site's {@code ranges} and {@code ts} are adjacent (the kernels take 8 floats).
 * {@link #params()} keeps timm's order for checkpoints.
 */
public final class ParamLayout {
    /** A named parameter: shape as in timm, offset in the flat layout. */
    public record Param(String name, int[] shape, int offset, boolean decay) {
        public int size() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    private final List<Param> params;
    private final Map<String, Param> byName = new LinkedHashMap<>();
    private final int total;
    private final int decayed;

    public ParamLayout(VitConfig c) {
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        int d = c.embedDim();
        add(names, shapes, "patch_embed.proj.weight", d, c.inChans(), c.patchSize(), c.patchSize());
        add(names, shapes, "patch_embed.proj.bias", d);
        add(names, shapes, "pos_embed", 1, c.numPatches(), d);
        for (int i = 0; i < c.depth(); i++) {
            String b = "blocks." + i + ".";
            add(names, shapes, b + "norm1.weight", d);
            add(names, shapes, b + "norm1.bias", d);
            add(names, shapes, b + "attn.qkv.weight", 3 * d, d);
            if (c.qkvBias()) add(names, shapes, b + "attn.qkv.bias", 3 * d);
            if (c.attnAct().hasParameters()) {
                add(names, shapes, b + "attn.ranges", 4);
                add(names, shapes, b + "attn.ts", 4);
            }
            add(names, shapes, b + "attn.proj.weight", d, d);
            add(names, shapes, b + "attn.proj.bias", d);
            add(names, shapes, b + "norm2.weight", d);
            add(names, shapes, b + "norm2.bias", d);
            add(names, shapes, b + "mlp.fc1.weight", c.mlpHidden(), d);
            add(names, shapes, b + "mlp.fc1.bias", c.mlpHidden());
            add(names, shapes, b + "mlp.fc2.weight", d, c.mlpHidden());
            add(names, shapes, b + "mlp.fc2.bias", d);
        }
        add(names, shapes, "norm.weight", d);
        add(names, shapes, "norm.bias", d);
        add(names, shapes, "head.weight", c.numClasses(), d);
        add(names, shapes, "head.bias", c.numClasses());
        if (c.headAct().hasParameters()) {
            add(names, shapes, "ranges", 4);
            add(names, shapes, "ts", 4);
        }
        // Offsets: decayed parameters first, then the rest, each group in timm order.
        Param[] placed = new Param[names.size()];
        int offset = 0;
        int decayedEnd = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < names.size(); k++) {
                boolean decay = isDecayed(names.get(k), shapes.get(k));
                if (decay == (pass == 0)) {
                    placed[k] = new Param(names.get(k), shapes.get(k), offset, decay);
                    offset += placed[k].size();
                }
            }
            if (pass == 0) decayedEnd = offset;
        }
        this.params = List.of(placed);
        for (Param p : params) byName.put(p.name(), p);
        this.total = offset;
        this.decayed = decayedEnd;
    }

    private static void add(List<String> names, List<int[]> shapes, String name, int... shape) {
        names.add(name);
        shapes.add(shape);
    }

    /** Weight decay for Linear/conv weights only: not biases, norms, pos_embed, ranges, ts. */
    private static boolean isDecayed(String name, int[] shape) {
        return shape.length >= 2 && name.endsWith(".weight");
    }

    /** Parameters in timm order. */
    public List<Param> params() {
        return params;
    }

    public Param get(String name) {
        Param p = byName.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name);
        return p;
    }

    /** Elements in the whole layout. */
    public int total() {
        return total;
    }

    /** Elements that get weight decay (a prefix of the layout). */
    public int decayed() {
        return decayed;
    }

    /** The slice of {@code flat} (params, grads or a moment) that holds {@code name}. */
    public Slice slice(FloatArray flat, String name) {
        Param p = get(name);
        return flat.slice(p.offset(), p.size());
    }

    /** The 8 floats ranges(4), ts(4) of a MultiMax site ({@code prefix} "" or "blocks.i.attn."). */
    public Slice multimaxParams(FloatArray flat, String prefix) {
        Param r = get(prefix + "ranges");
        if (get(prefix + "ts").offset() != r.offset() + 4) throw new IllegalStateException("ranges/ts not adjacent");
        return flat.slice(r.offset(), 8);
    }
}
