package dev.multimax.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code train} options a checkpoint fixes, and how {@code train --resume} treats them: an
 * option not given takes the saved value; one given with the saved value is fine; one given with
 * another value is a user error (exit 2) naming both. Options that may change on resume:
 * {@code --device} (left out, the run continues on the device saved in the checkpoint; bitwise
 * identity with an uninterrupted run holds only on the same device),
 * {@code --log-jsonl}, {@code --checkpoint-every}, {@code --keep-checkpoints}.
 */
final class ResumeOptions {
    /** Options that determine the data, the model, the schedule or the optimizer. */
    static final List<String> FIXED = List.of("--preset", "--data", "--epochs", "--batch", "--lr", "--min-lr",
            "--warmup", "--weight-decay", "--beta2", "--seed", "--attn", "--head", "--limit-train", "--limit-test",
            "--val", "--shift");

    /** What a checkpoint written before an option existed was trained with (not the option's default now). */
    private static final Map<String, String> BEFORE_OPTION = Map.of("--val", "0", "--shift", "0");

    private ResumeOptions() {
    }

    /** The fixed options' current values, as strings keyed by option name (stored in each checkpoint). */
    static JsonObject describe(CommandSpec spec) {
        JsonObject o = new JsonObject();
        for (String name : FIXED) {
            OptionSpec opt = spec.findOption(name);
            if (opt != null) o.addProperty(name, String.valueOf((Object) opt.getValue()));
        }
        return o;
    }

    /** Fills options not given from {@code saved}; a given option that differs is a {@link UserError}. */
    static void apply(CommandSpec spec, JsonObject saved, Path folder) {
        ParseResult parsed = spec.commandLine().getParseResult();
        for (String name : FIXED) {
            OptionSpec opt = spec.findOption(name);
            if (opt == null || !(saved.has(name) || BEFORE_OPTION.containsKey(name))) continue;
            String text = saved.has(name) ? saved.get(name).getAsString() : BEFORE_OPTION.get(name);
            Object value;
            try {
                value = convert(opt.type(), text);
            } catch (RuntimeException e) {
                throw new UserError(folder + ": saved option " + name + " '" + text + "' is not valid");
            }
            if (parsed.hasMatchedOption(name)) {
                if (!Objects.equals(opt.getValue(), value)) {
                    throw new UserError(name + " " + opt.getValue() + " conflicts with the resumed run's " + name
                            + " " + text + " (saved in " + folder + "); leave it out or give the same value"
                            + " (may change on resume: --device, --log-jsonl, --checkpoint-every, --keep-checkpoints)");
                }
            } else {
                opt.setValue(value);
            }
        }
    }

    private static Object convert(Class<?> type, String text) {
        if (type == int.class || type == Integer.class) return Integer.parseInt(text);
        if (type == long.class || type == Long.class) return Long.parseLong(text);
        if (type == double.class || type == Double.class) return Double.parseDouble(text);
        if (type == Path.class) return Path.of(text);
        if (type == String.class) return text;
        throw new IllegalArgumentException("unsupported option type " + type);
    }
}
