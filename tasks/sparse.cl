// sparse.cl — sparsemax, 1.5-entmax and evidential softmax over the last axis of (rows, cols)
// (MULTIMAX.md §6), one work-item per row on every device type (no local memory).
//   sparsemax_fwd:  P = (z − τ)₊ with Σ P = 1.
//   sparsemax_bwd:  dS = dP − mean_{P>0}(dP) on the support {P > 0}, 0 off it.
//   entmax15_fwd:   P = (z/2 − τ)₊² with Σ P = 1.
//   entmax15_bwd:   s = √P, dS = s ⊙ (dP − ⟨s, dP⟩/Σs).
//   evsoftmax_fwd:  P ∝ w ⊙ exp(z − max z), w = 1 where z ≥ mean(z), maskedWeight elsewhere.
//                   (Its backward, the mask held fixed, is softmax_bwd.)
//
// Exact τ without sorting, for any row length: with z' the row shifted by its max (and halved for
// entmax), τ lies in [−1, 0] where f(τ) = Σ (z' − τ)₊^a − 1 (a = 1 or 2) falls from ≥ 0 to −1.
//   1. BISECT halvings of [lo, hi] keeping f(lo) ≥ 0, so lo ≤ τ* and {z' > lo} ⊇ the support.
//   2. From t = lo: the closed form of τ on S = {z' > t} (sparsemax (Σ_S z' − 1)/|S|; entmax
//      μ − √max((1 − ss)/|S|, 0), μ and ss the mean and squared deviations of S), then S again
//      from the new τ, until |S| stops changing. For sparsemax this is Michelot's iteration: from a
//      superset of the support τ rises monotonically to τ* in at most cols steps; the bisection
//      leaves it one or two. For entmax the closed form needs S close to the support (it is: the
//      entries that bisection leaves in by mistake lie within 2^-BISECT of τ*), MAX_REFINE bounds it.
// The result is τ of the exact support, to float rounding, whatever cols (tested up to 256+).
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints,
// then floats; padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF

#define BISECT 30
#define MAX_REFINE 64

static float row_max(const __global float* z, int cols) {
    float m = -INFINITY;
    for (int j = 0; j < cols; j++) m = fmax(m, z[j]);
    return m;
}

__kernel void sparsemax_fwd(__global float* P, int P_off, __global const float* S, int S_off, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    P += P_off + (size_t) r * cols; S += S_off + (size_t) r * cols;
    float m = row_max(S, cols);
    float lo = -1.0f, hi = 0.0f;
    for (int it = 0; it < BISECT; it++) {
        float mid = 0.5f * (lo + hi);
        float f = -1.0f;
        for (int j = 0; j < cols; j++) f += fmax((S[j] - m) - mid, 0.0f);
        if (f >= 0.0f) lo = mid; else hi = mid;
    }
    float t = lo;
    int k = -1;
    for (int it = 0; it <= cols; it++) {
        float sum = 0.0f;
        int n = 0;
        for (int j = 0; j < cols; j++) {
            float v = S[j] - m;
            if (v > t) { sum += v; n++; }
        }
        if (n == k || n == 0) break;
        k = n;
        t = (sum - 1.0f) / n;
    }
    for (int j = 0; j < cols; j++) P[j] = fmax((S[j] - m) - t, 0.0f);
}

__kernel void sparsemax_bwd(__global float* dS, int dS_off, __global const float* dP, int dP_off,
                            __global const float* P, int P_off, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    dS += dS_off + (size_t) r * cols; dP += dP_off + (size_t) r * cols; P += P_off + (size_t) r * cols;
    float sum = 0.0f;
    int n = 0;
    for (int j = 0; j < cols; j++) {
        if (P[j] > 0.0f) { sum += dP[j]; n++; }
    }
    float v = n == 0 ? 0.0f : sum / n;
    for (int j = 0; j < cols; j++) dS[j] = P[j] > 0.0f ? dP[j] - v : 0.0f;
}

__kernel void entmax15_fwd(__global float* P, int P_off, __global const float* S, int S_off, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    P += P_off + (size_t) r * cols; S += S_off + (size_t) r * cols;
    float m = row_max(S, cols);
    float lo = -1.0f, hi = 0.0f;
    for (int it = 0; it < BISECT; it++) {
        float mid = 0.5f * (lo + hi);
        float f = -1.0f;
        for (int j = 0; j < cols; j++) {
            float d = fmax((S[j] - m) * 0.5f - mid, 0.0f);
            f += d * d;
        }
        if (f >= 0.0f) lo = mid; else hi = mid;
    }
    float t = lo;
    int k = -1;
    for (int it = 0; it < MAX_REFINE; it++) {
        float sum = 0.0f;
        int n = 0;
        for (int j = 0; j < cols; j++) {
            float v = (S[j] - m) * 0.5f;
            if (v > t) { sum += v; n++; }
        }
        if (n == k || n == 0) break;
        k = n;
        float mean = sum / n;
        float ss = 0.0f;
        for (int j = 0; j < cols; j++) {
            float v = (S[j] - m) * 0.5f;
            if (v > t) { float d = v - mean; ss += d * d; }
        }
        t = mean - sqrt(fmax((1.0f - ss) / n, 0.0f));
    }
    for (int j = 0; j < cols; j++) {
        float d = fmax((S[j] - m) * 0.5f - t, 0.0f);
        P[j] = d * d;
    }
}

__kernel void entmax15_bwd(__global float* dS, int dS_off, __global const float* dP, int dP_off,
                           __global const float* P, int P_off, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    dS += dS_off + (size_t) r * cols; dP += dP_off + (size_t) r * cols; P += P_off + (size_t) r * cols;
    float dot = 0.0f, sum = 0.0f;
    for (int j = 0; j < cols; j++) {
        float s = sqrt(P[j]);
        dot += s * dP[j];
        sum += s;
    }
    float q = sum > 0.0f ? dot / sum : 0.0f;
    for (int j = 0; j < cols; j++) dS[j] = sqrt(P[j]) * (dP[j] - q);
}

__kernel void evsoftmax_fwd(__global float* P, int P_off, __global const float* S, int S_off, int rows, int cols,
                            float maskedWeight) {
    int r = get_global_id(0);
    if (r >= rows) return;
    P += P_off + (size_t) r * cols; S += S_off + (size_t) r * cols;
    float m = row_max(S, cols);
    float shifted = 0.0f;
    for (int j = 0; j < cols; j++) shifted += S[j] - m;
    float mean = m + shifted / cols;
    float sum = 0.0f;
    for (int j = 0; j < cols; j++) {
        float e = (S[j] >= mean ? 1.0f : maskedWeight) * exp(S[j] - m);
        P[j] = e;
        sum += e;
    }
    float inv = 1.0f / sum;
    for (int j = 0; j < cols; j++) P[j] *= inv;
}
