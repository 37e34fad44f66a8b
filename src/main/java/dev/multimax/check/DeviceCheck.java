package dev.multimax.check;

import dev.multimax.device.Device;
import dev.multimax.device.Op;
import dev.multimax.model.Presets;
import dev.multimax.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@code multimax check} runs on one target: the random cases of the chosen ops
 * ({@link OpSamples}, one row each), then, when asked, the training step of the tiny model (MultiMax
 * and softmax) and of the default preset at batch 4 ({@link StepCheck}, two rows each).
 */
public final class DeviceCheck {
    /** Batch of the default preset's step: enough rows for every reduction, quick on ref:0. */
    static final int PRESET_BATCH = 4;

    private final List<Op> ops;
    private final boolean step;
    private final long seed;

    public DeviceCheck(List<Op> ops, boolean step, long seed) {
        this.ops = List.copyOf(ops);
        this.step = step;
        this.seed = seed;
    }

    /** How many rows {@link #run} reports per target before the step (for a progress count). */
    public int opCases() {
        return OpCheck.samples(ops, seed).size();
    }

    /** Runs everything on {@code target} against {@code ref}; {@code progress} hears each row as it is about to run. */
    public List<CheckResult> run(CheckTarget target, Device ref, Consumer<String> progress) {
        List<CheckResult> rows = new ArrayList<>();
        OpCheck check = new OpCheck(ref);
        for (OpSample s : OpCheck.samples(ops, seed)) {
            progress.accept(s.op().kernelName() + " " + s.shape());
            rows.add(check.run(target.device(), s));
        }
        if (step) {
            progress.accept("step tiny multimax");
            rows.addAll(StepCheck.run(target, ref, "tiny multimax", StepCheck.tiny(), 3, seed));
            progress.accept("step tiny multimax unfused");
            rows.addAll(StepCheck.run(target, ref, "tiny multimax unfused", StepCheck.tiny(), 3, seed, false));
            progress.accept("step tiny softmax");
            rows.addAll(StepCheck.run(target, ref, "tiny softmax",
                    StepCheck.tiny().withActivations(Activation.SOFTMAX, Activation.SOFTMAX), 3, seed));
            progress.accept("step " + Presets.DEFAULT);
            rows.addAll(StepCheck.run(target, ref, Presets.DEFAULT, Presets.get(Presets.DEFAULT), PRESET_BATCH, seed));
        }
        return rows;
    }

    /** The ops of the named families (catalog order); an unknown family is an {@link IllegalArgumentException} naming the known ones. */
    public static List<Op> opsOf(List<String> families) {
        List<String> known = Op.families();
        for (String f : families) {
            if (!known.contains(f)) {
                throw new IllegalArgumentException("unknown op family '" + f + "'; families: " + String.join(", ", known));
            }
        }
        return java.util.Arrays.stream(Op.values()).filter(op -> families.contains(op.family())).toList();
    }
}
