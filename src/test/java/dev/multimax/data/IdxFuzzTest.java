package dev.multimax.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.multimax.util.BadInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random corruptions of small valid IDX files, raw and gzipped, read alone or as part of an
 * MNIST-layout directory: each loads (with sizes matching its data) or fails with a one-line
 * BadInput naming a file, within a second; never an OutOfMemoryError or another exception.
 * Seeded: {@code -Dfuzz.seed=N} replays a run.
 */
class IdxFuzzTest {
    private static final int ROUNDS = 1000;
    private static final long MAX_NANOS_PER_ROUND = 1_000_000_000L;
    private static final int N = 6;
    private static final int R = 5;
    private static final int C = 7;

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void corruptionsLoadOrFailCleanly() throws IOException {
        long seed = Long.getLong("fuzz.seed", 7_20240611L);
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] labels = new byte[N];
        for (int i = 0; i < N; i++) {
            labels[i] = (byte) (i % 3);
        }
        byte[][] valid = {Idx.images(N, R, C, Idx.pattern(N, R, C)), Idx.labels(labels)};
        Path set = Files.createDirectories(dir.resolve("set"));
        TreeMap<String, int[]> outcomes = new TreeMap<>(); // kind -> {loaded, user errors}
        long slowest = 0;
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            boolean images = rng.nextBoolean();
            boolean gz = rng.nextBoolean();
            boolean asSet = rng.nextInt(5) == 0;
            String[] kind = new String[1];
            byte[] bad = corrupt(valid[images ? 0 : 1], gz, rng, kind);
            String label = (gz ? "gz-" : "raw-") + kind[0];
            String context = "seed " + seed + ", round " + round + " (" + label + (images ? ", images" : ", labels")
                    + (asSet ? ", as a set)" : ")");
            long t0 = System.nanoTime();
            int outcome;
            Path p = null;
            try {
                if (asSet) {
                    Idx.writeSet(set, N, N, R, C, false);
                    String base = images ? MnistFiles.TRAIN_IMAGES : MnistFiles.TEST_LABELS;
                    Path raw = set.resolve(base);
                    if (gz) {
                        Files.delete(raw);
                        p = Files.write(set.resolve(base + ".gz"), bad);
                    } else {
                        p = Files.write(raw, bad);
                    }
                    TrainTest tt = MnistFiles.loadDir(set, "fuzz", 0, 0);
                    assertThat(tt.train().n()).as(context).isEqualTo(tt.train().labels().length);
                    if (gz) {
                        Files.delete(p);
                    }
                } else {
                    p = Files.write(dir.resolve("fuzz-" + (round % 5) + (gz ? ".gz" : "")), bad);
                    if (images) {
                        IdxReader.Images img = IdxReader.readImages(p);
                        assertThat((long) img.pixels().length).as(context)
                                .isEqualTo((long) img.count() * img.rows() * img.cols());
                    } else {
                        IdxReader.Labels l = IdxReader.readLabels(p);
                        assertThat(l.labels().length).as(context).isEqualTo(l.count());
                    }
                }
                outcome = 0;
            } catch (BadInput e) {
                assertThat(e.getMessage()).as(context).doesNotContain("\n");
                if (asSet) {
                    assertThat(e.getMessage()).as(context).contains(set.toString());
                    if (gz) {
                        Files.deleteIfExists(p);
                    }
                } else {
                    assertThat(e.getMessage()).as(context).startsWith(p + ":");
                }
                outcome = 1;
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                fail(context + ": " + t, t);
                return;
            }
            long took = System.nanoTime() - t0;
            slowest = Math.max(slowest, took);
            assertThat(took).as("%s took too long", context).isLessThan(MAX_NANOS_PER_ROUND);
            outcomes.computeIfAbsent(label, k -> new int[2])[outcome]++;
        }
        StringBuilder sb = new StringBuilder();
        outcomes.forEach((k, v) -> sb.append(String.format(" %s %d ok/%d err;", k, v[0], v[1])));
        System.out.printf("idx fuzz: seed %d, %d rounds in %d ms, slowest %.1f ms:%s%n", seed, ROUNDS,
                (System.nanoTime() - start) / 1_000_000, slowest / 1e6, sb);
        assertThat(outcomes.get("raw-data-flip")[0]).as("seed %d: raw data flips that loaded", seed).isPositive();
        assertThat(outcomes.get("gz-bomb")[0]).as("seed %d: oversized gzip streams capped and loaded", seed)
                .isPositive();
    }

    /** A corruption of {@code file}; gzipped afterwards (or the gzip bytes corrupted) when {@code gz}. */
    private static byte[] corrupt(byte[] file, boolean gz, SplittableRandom rng, String[] kind) throws IOException {
        int headerLen = 4 + 4 * (file[3] & 0xff);
        byte[] b = file.clone();
        switch (rng.nextInt(gz ? 10 : 8)) {
            case 0 -> {
                kind[0] = "header-flip";
                b[rng.nextInt(headerLen)] ^= (byte) (1 << rng.nextInt(8));
            }
            case 1 -> {
                kind[0] = "data-flip";
                for (int k = 1 + rng.nextInt(4); k > 0; k--) {
                    b[headerLen + rng.nextInt(b.length - headerLen)] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 2 -> {
                kind[0] = "truncate";
                b = Arrays.copyOf(b, rng.nextInt(b.length));
            }
            case 3 -> {
                kind[0] = "dims";
                int dim = rng.nextInt((headerLen - 4) / 4);
                int value = switch (rng.nextInt(5)) {
                    case 0 -> Integer.MAX_VALUE;
                    case 1 -> -rng.nextInt(1, 1000);
                    case 2 -> 0;
                    case 3 -> 1 << rng.nextInt(31);
                    default -> rng.nextInt(1, 64);
                };
                ByteBuffer.wrap(b).putInt(4 + 4 * dim, value);
            }
            case 4 -> {
                kind[0] = "magic";
                ByteBuffer.wrap(b).putInt(0, switch (rng.nextInt(4)) {
                    case 0 -> 0x00000800 | rng.nextInt(256); // unsigned bytes, any rank
                    case 1 -> 0x00000003 | (rng.nextInt(256) << 8); // any dtype, rank 3
                    case 2 -> 0x00000d03; // float32 images
                    default -> rng.nextInt();
                });
            }
            case 5 -> {
                kind[0] = "append";
                b = Arrays.copyOf(b, b.length + 1 + rng.nextInt(100));
                for (int i = file.length; i < b.length; i++) {
                    b[i] = (byte) rng.nextInt(256);
                }
            }
            case 6 -> {
                kind[0] = "random-bytes";
                for (int k = 1 + rng.nextInt(6); k > 0; k--) {
                    b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
                }
            }
            case 7 -> {
                kind[0] = "empty";
                b = new byte[rng.nextInt(3)];
            }
            case 8 -> { // only with gz: corrupt the compressed bytes themselves
                byte[] z = Idx.gzip(b);
                kind[0] = rng.nextBoolean() ? "stream-truncate" : "stream-flip";
                if (kind[0].equals("stream-truncate")) {
                    return Arrays.copyOf(z, 2 + rng.nextInt(z.length - 2));
                }
                for (int k = 1 + rng.nextInt(3); k > 0; k--) {
                    z[2 + rng.nextInt(z.length - 2)] ^= (byte) (1 << rng.nextInt(8));
                }
                return z;
            }
            default -> { // only with gz: decompresses to far more than the header declares
                kind[0] = "bomb";
                b = Arrays.copyOf(b, b.length + (1 << (10 + rng.nextInt(11))));
            }
        }
        return gz ? Idx.gzip(b) : b;
    }
}
