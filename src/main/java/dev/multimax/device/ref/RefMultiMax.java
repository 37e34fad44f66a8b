package dev.multimax.device.ref;

/**
 * ref:0's MultiMax (MULTIMAX.md §1–§3): the modulator σ with params = (r0..r3, t0..t3),
 *   σ(x) = x + t0·(r0 − x)₊ + t1·(x − r1)₊ + t2·((r2 − x)₊)² + t3·((x − r3)₊)²,
 * its slope and its 8 parameter gradients; softmax(σ(S)) per row, and σ alone (the head).
 * This is the one float64 statement of σ; java:0 and tasks/multimax.cl are the fp32 ones.
 */
public final class RefMultiMax {
    private RefMultiMax() {
    }

    public static double sigma(double x, double[] params) {
        double a0 = Math.max(params[0] - x, 0);
        double a1 = Math.max(x - params[1], 0);
        double a2 = Math.max(params[2] - x, 0);
        double a3 = Math.max(x - params[3], 0);
        return x + params[4] * a0 + params[5] * a1 + params[6] * a2 * a2 + params[7] * a3 * a3;
    }

    /** dσ/dx = 1 − t0·[r0 > x] + t1·[x > r1] − 2·t2·(r2 − x)₊ + 2·t3·(x − r3)₊ (the slope of (u)₊ at 0 is 0). */
    public static double slope(double x, double[] params) {
        return 1 - (params[0] - x > 0 ? params[4] : 0) + (x - params[1] > 0 ? params[5] : 0)
                - 2 * params[6] * Math.max(params[2] - x, 0) + 2 * params[7] * Math.max(x - params[3], 0);
    }

    /**
     * Adds to dparams(8) what one element contributes, given u = ∂L/∂σ(x):
     * ∂σ/∂r0 = t0·[r0 > x], ∂σ/∂r1 = −t1·[x > r1], ∂σ/∂r2 = 2·t2·(r2 − x)₊, ∂σ/∂r3 = −2·t3·(x − r3)₊,
     * ∂σ/∂t = ((r0 − x)₊, (x − r1)₊, ((r2 − x)₊)², ((x − r3)₊)²).
     */
    public static void addParameterGradient(double[] dparams, double u, double x, double[] params) {
        double a0 = Math.max(params[0] - x, 0);
        double a1 = Math.max(x - params[1], 0);
        double a2 = Math.max(params[2] - x, 0);
        double a3 = Math.max(x - params[3], 0);
        dparams[0] += a0 > 0 ? params[4] * u : 0;
        dparams[1] -= a1 > 0 ? params[5] * u : 0;
        dparams[2] += 2 * params[6] * u * a2;
        dparams[3] -= 2 * params[7] * u * a3;
        dparams[4] += u * a0;
        dparams[5] += u * a1;
        dparams[6] += u * a2 * a2;
        dparams[7] += u * a3 * a3;
    }

    /** P = softmax(σ(S)) per row of S(rows, cols). */
    public static void multimaxFwd(double[] p, double[] s, double[] params, int rows, int cols) {
        double[] m = new double[rows * cols];
        for (int i = 0; i < m.length; i++) m[i] = sigma(s[i], params);
        RefRows.softmaxFwd(p, m, rows, cols);
    }

    /** u = P ⊙ (dP − ⟨P, dP⟩) per row; dS = u·σ'(S); dparams = Σ over every element. */
    public static void multimaxBwd(double[] ds, double[] dparams, double[] dp, double[] p, double[] s, double[] params,
                                   int rows, int cols) {
        double[] u = new double[rows * cols];
        RefRows.softmaxBwd(u, dp, p, rows, cols);
        java.util.Arrays.fill(dparams, 0, 8, 0);
        for (int i = 0; i < u.length; i++) {
            ds[i] = u[i] * slope(s[i], params);
            addParameterGradient(dparams, u[i], s[i], params);
        }
    }

    /** Y = σ(X). */
    public static void modulateFwd(double[] y, double[] x, double[] params, int n) {
        for (int i = 0; i < n; i++) y[i] = sigma(x[i], params);
    }

    /** dX = dY·σ'(X); dparams = Σ over every element with u = dY. */
    public static void modulateBwd(double[] dx, double[] dparams, double[] dy, double[] x, double[] params, int n) {
        java.util.Arrays.fill(dparams, 0, 8, 0);
        for (int i = 0; i < n; i++) {
            dx[i] = dy[i] * slope(x[i], params);
            addParameterGradient(dparams, dy[i], x[i], params);
        }
    }
}
