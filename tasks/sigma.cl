// sigma.cl — MultiMax's modulator σ, its backward with the 8 raw parameter sums, one row's MultiMax
// forward and backward, and passes 2-3 of the parameter-sum reduction. Included by multimax.cl and
// attention.cl (the fused attention), after row_softmax.cl (KernelSources resolves includes, one
// level). The formulas and the order of the sums are multimax.cl's header.

#ifndef GROUP
#define GROUP 64
#endif

typedef struct { float r0, r1, r2, r3, t0, t1, t2, t3; } mm_params;

mm_params load_params(__global const float* p) {
    mm_params q = {p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]};
    return q;
}

float sigma(float x, mm_params p) {
    float a0 = fmax(p.r0 - x, 0.0f);
    float a1 = fmax(x - p.r1, 0.0f);
    float a2 = fmax(p.r2 - x, 0.0f);
    float a3 = fmax(x - p.r3, 0.0f);
    return x + p.t0 * a0 + p.t1 * a1 + p.t2 * a2 * a2 + p.t3 * a3 * a3;
}

float8 sigma8(float8 x, mm_params p) {
    float8 a0 = fmax(p.r0 - x, 0.0f);
    float8 a1 = fmax(x - p.r1, 0.0f);
    float8 a2 = fmax(p.r2 - x, 0.0f);
    float8 a3 = fmax(x - p.r3, 0.0f);
    return x + p.t0 * a0 + p.t1 * a1 + p.t2 * a2 * a2 + p.t3 * a3 * a3;
}

// dσ for upstream u at x, adding the 8 raw sums into acc[0..7]; returns u·σ'(x).
float sigma_back(float u, float x, mm_params p, float* acc) {
    float a0 = fmax(p.r0 - x, 0.0f);
    float a1 = fmax(x - p.r1, 0.0f);
    float a2 = fmax(p.r2 - x, 0.0f);
    float a3 = fmax(x - p.r3, 0.0f);
    float i0 = a0 > 0.0f ? u : 0.0f;
    float i1 = a1 > 0.0f ? u : 0.0f;
    float ua2 = u * a2, ua3 = u * a3;
    acc[0] += i0;
    acc[1] += i1;
    acc[2] += ua2;
    acc[3] += ua3;
    acc[4] += u * a0;
    acc[5] += u * a1;
    acc[6] += ua2 * a2;
    acc[7] += ua3 * a3;
    return u - p.t0 * i0 + p.t1 * i1 + 2.0f * u * (p.t3 * a3 - p.t2 * a2);
}

// One row: P[0, cols) = softmax(σ(S[0, cols))); float8 over whole vectors, then the scalar tail.
void multimax_row(__global float* P, __global const float* S, int cols, mm_params p) {
    int w = cols / 8 * 8;
    float8 m8 = (float8)(-INFINITY);
    for (int j = 0; j < w; j += 8) {
        float8 s = sigma8(vload8(0, S + j), p);
        vstore8(s, 0, P + j);
        m8 = fmax(m8, s);
    }
    float m = max8(m8);
    for (int j = w; j < cols; j++) {
        float s = sigma(S[j], p);
        P[j] = s;
        m = fmax(m, s);
    }
    exp_normalize_row(P, cols, m);
}

// dσ on 8 lanes: as sigma_back, the 8 raw sums added lane-wise into acc8[0..7].
float8 sigma_back8(float8 u, float8 x, mm_params p, float8* acc8) {
    float8 a0 = fmax(p.r0 - x, 0.0f);
    float8 a1 = fmax(x - p.r1, 0.0f);
    float8 a2 = fmax(p.r2 - x, 0.0f);
    float8 a3 = fmax(x - p.r3, 0.0f);
    float8 i0 = select((float8)(0.0f), u, a0 > 0.0f);
    float8 i1 = select((float8)(0.0f), u, a1 > 0.0f);
    float8 ua2 = u * a2, ua3 = u * a3;
    acc8[0] += i0;
    acc8[1] += i1;
    acc8[2] += ua2;
    acc8[3] += ua3;
    acc8[4] += u * a0;
    acc8[5] += u * a1;
    acc8[6] += ua2 * a2;
    acc8[7] += ua3 * a3;
    return u - p.t0 * i0 + p.t1 * i1 + 2.0f * u * (p.t3 * a3 - p.t2 * a2);
}

// One row: dS = σ'(S) ⊙ P ⊙ (dP − ⟨P, dP⟩), the 8 raw sums added into acc (per row: lane sums over
// whole float8 vectors combined by sum8, then the scalar tail). dS may be dP (in place).
void multimax_back_row(__global float* dS, __global const float* dP, __global const float* P,
                       __global const float* S, int cols, mm_params p, float* acc) {
    float dot = row_dot(P, dP, cols);
    int w = cols / 8 * 8;
    float8 acc8[8];
    for (int k = 0; k < 8; k++) acc8[k] = (float8)(0.0f);
    for (int j = 0; j < w; j += 8) {
        float8 u = vload8(0, P + j) * (vload8(0, dP + j) - dot);
        vstore8(sigma_back8(u, vload8(0, S + j), p, acc8), 0, dS + j);
    }
    float tail[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    for (int j = w; j < cols; j++) dS[j] = sigma_back(P[j] * (dP[j] - dot), S[j], p, tail);
    for (int k = 0; k < 8; k++) acc[k] += sum8(acc8[k]) + tail[k];
}

// ---- passes 2 and 3 of the parameter sums (pass 1 is the backward kernel's, into R(count, 8)) ------

// Item (c, k) over (chunks, 8): Q(c, k) = Σ R(t, k) for t in [c·GROUP, min(count, c·GROUP + GROUP)), in order.
__kernel void params_partial(__global float* Q, int Q_off, __global const float* R, int R_off, int count) {
    int e = get_global_id(0);
    int c = e / 8, k = e % 8;
    if (c * GROUP >= count) return;
    Q += Q_off; R += R_off;
    int end = min(count, c * GROUP + GROUP);
    float s = 0.0f;
    for (int t = c * GROUP; t < end; t++) s += R[t * 8 + k];
    Q[e] = s;
}

// Item k < 8: dparams(k) = factor_k · Σ_c Q(c, k), in chunk order.
__kernel void params_finish(__global float* dparams, int dparams_off, __global const float* Q, int Q_off,
                            __global const float* params, int params_off, int chunks) {
    int k = get_global_id(0);
    if (k >= 8) return;
    dparams += dparams_off; Q += Q_off; params += params_off;
    float s = 0.0f;
    for (int c = 0; c < chunks; c++) s += Q[c * 8 + k];
    float f = 1.0f;
    if (k == 0) f = params[4];
    else if (k == 1) f = -params[5];
    else if (k == 2) f = 2.0f * params[6];
    else if (k == 3) f = -2.0f * params[7];
    dparams[k] = f * s;
}
