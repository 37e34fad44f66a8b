package dev.multimax.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.multimax.util.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random corruptions of a valid file must load or fail with a UserError, quickly. */
class SafetensorsFuzzTest {
    @TempDir
    Path dir;

    @Test
    void corruptionsLoadOrFailCleanly() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsRoundTripTest.sample().write(good);
        byte[] original = Files.readAllBytes(good);
        int headerEnd = 8 + (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SplittableRandom rng = new SplittableRandom(20240611L);
        int loaded = 0;
        for (int round = 0; round < 200; round++) {
            byte[] bad = corrupt(original, headerEnd, rng);
            Path p = Files.write(dir.resolve("fuzz.safetensors"), bad);
            long start = System.nanoTime();
            try {
                SafetensorsFile f = SafetensorsFile.read(p);
                for (String name : f.names()) {
                    touch(f, name);
                }
                loaded++;
            } catch (UserError e) {
                assertThat(e.getMessage()).startsWith(p + ": ").doesNotContain("\n");
            } catch (Throwable t) {
                fail("round " + round + ": " + t + " for bytes " + Arrays.toString(bad), t);
            }
            assertThat(System.nanoTime() - start).as("round %d took too long", round).isLessThan(1_000_000_000L);
        }
        assertThat(loaded).isLessThan(200);
    }

    /** Reading any tensor through its natural accessor must also only ever throw UserError. */
    private static void touch(SafetensorsFile f, String name) {
        if (f.dtype(name).isInteger()) {
            f.longs(name);
        } else {
            try {
                f.doubles(name);
            } catch (UserError e) {
                // F16 and friends are not convertible; that is reported, not crashed
            }
        }
    }

    private static byte[] corrupt(byte[] original, int headerEnd, SplittableRandom rng) {
        byte[] b = original.clone();
        switch (rng.nextInt(4)) {
            case 0 -> { // bit flips in the header JSON
                for (int k = 1 + rng.nextInt(3); k > 0; k--) {
                    b[8 + rng.nextInt(headerEnd - 8)] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, rng.nextInt(b.length)); // truncation
            case 2 -> { // huge or random length field
                long n = rng.nextBoolean() ? rng.nextLong() : (1L << (32 + rng.nextInt(31)));
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
            }
            default -> { // a digit or bracket of the JSON replaced by another
                int at = 8 + rng.nextInt(headerEnd - 8);
                b[at] = (byte) "0123456789[]{},:\"-.e ".charAt(rng.nextInt(21));
            }
        }
        return b;
    }
}
