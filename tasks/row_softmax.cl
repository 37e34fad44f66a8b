// row_softmax.cl — one row's softmax on float8, shared by softmax.cl and multimax.cl (which
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
