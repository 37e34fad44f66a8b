package dev.multimax.device.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multimax.device.ref.RefLinear;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MatmulTest {
    private static Parallel par1;
    private static Parallel par2;
    private static Parallel par3;

    @BeforeAll
    static void setUp() {
        par1 = new Parallel(1);
        par2 = new Parallel(2);
        par3 = new Parallel(3);
    }

    @AfterAll
    static void tearDown() {
        par1.close();
        par2.close();
        par3.close();
    }

    /** ref:0's C (= or +=) op(A)·op(B) on the slices, rounded to float, as the expected result. */
    static void reference(float[] c, int cOff, float[] a, int aOff, float[] b, int bOff,
                          int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        double[] cd = new double[m * n];
        for (int i = 0; i < m * n; i++) cd[i] = c[cOff + i];
        double[] ad = new double[m * k];
        for (int i = 0; i < m * k; i++) ad[i] = a[aOff + i];
        double[] bd = new double[k * n];
        for (int i = 0; i < k * n; i++) bd[i] = b[bOff + i];
        RefLinear.matmul(cd, ad, bd, m, n, k, transA, transB, accumulate);
        for (int i = 0; i < m * n; i++) c[cOff + i] = (float) cd[i];
    }

    private static final float SENTINEL = -12345.5f;

    private static float[] random(SplittableRandom rnd, int off, int len, int tail) {
        float[] x = new float[off + len + tail];
        Arrays.fill(x, SENTINEL);
        for (int i = 0; i < len; i++) x[off + i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static float maxAbs(float[] x, int off, int len) {
        float mx = 0;
        for (int i = 0; i < len; i++) mx = Math.max(mx, Math.abs(x[off + i]));
        return mx;
    }

    /** Runs one case against the reference; returns the result array (with offsets) for bitwise comparisons. */
    private static float[] check(Parallel par, long seed, int m, int n, int k, boolean transA, boolean transB,
                                 boolean accumulate) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int aOff = rnd.nextInt(5), bOff = rnd.nextInt(5), cOff = rnd.nextInt(5), tail = 3;
        float[] a = random(rnd, aOff, m * k, tail);
        float[] b = random(rnd, bOff, k * n, tail);
        float[] c = random(rnd, cOff, m * n, tail);
        if (!accumulate) Arrays.fill(c, cOff, cOff + m * n, Float.NaN);  // poison: every element must be written
        float[] expect = c.clone();
        reference(expect, cOff, a, aOff, b, bOff, m, n, k, transA, transB, accumulate);
        float[] a0 = a.clone(), b0 = b.clone();
        Matmul.matmul(par, c, cOff, a, aOff, b, bOff, m, n, k, transA, transB, accumulate);
        String what = "seed=" + seed + " m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                + " accumulate=" + accumulate + " threads=" + par.threads();
        if (!Arrays.equals(a, a0) || !Arrays.equals(b, b0)) fail("inputs modified: " + what);
        // fp32 sums of k products: the worst-case rounding error is about k*eps*sum|a*b| (eps = 2^-24), the
        // typical one much smaller; the bound below, 1e-5 * k * max|a| * max|b| (plus the same relative share
        // of an accumulated C), holds with a wide margin for the sizes tested here.
        double tol = 1e-5 * (Math.max(k, 1) * (double) maxAbs(a, aOff, m * k) * maxAbs(b, bOff, k * n)
                + (accumulate ? maxAbs(expect, cOff, m * n) : 0)) + 1e-30;
        for (int i = 0; i < c.length; i++) {
            boolean inside = i >= cOff && i < cOff + m * n;
            if (!inside) {
                if (c[i] != SENTINEL) fail("wrote outside C at index " + i + ": " + what);
                continue;
            }
            float got = c[i];
            if (Float.isNaN(got) || Math.abs(got - expect[i]) > tol) {
                int e = i - cOff;
                fail("C[" + (e / n) + "," + (e % n) + "] = " + got + ", expected " + expect[i] + " (tol " + tol + "): "
                        + what);
            }
        }
        return c;
    }

    private static final int[] SIZES = {1, 2, 7, 16, 33, 97};

    @Test
    void smallShapesAllLayouts() {
        long base = System.nanoTime();
        int i = 0;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (boolean acc : new boolean[] {false, true}) {
                    for (int m : SIZES) {
                        for (int n : SIZES) {
                            for (int k : SIZES) {
                                check(i % 2 == 0 ? par1 : par2, base + i++, m, n, k, transA, transB, acc);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void largerShapesAllLayouts() {
        long base = System.nanoTime();
        int[][] shapes = {
            {6272, 33, 97}, {6272, 7, 1}, {97, 289, 600}, {33, 65, 1100}, {130, 97, 513}, {1, 400, 257},
            {400, 1, 257}, {129, 129, 129}, {17, 96, 6272}, {64, 64, 64}, {96, 96, 96}, {1, 1, 3000}
        };
        int i = 0;
        for (int[] s : shapes) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    boolean acc = (i % 3) == 1;
                    check(i % 2 == 0 ? par2 : par3, base + i++, s[0], s[1], s[2], transA, transB, acc);
                }
            }
        }
    }

    @Test
    void bitwiseIndependentOfThreadCount() {
        long base = System.nanoTime();
        int[][] shapes = {
            {6272, 33, 97}, {97, 289, 600}, {33, 65, 1100}, {8, 200, 777}, {300, 40, 50}, {1, 97, 513}, {257, 1, 300}
        };
        int i = 0;
        for (int[] s : shapes) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    for (boolean acc : new boolean[] {false, true}) {
                        long seed = base + i++;
                        float[] r1 = check(par1, seed, s[0], s[1], s[2], transA, transB, acc);
                        float[] r2 = check(par2, seed, s[0], s[1], s[2], transA, transB, acc);
                        float[] r3 = check(par3, seed, s[0], s[1], s[2], transA, transB, acc);
                        for (int e = 0; e < r1.length; e++) {
                            int x = Float.floatToRawIntBits(r1[e]);
                            if (x != Float.floatToRawIntBits(r2[e]) || x != Float.floatToRawIntBits(r3[e])) {
                                fail("thread count changed bits at index " + e + ": " + r1[e] + " / " + r2[e] + " / "
                                        + r3[e] + " seed=" + seed + " shape=" + Arrays.toString(s) + " transA="
                                        + transA + " transB=" + transB + " accumulate=" + acc);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void zeroK() {
        float[] c = {9, 9, 9, 9, 9, 9, 9};
        Matmul.matmul(par2, c, 1, new float[0], 0, new float[0], 0, 2, 3, 0, false, false, true);
        assertEquals("[9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0]", Arrays.toString(c));
        Matmul.matmul(par2, c, 1, new float[0], 0, new float[0], 0, 2, 3, 0, false, true, false);
        assertEquals("[9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]", Arrays.toString(c));
        Matmul.matmul(par2, c, 0, new float[0], 0, new float[0], 0, 0, 3, 5, false, false, false);
        assertEquals("[9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]", Arrays.toString(c));
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[4];
        assertThrows(IllegalArgumentException.class, () -> Matmul.matmul(par1, x, 0, x, 0, x, 0, -1, 1, 1, false, false, false));
        assertThrows(IndexOutOfBoundsException.class, () -> Matmul.matmul(par1, x, 1, x, 0, x, 0, 2, 2, 1, false, false, false));
        assertThrows(IndexOutOfBoundsException.class, () -> Matmul.matmul(par1, x, 0, x, 0, x, 0, 2, 2, 3, false, false, false));
    }
}
