package dev.multimax.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.multimax.util.BadInput;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a safetensors JSON header against the size of the data section.
 *
 * <p>Checks everything a later read relies on (dtype known, shape non-negative integers, byte
 * count matching the offsets, offsets inside the data section, no two tensors sharing bytes), so
 * that reading a tensor afterwards cannot fail or over-allocate. Gaps between tensors are
 * allowed; overlaps are not.
 */
final class SafetensorsHeader {
    static final String METADATA = "__metadata__";
    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);
    /** Longer numbers cannot be valid sizes, and BigDecimal parsing of huge ones is slow. */
    private static final int MAX_NUMBER_CHARS = 24;

    /** Where one tensor lives: offsets relative to the start of the data section. */
    record Tensor(String name, Dtype dtype, long[] shape, long begin, long end) {
        long count() {
            return (end - begin) / dtype.size();
        }
    }

    final Map<String, Tensor> tensors = new LinkedHashMap<>();
    final Map<String, String> metadata = new LinkedHashMap<>();
    private final String file;

    private SafetensorsHeader(String file) {
        this.file = file;
    }

    /** Parses {@code json}; {@code dataSize} is the length of the data section in bytes. */
    static SafetensorsHeader parse(String file, String json, long dataSize) {
        SafetensorsHeader h = new SafetensorsHeader(file);
        Map<String, JsonElement> entries = h.readTopLevel(json);
        for (Map.Entry<String, JsonElement> e : entries.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                h.readMetadata(e.getValue());
            } else {
                Tensor t = h.readTensor(e.getKey(), e.getValue(), dataSize);
                h.tensors.put(t.name(), t);
            }
        }
        h.checkOverlaps();
        return h;
    }

    BadInput headerError(String what) {
        return new BadInput(file + ": header: " + what);
    }

    BadInput tensorError(String name, String what) {
        return new BadInput(file + ": tensor '" + name + "': " + what);
    }

    /**
     * Reads the top-level object by hand (rather than into a JsonObject) to reject duplicate
     * keys, which a map would silently collapse.
     */
    private Map<String, JsonElement> readTopLevel(String json) {
        Map<String, JsonElement> entries = new LinkedHashMap<>();
        try {
            JsonReader in = new JsonReader(new StringReader(json));
            in.setStrictness(Strictness.STRICT);
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw headerError("not a JSON object");
            }
            in.beginObject();
            while (in.hasNext()) {
                String key = in.nextName();
                if (entries.put(key, ELEMENTS.read(in)) != null) {
                    throw headerError("duplicate key '" + key + "'");
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw headerError("unexpected data after the JSON object");
            }
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw headerError("not valid JSON: " + firstLine(e.getMessage()));
        }
        return entries;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Gson's advice to switch to lenient parsing is meant for programmers, not for users.
        return line.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
                "malformed JSON");
    }

    private void readMetadata(JsonElement value) {
        if (!value.isJsonObject()) {
            throw headerError(METADATA + " must be an object of strings");
        }
        for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw headerError(METADATA + " value for '" + e.getKey() + "' is not a string");
            }
            metadata.put(e.getKey(), v.getAsString());
        }
    }

    private Tensor readTensor(String name, JsonElement value, long dataSize) {
        if (!value.isJsonObject()) {
            throw tensorError(name, "entry is not a JSON object");
        }
        JsonObject o = value.getAsJsonObject();
        Dtype dtype = readDtype(name, o.get("dtype"));
        long[] shape = readLongs(name, "shape", o.get("shape"));
        long[] offsets = readLongs(name, "data_offsets", o.get("data_offsets"));
        if (offsets.length != 2) {
            throw tensorError(name, "data_offsets must be [begin, end], got " + Arrays.toString(offsets));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw tensorError(name, "data_offsets " + Arrays.toString(offsets) + " begin after end");
        }
        if (end > dataSize) {
            throw tensorError(name, "data_offsets " + Arrays.toString(offsets)
                    + " run past the end of the data section (" + dataSize + " bytes)");
        }
        long bytes = byteCount(name, dtype, shape);
        if (bytes != end - begin) {
            throw tensorError(name, "shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + bytes + " bytes but data_offsets " + Arrays.toString(offsets) + " span "
                    + (end - begin));
        }
        return new Tensor(name, dtype, shape, begin, end);
    }

    private Dtype readDtype(String name, JsonElement value) {
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw tensorError(name, "missing or non-string dtype");
        }
        Dtype dtype = Dtype.parse(value.getAsString());
        if (dtype == null) {
            throw tensorError(name, "unknown dtype '" + value.getAsString() + "'");
        }
        return dtype;
    }

    private long[] readLongs(String name, String field, JsonElement value) {
        if (value == null || !value.isJsonArray()) {
            throw tensorError(name, "missing or non-array " + field);
        }
        JsonArray array = value.getAsJsonArray();
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = readSize(name, field, array.get(i));
        }
        return out;
    }

    /** A non-negative integer that fits in a long. */
    private long readSize(String name, String field, JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw tensorError(name, field + " holds a non-number: " + e);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.getAsString().length() > MAX_NUMBER_CHARS) {
            throw tensorError(name, field + " holds an implausible size " + p.getAsString());
        }
        try {
            BigDecimal d = p.getAsBigDecimal();
            if (d.signum() < 0) {
                throw tensorError(name, field + " holds a negative value " + p.getAsString());
            }
            return d.longValueExact();
        } catch (ArithmeticException | NumberFormatException ex) {
            throw tensorError(name, field + " holds " + p.getAsString()
                    + ", which is not an integer that fits in 64 bits");
        }
    }

    private long byteCount(String name, Dtype dtype, long[] shape) {
        try {
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            return Math.multiplyExact(count, (long) dtype.size());
        } catch (ArithmeticException e) {
            throw tensorError(name, "shape " + Arrays.toString(shape) + " is too large");
        }
    }

    /** Non-empty tensors must not share bytes: writing one would silently change another. */
    private void checkOverlaps() {
        List<Tensor> sorted = new ArrayList<>();
        for (Tensor t : tensors.values()) {
            if (t.end() > t.begin()) {
                sorted.add(t);
            }
        }
        sorted.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
        for (int i = 1; i < sorted.size(); i++) {
            Tensor prev = sorted.get(i - 1);
            Tensor t = sorted.get(i);
            if (t.begin() < prev.end()) {
                throw tensorError(t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] overlap tensor '" + prev.name() + "' [" + prev.begin() + ", "
                        + prev.end() + "]");
            }
        }
    }
}
