package dev.multimax.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.multimax.data.MeanStd;
import dev.multimax.model.TinyModels;
import dev.multimax.nn.Activation;
import dev.multimax.train.Checkpoint;
import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random corruptions of a valid checkpoint (written from a tiny model) must either load or fail
 * with a one-line BadInput naming the file, each within a second, and never with an
 * OutOfMemoryError or another exception type. Seeded: {@code -Dfuzz.seed=N} replays a run.
 */
class SafetensorsFuzzTest {
    private static final int ROUNDS = 1000;
    private static final long MAX_NANOS_PER_ROUND = 1_000_000_000L;
    private static final String[] NUMBERS = {"-1", "0", "1", "3", "4294967296", "9223372036854775807",
        "9223372036854775808", "18446744073709551615", "99999999999999999999999999", "1e9", "1.5", "-0",
        "2147483647", "1e400", "null", "\"7\"", "[]"};
    private static final String[] DTYPES = {"F16", "BF16", "F64", "I32", "U8", "BOOL", "U64", "X99", "", "f32"};
    private static final String[] JSON_BITS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800",
        "__metadata__", "\"dtype\":\"F32\"", "\"data_offsets\":[0,4]", "\"shape\":[1]", "\u00e9", "\ufffd"};

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void corruptionsLoadOrFailCleanly() throws IOException {
        long seed = Long.getLong("fuzz.seed", 20240611L);
        Path good = dir.resolve("good.safetensors");
        Checkpoint.save(good, TinyModels.randomModel(TinyModels.config(Activation.MULTIMAX, Activation.MULTIMAX,
                true), 3), new MeanStd(0.1, 0.3));
        byte[] original = Files.readAllBytes(good);
        assertThat(Checkpoint.load(good).model().config().depth()).isEqualTo(2);
        SplittableRandom rng = new SplittableRandom(seed);
        TreeMap<String, int[]> outcomes = new TreeMap<>(); // kind -> {loaded, user errors}
        long slowest = 0;
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            String[] kind = new String[1];
            byte[] bad = corrupt(original, rng, kind);
            Path p = Files.write(dir.resolve("fuzz-" + (round % 7) + ".safetensors"), bad);
            String context = "seed " + seed + ", round " + round + " (" + kind[0] + ")";
            long t0 = System.nanoTime();
            int outcome;
            try {
                outcome = load(p);
            } catch (BadInput e) {
                assertThat(e.getMessage()).as(context).startsWith(p + ": ").doesNotContain("\n");
                outcome = 1;
            } catch (Throwable t) {
                fail(context + ": " + t, t);
                return;
            }
            long took = System.nanoTime() - t0;
            slowest = Math.max(slowest, took);
            assertThat(took).as("%s took too long", context).isLessThan(MAX_NANOS_PER_ROUND);
            outcomes.computeIfAbsent(kind[0], k -> new int[2])[outcome]++;
        }
        StringBuilder sb = new StringBuilder();
        outcomes.forEach((k, v) -> sb.append(String.format(" %s %d ok/%d err;", k, v[0], v[1])));
        System.out.printf("safetensors fuzz: seed %d, %d rounds in %d ms, slowest %.1f ms:%s%n", seed, ROUNDS,
                (System.nanoTime() - start) / 1_000_000, slowest / 1e6, sb);
        // Benign corruptions must load: flipping bits of tensor data changes values, not structure.
        assertThat(outcomes.get("data-flip")[0]).as("seed %d: data flips that loaded", seed).isPositive();
        assertThat(outcomes.get("append")[0]).as("seed %d: appended bytes that loaded", seed).isPositive();
    }

    /** Reads the file as a safetensors file and as a checkpoint: 0 when both succeed. */
    private static int load(Path p) {
        SafetensorsFile f = SafetensorsFile.read(p);
        for (String name : f.names()) {
            touch(f, name);
        }
        Checkpoint.load(p);
        return 0;
    }

    /** Reading any tensor through its natural accessor must also only ever throw BadInput. */
    private static void touch(SafetensorsFile f, String name) {
        f.shape(name);
        if (f.dtype(name).isInteger()) {
            f.longs(name);
        } else {
            try {
                f.doubles(name);
            } catch (BadInput e) {
                // F16 and friends are not convertible; that is reported, not crashed
            }
        }
    }

    private static byte[] corrupt(byte[] original, SplittableRandom rng, String[] kind) {
        int headerLen = (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int headerEnd = 8 + headerLen;
        String json = new String(original, 8, headerLen, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(original, headerEnd, original.length);
        byte[] b = original.clone();
        switch (rng.nextInt(10)) {
            case 0 -> {
                kind[0] = "header-flip";
                for (int k = 1 + rng.nextInt(3); k > 0; k--) {
                    b[8 + rng.nextInt(headerLen)] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 1 -> {
                kind[0] = "data-flip";
                for (int k = 1 + rng.nextInt(4); k > 0; k--) {
                    b[headerEnd + rng.nextInt(data.length)] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 2 -> {
                kind[0] = "truncate";
                b = Arrays.copyOf(b, rng.nextInt(b.length));
            }
            case 3 -> {
                kind[0] = "length-field";
                long n = switch (rng.nextInt(4)) {
                    case 0 -> rng.nextLong();
                    case 1 -> 1L << (20 + rng.nextInt(43));
                    case 2 -> headerLen + rng.nextInt(-16, 17);
                    default -> -rng.nextInt(1, 100);
                };
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
            }
            case 4 -> {
                kind[0] = "json-char";
                int at = 8 + rng.nextInt(headerLen);
                b[at] = (byte) "0123456789[]{},:\"-.e ".charAt(rng.nextInt(21));
            }
            case 5 -> {
                kind[0] = "json-number";
                b = rebuild(replaceNumber(json, rng), data);
            }
            case 6 -> {
                kind[0] = "json-dtype";
                b = rebuild(json.replaceFirst("\"F32\"", "\"" + DTYPES[rng.nextInt(DTYPES.length)] + "\""), data);
            }
            case 7 -> {
                kind[0] = "json-edit";
                b = rebuild(editJson(json, rng), data);
            }
            case 8 -> {
                kind[0] = "append";
                byte[] extra = new byte[1 + rng.nextInt(64)];
                for (int i = 0; i < extra.length; i++) {
                    extra[i] = (byte) rng.nextInt(256);
                }
                b = Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, b, original.length, extra.length);
            }
            default -> {
                kind[0] = "random-bytes";
                for (int k = 1 + rng.nextInt(8); k > 0; k--) {
                    b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
                }
            }
        }
        return b;
    }

    /** One number in the header (a shape dim, an offset, or a config value) replaced by an odd one. */
    private static String replaceNumber(String json, SplittableRandom rng) {
        Matcher m = Pattern.compile("\\d+").matcher(json);
        int count = 0;
        while (m.find()) {
            count++;
        }
        int pick = rng.nextInt(count);
        m.reset();
        for (int i = 0; i <= pick; i++) {
            m.find();
        }
        String with = rng.nextBoolean() ? NUMBERS[rng.nextInt(NUMBERS.length)]
                : Long.toString(Long.parseLong(m.group().length() > 18 ? "1" : m.group()) + rng.nextInt(-8, 9));
        return json.substring(0, m.start()) + with + json.substring(m.end());
    }

    /** Deletes, duplicates or inserts a random stretch of the JSON text. */
    private static String editJson(String json, SplittableRandom rng) {
        int a = rng.nextInt(json.length());
        int b = Math.min(json.length(), a + rng.nextInt(1, 40));
        return switch (rng.nextInt(3)) {
            case 0 -> json.substring(0, a) + json.substring(b);
            case 1 -> json.substring(0, b) + json.substring(a, b) + json.substring(b);
            default -> json.substring(0, a) + JSON_BITS[rng.nextInt(JSON_BITS.length)] + json.substring(a);
        };
    }

    private static byte[] rebuild(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(data);
        return out.array();
    }
}
