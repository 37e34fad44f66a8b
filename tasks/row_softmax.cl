// row_softmax.cl — one row's softmax on float8 and its backward, shared by softmax.cl, multimax.cl and attention.cl (which
// include this file; KernelSources resolves the include, one level). float8 over whole vectors,
// then the scalar tail: PoCL vectorises no loop inside a kernel, and exp dominates.

// Lanes of a float8 combined as a fixed tree.
float max8(float8 v) {
    return fmax(fmax(fmax(v.s0, v.s1), fmax(v.s2, v.s3)), fmax(fmax(v.s4, v.s5), fmax(v.s6, v.s7)));
}

float sum8(float8 v) {
    return ((v.s0 + v.s1) + (v.s2 + v.s3)) + ((v.s4 + v.s5) + (v.s6 + v.s7));
}

// In place over P[0, cols), which holds the (modulated) logits and their maximum m:
// exp(v − m) / Σ exp(v − m).
void exp_normalize_row(__global float* P, int cols, float m) {
    int w = cols / 8 * 8;
    float8 s8 = (float8)(0.0f);
    for (int j = 0; j < w; j += 8) {
        float8 e = exp(vload8(0, P + j) - m);
        vstore8(e, 0, P + j);
        s8 += e;
    }
    float sum = sum8(s8);
    for (int j = w; j < cols; j++) {
        float e = exp(P[j] - m);
        P[j] = e;
        sum += e;
    }
    float inv = 1.0f / sum;
    for (int j = 0; j < w; j += 8) vstore8(vload8(0, P + j) * inv, 0, P + j);
    for (int j = w; j < cols; j++) P[j] *= inv;
}

// In place over one row of P (already holding the logits): exp(v − max) / Σ.
void normalize_row(__global float* P, int cols) {
    int w = cols / 8 * 8;
    float8 m8 = (float8)(-INFINITY);
    for (int j = 0; j < w; j += 8) m8 = fmax(m8, vload8(0, P + j));
    float m = max8(m8);
    for (int j = w; j < cols; j++) m = fmax(m, P[j]);
    exp_normalize_row(P, cols, m);
}

// ⟨a, b⟩ over [0, n): float8 lanes over whole vectors combined by sum8, then the scalar tail.
float row_dot(__global const float* a, __global const float* b, int n) {
    int w = n / 8 * 8;
    float8 s8 = (float8)(0.0f);
    for (int j = 0; j < w; j += 8) s8 += vload8(0, a + j) * vload8(0, b + j);
    float s = sum8(s8);
    for (int j = w; j < n; j++) s += a[j] * b[j];
    return s;
}

// One row: dS = P ⊙ (dP − ⟨P, dP⟩) (softmax's backward). dS may be dP (in place).
void softmax_back_row(__global float* dS, __global const float* dP, __global const float* P, int cols) {
    float dot = row_dot(P, dP, cols);
    int w = cols / 8 * 8;
    for (int j = 0; j < w; j += 8) vstore8(vload8(0, P + j) * (vload8(0, dP + j) - dot), 0, dS + j);
    for (int j = w; j < cols; j++) dS[j] = P[j] * (dP[j] - dot);
}
