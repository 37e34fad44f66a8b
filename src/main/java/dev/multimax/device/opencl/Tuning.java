package dev.multimax.device.opencl;

import dev.multimax.device.DeviceInfo;
import dev.multimax.util.BadInput;
import java.util.List;

/**
 * Launch parameters per device type: data, not branches in binders (STYLE.md). Binders read these
 * and may add their own per-family fields here.
 *
 * <p>The row is picked from {@link #TABLE} by the device's type and vendor; {@code -Dmultimax.opencl.tuning=cpu|gpu|accel}
 * overrides that for every OpenCL device of the process (e.g. to run the GPU kernels on PoCL), and
 * tests open a device with a given table through {@code OpenClDevice.open(id, tuning)}, since CI
 * has no GPU.
 *
 * @param kind             {@code cpu}, {@code gpu} or {@code accel}: first word of every variant string
 * @param elementwiseLocal work-group size of one-item-per-element kernels (PoCL runs a work-group as
 *                         a loop it vectorises, so large groups are cheap; GPUs like 256)
 * @param reduceRows       rows summed by one work-item in the first pass of a column reduction;
 *                         equal to the Java device's chunk (LinearKernels.ROW_CHUNK) so the sums
 *                         are added in the same order as on java:0
 * @param rowLocal         work-group size of one-item-per-row kernels (softmax, MultiMax rows,
 *                         modulator chunks): rows of the real model number ~19k, so 64 keeps
 *                         enough groups for every core
 * @param rowGroup         0: one work-item per row, plain loops, no local memory (CPU); a power of
 *                         two WG: one work-group of WG items per row, reductions by a tree in local
 *                         memory (GPU): softmax, MultiMax and LayerNorm rows
 * @param fp64             accumulate row sums in double where the device has cl_khr_fp64 (false
 *                         skips it, e.g. on GPUs with slow fp64; tests use it to run the float path)
 * @param attnVector       attention products: 8 or 16 = the register-tiled CPU kernels, one item per
 *                         (b, h) head, blocks of {@code attnRows} rows × 2 vectors of this many
 *                         floats; 1 = one scalar item per output element (GPU: coalesced along the
 *                         contiguous axis)
 * @param attnLocalX       attention products: work-group extent along the output's contiguous axis
 *                         (the tiled CPU kernels: heads per work-group)
 * @param attnLocalY       attention products: rows per work-group (unused by the tiled kernels)
 * @param attnRows         the tiled CPU kernels: rows of the register block (RB)
 * @param attnItems        the tiled CPU kernels: at most this many work-items, each taking every
 *                         attnItems-th head (its Kᵀ/Vᵀ scratch slot reused, so it stays in cache)
 * @param elementVector    element-wise kernels with vector variants (GELU): elements per item, 16 =
 *                         the float16 kernels (CPU: PoCL leaves exp() scalar unless it is spelled
 *                         on vectors), 1 = one item per element
 * @param matmul           the matmul variant (tasks/matmul.cl)
 */
public record Tuning(String kind, int elementwiseLocal, int reduceRows, int rowLocal, int rowGroup, boolean fp64,
                     int attnVector, int attnLocalX, int attnLocalY, int attnRows, int attnItems, int elementVector,
                     MatmulTiles matmul) {
    /** System property that forces one table for every OpenCL device. */
    public static final String PROPERTY = "multimax.opencl.tuning";

    /**
     * Matmul variant. {@code reg}: one work-item per {@code tileM × tileN} block of C held in registers
     * (tileN = 32: two float16), no local memory, groups of {@code localX × localY} items, shrunk by the
     * binder while there are fewer than {@code minGroups} groups. {@code local}: work-groups of
     * {@code localX × localY} compute {@code tileM × tileN} tiles through {@code tileK}-deep tiles in local
     * memory, each item a {@code tileM/localY × tileN/localX} micro-tile. {@code reg} splits K into chunks
     * of at most {@code kChunk} (partials in scratch, then an in-order sum) when C has fewer than
     * {@code splitBelowItems} blocks (0: never).
     */
    public record MatmulTiles(String name, int tileM, int tileN, int tileK, int localX, int localY, int minGroups,
                              int kChunk, int splitBelowItems) {
    }

    /** PoCL and other OpenCL CPU devices: register-tiled, vectorised kernels, no local memory. */
    static final Tuning CPU = builder("cpu").elementwiseLocal(256).reduceRows(256).rowLocal(64).rowGroup(0).fp64(true)
            .attnVector(16).attnLocalX(2).attnLocalY(1).attnRows(4).attnItems(64).elementVector(16)
            .matmul(new MatmulTiles("reg", 8, 32, 0, 4, 4, 32, 512, 512)).build();
    /** GPUs: work-group-per-row reductions in local memory, scalar coalesced attention, local-memory matmul tiles. */
    static final Tuning GPU = builder("gpu").elementwiseLocal(256).reduceRows(256).rowLocal(64).rowGroup(64).fp64(true)
            .attnVector(1).attnLocalX(32).attnLocalY(8).attnRows(4).attnItems(64).elementVector(1)
            .matmul(new MatmulTiles("local", 64, 64, 16, 16, 16, 0, 0, 0)).build();
    /** Other accelerators: the CPU row and attention kernels, smaller local-memory matmul tiles. */
    static final Tuning ACCELERATOR = builder("accel").elementwiseLocal(128).reduceRows(256).rowLocal(64).rowGroup(0)
            .fp64(true).attnVector(16).attnLocalX(2).attnLocalY(1).attnRows(4).attnItems(64).elementVector(16)
            .matmul(new MatmulTiles("local", 32, 32, 16, 8, 8, 0, 0, 0)).build();

    /**
     * One row of the table: the tuning for devices of an OpenCL type ({@code CPU}, {@code GPU},
     * {@code ACCELERATOR}) whose name or details contain {@code vendor} ({@code ""}: any vendor).
     */
    record Row(String type, String vendor, Tuning tuning) {
        boolean matches(DeviceInfo info) {
            String who = (info.name() + " " + info.details()).toLowerCase(java.util.Locale.ROOT);
            return info.type().equals(type) && who.contains(vendor.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * The table, searched top to bottom for the first matching row, so vendor-specific rows go
     * above their type's catch-all (as in CLBlast's database). Only the catch-alls are measured
     * so far: the GPU row has run on PoCL only, forced, never on GPU hardware.
     */
    static final List<Row> TABLE = List.of(
            new Row("GPU", "", GPU),
            new Row("ACCELERATOR", "", ACCELERATOR),
            new Row("CPU", "", CPU));

    public Tuning {
        if (rowGroup < 0 || Integer.bitCount(rowGroup) > 1) throw new IllegalArgumentException("rowGroup: 0 or a power of two");
    }

    /** The same tuning with another kind, row group and fp64 choice (test overrides). */
    Tuning with(String kind, int rowGroup, boolean fp64) {
        return toBuilder().kind(kind).rowGroup(rowGroup).fp64(fp64).build();
    }

    /**
     * This tuning with the GPU kernels of the row ops (one work-group of {@code rowGroup} items per
     * row), of attention and of GELU (scalar, one item per element): tests run them on PoCL this way.
     */
    Tuning withGpuKernels(int rowGroup) {
        return toBuilder().rowGroup(rowGroup).attnVector(1).attnLocalX(GPU.attnLocalX).attnLocalY(GPU.attnLocalY)
                .elementVector(1).build();
    }

    /** The first row of {@link #TABLE} for this device, or the one {@value #PROPERTY} names; CPU when none matches. */
    static Tuning of(DeviceInfo info) {
        String forced = System.getProperty(PROPERTY, "").strip();
        if (!forced.isEmpty()) return named(forced);
        for (Row r : TABLE) {
            if (r.matches(info)) return r.tuning();
        }
        return CPU;
    }

    /** The table's tuning for {@code info}, for backends outside this package (a CUDA GPU gets the GPU row). */
    public static Tuning forType(DeviceInfo info) {
        return of(info);
    }

    static Builder builder(String kind) {
        return new Builder().kind(kind);
    }

    Builder toBuilder() {
        return new Builder().kind(kind).elementwiseLocal(elementwiseLocal).reduceRows(reduceRows).rowLocal(rowLocal)
                .rowGroup(rowGroup).fp64(fp64).attnVector(attnVector).attnLocalX(attnLocalX).attnLocalY(attnLocalY)
                .attnRows(attnRows).attnItems(attnItems).elementVector(elementVector).matmul(matmul);
    }

    /** Builds a row field by field, by name (the record's fields are documented above). */
    static final class Builder {
        private String kind;
        private int elementwiseLocal;
        private int reduceRows;
        private int rowLocal;
        private int rowGroup;
        private boolean fp64;
        private int attnVector;
        private int attnLocalX;
        private int attnLocalY;
        private int attnRows;
        private int attnItems;
        private int elementVector;
        private MatmulTiles matmul;

        Builder kind(String v) {
            kind = v;
            return this;
        }

        Builder elementwiseLocal(int v) {
            elementwiseLocal = v;
            return this;
        }

        Builder reduceRows(int v) {
            reduceRows = v;
            return this;
        }

        Builder rowLocal(int v) {
            rowLocal = v;
            return this;
        }

        Builder rowGroup(int v) {
            rowGroup = v;
            return this;
        }

        Builder fp64(boolean v) {
            fp64 = v;
            return this;
        }

        Builder attnVector(int v) {
            attnVector = v;
            return this;
        }

        Builder attnLocalX(int v) {
            attnLocalX = v;
            return this;
        }

        Builder attnLocalY(int v) {
            attnLocalY = v;
            return this;
        }

        Builder attnRows(int v) {
            attnRows = v;
            return this;
        }

        Builder attnItems(int v) {
            attnItems = v;
            return this;
        }

        Builder elementVector(int v) {
            elementVector = v;
            return this;
        }

        Builder matmul(MatmulTiles v) {
            matmul = v;
            return this;
        }

        Tuning build() {
            if (kind == null || matmul == null) throw new IllegalStateException("a tuning needs a kind and a matmul variant");
            return new Tuning(kind, elementwiseLocal, reduceRows, rowLocal, rowGroup, fp64, attnVector, attnLocalX,
                    attnLocalY, attnRows, attnItems, elementVector, matmul);
        }
    }

    /** The table called {@code kind} ({@code cpu}, {@code gpu}, {@code accel}). */
    public static Tuning named(String kind) {
        return switch (kind) {
            case "cpu" -> CPU;
            case "gpu" -> GPU;
            case "accel" -> ACCELERATOR;
            default -> throw new BadInput("-D" + PROPERTY + "=" + kind + ": expected cpu, gpu or accel");
        };
    }
}
