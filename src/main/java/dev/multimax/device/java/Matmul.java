package dev.multimax.device.java;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense fp32 matrix multiply on the CPU with the Vector API (GotoBLAS-style blocking).
 *
 * <p>Design: {@code op(B)} is packed once per call into column panels of {@code NR = 2} vector
 * lengths (zero padded at the right edge), one contiguous {@code kLen x NR} panel per k-block.
 * A register-blocked micro-kernel computes an {@code MR x NR} tile of C with {@code 2*MR}
 * vector accumulators, broadcasting scalars of A: A stored [K,M] is read in place (the MR rows
 * of a tile are adjacent); A stored [M,K] is read in place by row pointers when few panels reuse
 * it, else packed per task and k-block into [k][MR] micro-panels; a ragged last row tile is
 * always copied into a zero-padded buffer. When m is small B stored [K,N] is read in place
 * (row stride n) instead of packed, since packing would cost as much as the product. Each k-block's partial sum is added into C.
 *
 * <p>Determinism: the k-blocking depends only on {@code k}, and every C element is computed by
 * the same sequence of fused multiply-adds (in k order within a block, then {@code C + partial}
 * per block) whichever tile, task or thread handles it. Work is split by output tiles only, so
 * results are bitwise identical for any thread count.
 *
 * <p>JIT robustness (JDK 17): C2 intrinsifies a Vector API instance call only when it knows the
 * receiver's exact vector class. At parse time a vector from fromArray/broadcast, a loop phi or the
 * result of a late-inlined call is only known as {@code FloatVector}, so the call is inlined behind a
 * type-profile guard; once the compilation has summed "too many" class_check traps (the count is
 * added up over every inlined Vector API method, so it grows with the kernel's size and depends on
 * what other vector code ran), that guard falls back to a real virtual call, the species is no
 * longer constant, the intrinsic fails and every vector is boxed (~10x slower, GBs of garbage).
 * The kernels therefore compare each receiver's class with {@link #VC} before using it
 * ({@code if (x.getClass() != VC) throw}): C2 narrows x to the exact class after such a test
 * without any profile, and the test folds away once the vectors are intrinsified. Operands need
 * no test: the library's own class check narrows them the same way.
 */
public final class Matmul {
    private Matmul() {
    }

    static final VectorSpecies<Float> V = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = V.length();
    /** Columns per B panel / micro-tile (two vectors). */
    static final int NR = 2 * L;
    /** The concrete vector class of V; the kernels compare against it (see class comment). */
    private static final Class<?> VC = V.vectorType();
    /** The parameters below, as one row (defaults, or -Dmultimax.matmul.* overrides). */
    static final MatmulTuning TUNING = MatmulTuning.fromProperties(L);
    /** Rows per micro-tile. */
    static final int MR = TUNING.mr();
    /** Largest k-block; the actual block is k split evenly into ceil(k / KC_MAX) pieces. */
    static final int KC_MAX = TUNING.kc();
    /** Most micro-tile rows per task (row block height = MC_TILES * MR). */
    static final int MC_TILES = TUNING.mcTiles();
    /** Tasks per thread aimed for when splitting work. */
    static final int TASKS_PER_THREAD = TUNING.tasksPerThread();

    /** Tuning switch: pack A also when it is stored [K,M]. */
    static final boolean DIRECT_OFF = TUNING.packTransA();
    /** A stored [M,K] is packed per k-block when a task covers at least this many panels (else read in place). */
    static final int PACK_A_MIN_PANELS = TUNING.packAMinPanels();
    /** B stored [K,N] is read in place (full panels only) when m is at most this. */
    static final int B_DIRECT_MAX_M = TUNING.bDirectMaxM();

    private static final class Scratch {
        final float[] tmp = new float[MR * NR];
        float[] aPad = new float[0];
        float[] bPack = new float[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** C[M,N] (= or +=) op(A)[M,K] · op(B)[K,N]; row-major dense storage; A is stored [M,K], or [K,M] when transA;
     *  B is stored [K,N], or [N,K] when transB; offsets index into the arrays. */
    public static void matmul(Parallel par, float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                              int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative matmul shape m=" + m + " n=" + n + " k=" + k);
        }
        checkRange("c", c, cOff, (long) m * n);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        checkRange("a", a, aOff, (long) m * k);
        checkRange("b", b, bOff, (long) k * n);

        final int nkb = (k + KC_MAX - 1) / KC_MAX;
        final int kc = (k + nkb - 1) / nkb;
        final int panels = (n + NR - 1) / NR;

        // ---- pack op(B) into [k-block][panel][kLen][NR] ----
        Scratch own = SCRATCH.get();
        long packLen = (long) panels * NR * k;
        if (packLen > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("matmul B too large: n=" + n + " k=" + k);
        if (own.bPack.length < packLen) own.bPack = new float[(int) packLen];
        final float[] bp = own.bPack;
        // B stored [K,N] with little reuse (small m) is read in place, except a ragged last panel.
        final boolean bDirect = !transB && m <= B_DIRECT_MAX_M;
        final int packPanels = bDirect ? (n % NR == 0 ? 0 : 1) : panels;
        final int firstPacked = panels - packPanels;
        int packTasks = nkb * packPanels;
        if (par.threads() > 1 && (long) packTasks * NR * kc >= (1 << 16) && packTasks > 1) {
            par.forEach(packTasks, t -> packB(b, bOff, n, k, transB, kc, panels, t / packPanels,
                    firstPacked + t % packPanels, bp));
        } else {
            for (int t = 0; t < packTasks; t++) {
                packB(b, bOff, n, k, transB, kc, panels, t / packPanels, firstPacked + t % packPanels, bp);
            }
        }

        // ---- split C into tasks of row blocks x panel groups ----
        final int rowTiles = (m + MR - 1) / MR;
        int target = par.threads() == 1 ? 1 : par.threads() * TASKS_PER_THREAD;
        int tilesPerBlock = Math.max(1, Math.min(MC_TILES, (rowTiles + target - 1) / target));
        int rowBlocks = (rowTiles + tilesPerBlock - 1) / tilesPerBlock;
        int panelsPerGroup = panels;
        if (rowBlocks < target) {
            int groups = Math.min(panels, (target + rowBlocks - 1) / rowBlocks);
            panelsPerGroup = (panels + groups - 1) / groups;
        }
        final int tpb = tilesPerBlock;
        final int ppg = panelsPerGroup;
        final int colGroups = (panels + ppg - 1) / ppg;
        par.forEach(rowBlocks * colGroups, t -> {
            int rb = t / colGroups, cg = t % colGroups;
            int tile0 = rb * tpb, tile1 = Math.min(rowTiles, tile0 + tpb);
            int p0 = cg * ppg, p1 = Math.min(panels, p0 + ppg);
            runTask(c, cOff, a, aOff, transA, b, bOff, bDirect ? firstPacked : 0, bp, m, n, k, kc, panels, tile0, tile1,
                    p0, p1, accumulate);
        });
    }

    private static void checkRange(String name, float[] arr, int off, long len) {
        if (off < 0 || off + len > arr.length) {
            throw new IndexOutOfBoundsException("matmul " + name + ": offset " + off + " + length " + len
                    + " exceeds array length " + arr.length);
        }
    }

    private static void packB(float[] b, int bOff, int n, int k, boolean transB, int kc, int panels,
                              int kb, int panel, float[] bp) {
        int k0 = kb * kc, kl = Math.min(kc, k - k0);
        int j0 = panel * NR, cols = Math.min(NR, n - j0);
        int base = k0 * panels * NR + panel * kl * NR;
        if (!transB) {
            for (int p = 0; p < kl; p++) {
                int src = bOff + (k0 + p) * n + j0, dst = base + p * NR;
                System.arraycopy(b, src, bp, dst, cols);
                if (cols < NR) Arrays.fill(bp, dst + cols, dst + NR, 0f);
            }
        } else {
            for (int j = 0; j < cols; j++) {
                int src = bOff + (j0 + j) * k + k0, dst = base + j;
                for (int p = 0; p < kl; p++) bp[dst + p * NR] = b[src + p];
            }
            if (cols < NR) {
                for (int p = 0; p < kl; p++) Arrays.fill(bp, base + p * NR + cols, base + (p + 1) * NR, 0f);
            }
        }
    }

    /** One task: row tiles [tile0, tile1) x panels [p0, p1); panels below {@code directPanels} read B in place. */
    private static void runTask(float[] c, int cOff, float[] a, int aOff, boolean transA, float[] b, int bOff,
                                int directPanels, float[] bp, int m, int n, int k, int kc, int panels, int tile0,
                                int tile1, int p0, int p1, boolean accumulate) {
        Scratch s = SCRATCH.get();
        float[] tmp = s.tmp;
        int tiles = tile1 - tile0;
        int lastRows = m - (tile1 - 1) * MR;          // rows in this task's last tile
        boolean ragged = lastRows < MR;
        // Full tiles read A in place when that is cheap: stored [K,M] (transA) the MR rows of a tile are adjacent
        // (stride m along k); stored [M,K] each row is a contiguous run, read in place when few panels reuse it,
        // else packed per k-block into [tile][p][MR]. A ragged last tile is always packed, zero padded.
        boolean direct = transA ? !DIRECT_OFF : p1 - p0 < PACK_A_MIN_PANELS;
        int fullTiles = ragged ? tiles - 1 : tiles;
        int packTiles = direct ? (ragged ? 1 : 0) : tiles;
        if (packTiles > 0 && s.aPad.length < packTiles * MR * kc) s.aPad = new float[packTiles * MR * kc];
        float[] aPad = s.aPad;
        for (int k0 = 0; k0 < k; k0 += kc) {
            int kl = Math.min(kc, k - k0);
            boolean add = accumulate || k0 > 0;
            if (!direct) {
                for (int t = 0; t < fullTiles; t++) packTile(a, aOff, transA, m, k, tile0 + t, MR, k0, kl, aPad, t * MR * kl);
            }
            if (ragged) packTile(a, aOff, transA, m, k, tile1 - 1, lastRows, k0, kl, aPad, direct ? 0 : fullTiles * MR * kl);
            for (int panel = p0; panel < p1; panel++) {
                int j0 = panel * NR, cols = Math.min(NR, n - j0);
                float[] bArr;
                int bBase, bs;
                if (panel < directPanels) {
                    bArr = b;
                    bBase = bOff + k0 * n + j0;
                    bs = n;
                } else {
                    bArr = bp;
                    bBase = k0 * panels * NR + panel * kl * NR;
                    bs = NR;
                }
                for (int t = 0; t < fullTiles; t++) {
                    int i0 = (tile0 + t) * MR;
                    int cBase = cOff + i0 * n + j0;
                    if (!direct) {
                        tile(true, kl, aPad, t * MR * kl, MR, bArr, bBase, bs, c, cBase, n, MR, cols, add, tmp);
                    } else if (transA) {
                        tile(true, kl, a, aOff + k0 * m + i0, m, bArr, bBase, bs, c, cBase, n, MR, cols, add, tmp);
                    } else {
                        tile(false, kl, a, aOff + i0 * k + k0, k, bArr, bBase, bs, c, cBase, n, MR, cols, add, tmp);
                    }
                }
                if (ragged) {
                    int i0 = (tile1 - 1) * MR;
                    tile(true, kl, aPad, direct ? 0 : fullTiles * MR * kl, MR, bArr, bBase, bs,
                            c, cOff + i0 * n + j0, n, lastRows, cols, add, tmp);
                }
            }
        }
    }

    /** Copies rows [tile*MR, tile*MR + rows) x k-range [k0, k0+kl) of op(A) into dst[off + p*MR + r], zero padded. */
    private static void packTile(float[] a, int aOff, boolean transA, int m, int k, int tile, int rows, int k0, int kl,
                                 float[] dst, int off) {
        int i0 = tile * MR;
        if (transA) {
            for (int p = 0; p < kl; p++) {
                int src = aOff + (k0 + p) * m + i0, d = off + p * MR;
                System.arraycopy(a, src, dst, d, rows);
                for (int r = rows; r < MR; r++) dst[d + r] = 0f;
            }
        } else {
            for (int r = 0; r < MR; r++) {
                if (r < rows) {
                    int src = aOff + (i0 + r) * k + k0;
                    for (int p = 0; p < kl; p++) dst[off + p * MR + r] = a[src + p];
                } else {
                    for (int p = 0; p < kl; p++) dst[off + p * MR + r] = 0f;
                }
            }
        }
    }

    /** One MR x NR tile of C (= or +=) A-tile · B-panel over kc steps; a partial tile goes through {@code tmp}.
     *  {@code packed}: A element (r,p) at a[aBase + r + p*aStride], else at a[aBase + r*aStride + p]. */
    private static void tile(boolean packed, int kc, float[] a, int aBase, int aStride, float[] b, int bBase, int bs,
                             float[] c, int cBase, int ldc, int rows, int cols, boolean add, float[] tmp) {
        if (rows == MR && cols == NR) {
            kernel(packed, kc, a, aBase, aStride, b, bBase, bs, c, cBase, ldc, add);
        } else {
            kernel(packed, kc, a, aBase, aStride, b, bBase, bs, tmp, 0, NR, false);
            for (int r = 0; r < rows; r++) {
                int o = cBase + r * ldc, t = r * NR;
                if (add) {
                    for (int j = 0; j < cols; j++) c[o + j] += tmp[t + j];
                } else {
                    System.arraycopy(tmp, t, c, o, cols);
                }
            }
        }
    }

    private static AssertionError notExact() {
        return new AssertionError("vector is not a " + VC.getName());
    }

    private static void kernel(boolean packed, int kc, float[] a, int aBase, int aStride, float[] b, int bBase, int bs,
                               float[] c, int cBase, int ldc, boolean add) {
        if (MR == 8) {
            if (packed) kernel8p(kc, a, aBase, aStride, b, bBase, bs, c, cBase, ldc, add);
            else kernel8r(kc, a, aBase, aStride, b, bBase, bs, c, cBase, ldc, add);
        } else {
            if (packed) kernel6p(kc, a, aBase, aStride, b, bBase, bs, c, cBase, ldc, add);
            else kernel6r(kc, a, aBase, aStride, b, bBase, bs, c, cBase, ldc, add);
        }
    }

    /** 8 x 2V tile; A element (r,p) at a[ai + r + p*ks] (packed, or stored [K,M]); B row p at b[bi + p*bs]. */
    private static void kernel8p(int kc, float[] a, int ai, int ks, float[] b, int bi, int bs,
                                 float[] c, int ci, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(V);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++, ai += ks, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(V, b, bi), b1 = FloatVector.fromArray(V, b, bi + L), av;
            if (b0.getClass() != VC || b1.getClass() != VC) throw notExact();
            av = FloatVector.broadcast(V, a[ai + 0]); c00 = b0.fma(av, c00); c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(V, a[ai + 1]); c10 = b0.fma(av, c10); c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(V, a[ai + 2]); c20 = b0.fma(av, c20); c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(V, a[ai + 3]); c30 = b0.fma(av, c30); c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(V, a[ai + 4]); c40 = b0.fma(av, c40); c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(V, a[ai + 5]); c50 = b0.fma(av, c50); c51 = b1.fma(av, c51);
            av = FloatVector.broadcast(V, a[ai + 6]); c60 = b0.fma(av, c60); c61 = b1.fma(av, c61);
            av = FloatVector.broadcast(V, a[ai + 7]); c70 = b0.fma(av, c70); c71 = b1.fma(av, c71);
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC ||
                c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC ||
                c40.getClass() != VC || c41.getClass() != VC || c50.getClass() != VC || c51.getClass() != VC ||
                c60.getClass() != VC || c61.getClass() != VC || c70.getClass() != VC ||
                c71.getClass() != VC) throw notExact();
        if (add) {
            c00 = c00.add(FloatVector.fromArray(V, c, ci + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(V, c, ci + 0 * ldc + L));
            c10 = c10.add(FloatVector.fromArray(V, c, ci + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(V, c, ci + 1 * ldc + L));
            c20 = c20.add(FloatVector.fromArray(V, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(V, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(V, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(V, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(V, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(V, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(V, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(V, c, ci + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(V, c, ci + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(V, c, ci + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(V, c, ci + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(V, c, ci + 7 * ldc + L));
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC ||
                c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC ||
                c40.getClass() != VC || c41.getClass() != VC || c50.getClass() != VC || c51.getClass() != VC ||
                c60.getClass() != VC || c61.getClass() != VC || c70.getClass() != VC ||
                c71.getClass() != VC) throw notExact();
        c00.intoArray(c, ci + 0 * ldc); c01.intoArray(c, ci + 0 * ldc + L);
        c10.intoArray(c, ci + 1 * ldc); c11.intoArray(c, ci + 1 * ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
    }

    /** 8 x 2V tile; A element (r,p) at a[ai + r*rs + p] (stored [M,K], read in place); B row p at b[bi + p*bs]. */
    private static void kernel8r(int kc, float[] a, int ai, int rs, float[] b, int bi, int bs,
                                 float[] c, int ci, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(V);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int a0 = ai + 0 * rs, a1 = ai + 1 * rs, a2 = ai + 2 * rs, a3 = ai + 3 * rs;
        int a4 = ai + 4 * rs, a5 = ai + 5 * rs, a6 = ai + 6 * rs, a7 = ai + 7 * rs;
        for (int p = 0; p < kc; p++, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(V, b, bi), b1 = FloatVector.fromArray(V, b, bi + L), av;
            if (b0.getClass() != VC || b1.getClass() != VC) throw notExact();
            av = FloatVector.broadcast(V, a[a0 + p]); c00 = b0.fma(av, c00); c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(V, a[a1 + p]); c10 = b0.fma(av, c10); c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(V, a[a2 + p]); c20 = b0.fma(av, c20); c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(V, a[a3 + p]); c30 = b0.fma(av, c30); c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(V, a[a4 + p]); c40 = b0.fma(av, c40); c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(V, a[a5 + p]); c50 = b0.fma(av, c50); c51 = b1.fma(av, c51);
            av = FloatVector.broadcast(V, a[a6 + p]); c60 = b0.fma(av, c60); c61 = b1.fma(av, c61);
            av = FloatVector.broadcast(V, a[a7 + p]); c70 = b0.fma(av, c70); c71 = b1.fma(av, c71);
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC ||
                c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC ||
                c40.getClass() != VC || c41.getClass() != VC || c50.getClass() != VC || c51.getClass() != VC ||
                c60.getClass() != VC || c61.getClass() != VC || c70.getClass() != VC ||
                c71.getClass() != VC) throw notExact();
        if (add) {
            c00 = c00.add(FloatVector.fromArray(V, c, ci + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(V, c, ci + 0 * ldc + L));
            c10 = c10.add(FloatVector.fromArray(V, c, ci + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(V, c, ci + 1 * ldc + L));
            c20 = c20.add(FloatVector.fromArray(V, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(V, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(V, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(V, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(V, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(V, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(V, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(V, c, ci + 5 * ldc + L));
            c60 = c60.add(FloatVector.fromArray(V, c, ci + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(V, c, ci + 6 * ldc + L));
            c70 = c70.add(FloatVector.fromArray(V, c, ci + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(V, c, ci + 7 * ldc + L));
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC ||
                c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC ||
                c40.getClass() != VC || c41.getClass() != VC || c50.getClass() != VC || c51.getClass() != VC ||
                c60.getClass() != VC || c61.getClass() != VC || c70.getClass() != VC ||
                c71.getClass() != VC) throw notExact();
        c00.intoArray(c, ci + 0 * ldc); c01.intoArray(c, ci + 0 * ldc + L);
        c10.intoArray(c, ci + 1 * ldc); c11.intoArray(c, ci + 1 * ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
    }

    /** 6 x 2V tile; A element (r,p) at a[ai + r + p*ks] (packed, or stored [K,M]); B row p at b[bi + p*bs]. */
    private static void kernel6p(int kc, float[] a, int ai, int ks, float[] b, int bi, int bs,
                                 float[] c, int ci, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(V);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++, ai += ks, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(V, b, bi), b1 = FloatVector.fromArray(V, b, bi + L), av;
            if (b0.getClass() != VC || b1.getClass() != VC) throw notExact();
            av = FloatVector.broadcast(V, a[ai + 0]); c00 = b0.fma(av, c00); c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(V, a[ai + 1]); c10 = b0.fma(av, c10); c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(V, a[ai + 2]); c20 = b0.fma(av, c20); c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(V, a[ai + 3]); c30 = b0.fma(av, c30); c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(V, a[ai + 4]); c40 = b0.fma(av, c40); c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(V, a[ai + 5]); c50 = b0.fma(av, c50); c51 = b1.fma(av, c51);
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC ||
                c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC ||
                c40.getClass() != VC || c41.getClass() != VC || c50.getClass() != VC ||
                c51.getClass() != VC) throw notExact();
        if (add) {
            c00 = c00.add(FloatVector.fromArray(V, c, ci + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(V, c, ci + 0 * ldc + L));
            c10 = c10.add(FloatVector.fromArray(V, c, ci + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(V, c, ci + 1 * ldc + L));
            c20 = c20.add(FloatVector.fromArray(V, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(V, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(V, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(V, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(V, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(V, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(V, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(V, c, ci + 5 * ldc + L));
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC ||
                c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC ||
                c40.getClass() != VC || c41.getClass() != VC || c50.getClass() != VC ||
                c51.getClass() != VC) throw notExact();
        c00.intoArray(c, ci + 0 * ldc); c01.intoArray(c, ci + 0 * ldc + L);
        c10.intoArray(c, ci + 1 * ldc); c11.intoArray(c, ci + 1 * ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
    }

    /** 6 x 2V tile; A element (r,p) at a[ai + r*rs + p] (stored [M,K], read in place); B row p at b[bi + p*bs]. */
    private static void kernel6r(int kc, float[] a, int ai, int rs, float[] b, int bi, int bs,
                                 float[] c, int ci, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(V);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z;
        int a0 = ai + 0 * rs, a1 = ai + 1 * rs, a2 = ai + 2 * rs, a3 = ai + 3 * rs;
        int a4 = ai + 4 * rs, a5 = ai + 5 * rs;
        for (int p = 0; p < kc; p++, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(V, b, bi), b1 = FloatVector.fromArray(V, b, bi + L), av;
            if (b0.getClass() != VC || b1.getClass() != VC) throw notExact();
            av = FloatVector.broadcast(V, a[a0 + p]); c00 = b0.fma(av, c00); c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(V, a[a1 + p]); c10 = b0.fma(av, c10); c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(V, a[a2 + p]); c20 = b0.fma(av, c20); c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(V, a[a3 + p]); c30 = b0.fma(av, c30); c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(V, a[a4 + p]); c40 = b0.fma(av, c40); c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(V, a[a5 + p]); c50 = b0.fma(av, c50); c51 = b1.fma(av, c51);
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC ||
                c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC ||
                c40.getClass() != VC || c41.getClass() != VC || c50.getClass() != VC ||
                c51.getClass() != VC) throw notExact();
        if (add) {
            c00 = c00.add(FloatVector.fromArray(V, c, ci + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(V, c, ci + 0 * ldc + L));
            c10 = c10.add(FloatVector.fromArray(V, c, ci + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(V, c, ci + 1 * ldc + L));
            c20 = c20.add(FloatVector.fromArray(V, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(V, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(V, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(V, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(V, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(V, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(V, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(V, c, ci + 5 * ldc + L));
        }
        if (c00.getClass() != VC || c01.getClass() != VC || c10.getClass() != VC || c11.getClass() != VC ||
                c20.getClass() != VC || c21.getClass() != VC || c30.getClass() != VC || c31.getClass() != VC ||
                c40.getClass() != VC || c41.getClass() != VC || c50.getClass() != VC ||
                c51.getClass() != VC) throw notExact();
        c00.intoArray(c, ci + 0 * ldc); c01.intoArray(c, ci + 0 * ldc + L);
        c10.intoArray(c, ci + 1 * ldc); c11.intoArray(c, ci + 1 * ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
    }

}
