package dev.multimax.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multimax.util.AtomicFiles;
import dev.multimax.util.BadInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The resumable checkpoints of one run: {@code RUN/checkpoints/step-XXXXXXXX/} (8-digit global
 * step), each holding its files and a {@code manifest.json} with the size and SHA-256 of every
 * other file.
 *
 * <p>A checkpoint is written into {@code step-XXXXXXXX.tmp-<random>/} (every file atomically and
 * fsynced), the manifest last; then the folder is fsynced and renamed to its final name and the
 * parent fsynced. So a folder with a final name is complete unless its files were damaged later,
 * which the manifest's hashes catch; a kill at any moment leaves at worst a {@code .tmp-} folder
 * and every earlier checkpoint untouched. Older complete checkpoints beyond {@code keep} are
 * deleted only after the new one is in place.
 */
public final class CheckpointDir {
    public static final String MANIFEST = "manifest.json";
    private static final Pattern FINAL = Pattern.compile("step-(\\d{8})");
    private static final Pattern TEMP = Pattern.compile("step-(\\d{8})\\.tmp-.*");

    private final Path dir;
    private final int keep;

    /** Checkpoints of the run in {@code runDir}; {@code keep} ≥ 1 complete ones are kept. */
    public CheckpointDir(Path runDir, int keep) {
        if (keep < 1) throw new IllegalArgumentException("checkpoints to keep must be >= 1, got " + keep);
        this.dir = runDir.resolve("checkpoints");
        this.keep = keep;
    }

    public Path path() {
        return dir;
    }

    /** The folder name of a step's checkpoint. */
    public static String name(int step) {
        if (step < 0 || step > 99_999_999) throw new IllegalArgumentException("step " + step + " outside 8 digits");
        return String.format("step-%08d", step);
    }

    /** Writes a checkpoint's files into a folder. */
    @FunctionalInterface
    public interface Contents {
        void writeInto(Path folder);
    }

    /** Writes step {@code step}'s checkpoint (see the class comment), then prunes; returns its folder. */
    public Path write(int step, Contents contents) {
        Path target = dir.resolve(name(step));
        Path tmp;
        try {
            Files.createDirectories(dir);
            // not Files.createTempDirectory: it makes the folder 0700 and the rename keeps that mode;
            // createDirectory on a random name gets the usual mode from the umask
            tmp = dir.resolve(name(step) + ".tmp-" + Long.toUnsignedString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36));
            Files.createDirectory(tmp);
        } catch (IOException e) {
            throw new BadInput("cannot create checkpoint folder in " + dir + ": " + e.getMessage(), e);
        }
        contents.writeInto(tmp);
        AtomicFiles.write(tmp.resolve(MANIFEST), manifest(tmp, step));
        syncDirectory(tmp);
        try {
            if (Files.exists(target)) {
                // a damaged checkpoint of the same step (skipped on resume): replace it
                Path stale = dir.resolve(name(step) + ".tmp-stale-" + System.nanoTime());
                Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(stale);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new BadInput("cannot rename checkpoint folder " + tmp + " to " + target + ": " + e.getMessage(), e);
        }
        syncDirectory(dir);
        prune(step);
        return target;
    }

    /** Manifest over every regular file in the folder (format, step, and name → size, sha256). */
    private static byte[] manifest(Path folder, int step) {
        JsonObject files = new JsonObject();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path f : s.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.equals(MANIFEST) || n.startsWith(".") || !Files.isRegularFile(f)) continue;
                JsonObject e = new JsonObject();
                e.addProperty("size", Files.size(f));
                e.addProperty("sha256", sha256(f));
                files.add(n, e);
            }
        } catch (IOException e) {
            throw new BadInput("cannot read back checkpoint files in " + folder + ": " + e.getMessage(), e);
        }
        JsonObject m = new JsonObject();
        m.addProperty("format", "multimax-vit-checkpoint");
        m.addProperty("version", 1);
        m.addProperty("step", step);
        m.add("files", files);
        return new GsonBuilder().setPrettyPrinting().create().toJson(m).getBytes(StandardCharsets.UTF_8);
    }

    /** A checkpoint folder and its step. */
    public record Entry(Path folder, int step) {
    }

    /**
     * The newest complete checkpoint (manifest present, every listed file with its size and hash,
     * the required files listed). Every incomplete or damaged one met on the way, and every
     * {@code .tmp-} folder, is reported through {@code report} as one line naming it and why.
     */
    public Optional<Entry> newestComplete(List<String> required, Consumer<String> report) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        List<Entry> finals = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                Matcher f = FINAL.matcher(n);
                if (f.matches() && Files.isDirectory(p)) {
                    finals.add(new Entry(p, Integer.parseInt(f.group(1))));
                } else if (TEMP.matcher(n).matches()) {
                    report.accept("checkpoint " + p + ": incomplete (temporary folder of an interrupted write), skipped");
                }
            }
        } catch (IOException e) {
            throw new BadInput("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        finals.sort(Comparator.comparingInt(Entry::step).reversed());
        for (Entry e : finals) {
            String why = problem(e, required);
            if (why == null) return Optional.of(e);
            report.accept("checkpoint " + e.folder() + ": " + why + ", skipped");
        }
        return Optional.empty();
    }

    /** Why a checkpoint folder is not complete, or null when it is. */
    static String problem(Entry e, List<String> required) {
        Path mf = e.folder().resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) return "incomplete (no " + MANIFEST + ")";
        JsonObject files;
        try {
            JsonObject m = JsonParser.parseString(Files.readString(mf)).getAsJsonObject();
            if (m.get("step").getAsInt() != e.step()) {
                return MANIFEST + " says step " + m.get("step").getAsInt() + ", folder says " + e.step();
            }
            files = m.getAsJsonObject("files");
            if (files == null) return MANIFEST + " lists no files";
        } catch (IOException | RuntimeException ex) {
            return "unreadable " + MANIFEST + " (" + ex.getMessage() + ")";
        }
        for (String r : required) {
            if (!files.has(r)) return MANIFEST + " does not list " + r;
        }
        for (Map.Entry<String, JsonElement> f : new TreeMap<>(files.asMap()).entrySet()) {
            Path p = e.folder().resolve(f.getKey());
            if (!p.normalize().getParent().equals(e.folder().normalize())) return MANIFEST + " names a file outside";
            try {
                JsonObject want = f.getValue().getAsJsonObject();
                if (!Files.isRegularFile(p)) return f.getKey() + " is missing";
                long size = Files.size(p);
                if (size != want.get("size").getAsLong()) {
                    return f.getKey() + " has " + size + " bytes, manifest says " + want.get("size").getAsLong();
                }
                if (!sha256(p).equals(want.get("sha256").getAsString())) return f.getKey() + ": SHA-256 mismatch";
            } catch (IOException | RuntimeException ex) {
                return f.getKey() + ": cannot check (" + ex.getMessage() + ")";
            }
        }
        return null;
    }

    /**
     * After step {@code newest} is in place: keeps the {@code keep} newest folders that have a
     * manifest, deletes every other final-named folder older than {@code newest} (complete or
     * damaged) and every leftover {@code .tmp-} folder.
     */
    private void prune(int newest) {
        List<Entry> old = new ArrayList<>();
        List<Path> temps = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                Matcher f = FINAL.matcher(n);
                if (f.matches()) old.add(new Entry(p, Integer.parseInt(f.group(1))));
                else if (TEMP.matcher(n).matches()) temps.add(p);
            }
        } catch (IOException e) {
            throw new BadInput("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        old.sort(Comparator.comparingInt(Entry::step).reversed());
        int kept = 0;
        for (Entry e : old) {
            if (e.step() > newest) continue;
            if (kept < keep && Files.isRegularFile(e.folder().resolve(MANIFEST))) {
                kept++;
                continue;
            }
            deleteTree(e.folder());
        }
        for (Path t : temps) deleteTree(t);
        syncDirectory(dir);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("warning: cannot delete old checkpoint " + root + ": " + e.getMessage());
        }
    }

    private static void syncDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // best effort: platforms that cannot open a folder as a channel (file contents are synced)
        }
    }
}
