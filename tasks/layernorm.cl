// layernorm.cl — LayerNorm over the last axis of X(M,C), forward and backward
// (the semantics of device/java/LayerNormKernels), and the residual connection fused with it:
//   layernorm_fwd: mean(r) = Σ_j X(r,j) / C,  var(r) = Σ_j (X(r,j) − mean)² / C   (two passes),
//                  rstd(r) = 1/√(var + eps),  Y(r,j) = (X(r,j) − mean)·rstd·w(j) + b(j).
//   layernorm_bwd: x̂ = (X − mean)·rstd, ĝ = dY·w,
//                  dX(r,j) = rstd·(ĝ − mean_j(ĝ) − x̂·mean_j(ĝ·x̂))      (per row),
//                  dw(j) = Σ_r dY·x̂, db(j) = Σ_r dY                        (column sums over all M rows).
//   residual_layernorm_fwd: X += R (the residual add before a pre-norm), then layernorm_fwd of X.
//   layernorm_bwd_add: dX += the backward's dX (the residual's gradient sum), dw and db as layernorm_bwd.
//
// Row sums (the statistics, and ĝ's two means) accumulate in double when the device has fp64
// (-DMM_FP64, as java:0 does for the statistics), else in float with Kahan compensation.
// Two variants of the row kernels, chosen by the binder from Tuning.rowGroup:
//   *_rows  (CPU, PoCL): one work-item per row (per chunk of ROWS rows backward), no local memory.
//   *_wg    (GPU): one work-group of RG items per row (RG a power of two, -DRG), each item sums a
//           strided part of the row, then a fixed tree in local memory: deterministic.
// The column sums of the backward are deterministic two-pass sums, no atomics:
//   layernorm_bwd_partial: grid (C, chunks); item (j, k) sums rows [k·ROWS, min(M, k·ROWS+ROWS))
//           of column j in row order into Pw(k, j), Pb(k, j) (ROWS = LinearKernels.ROW_CHUNK); on
//           CPUs layernorm_bwd_chunk instead computes a chunk's dX rows and these partials in one pass;
//   layernorm_bwd_sum: item j sums Pw(0..chunks−1, j), Pb(…) in chunk order into dw(j), db(j).
// With one chunk the host runs the partial pass straight into dw, db. The order is java:0's, so db
// agrees bit for bit; dw's products use fma() as java:0's vector loop does.
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints,
// then floats, then extras; padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF
#ifdef MM_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif

#ifndef ROWS
#define ROWS 256
#endif
#ifndef RG
#define RG 128
#endif

// ---- row sums, one item per row ----

#ifdef MM_FP64
// Lanes of a double8 combined as a fixed tree.
static double sum8d(double8 v) {
    return ((v.s0 + v.s1) + (v.s2 + v.s3)) + ((v.s4 + v.s5) + (v.s6 + v.s7));
}
#endif

// Σ_j (x[j] − shift) for a row of n; the difference is taken in float, as java:0 does. With fp64:
// 8 double lanes over whole float8 vectors (PoCL vectorises no loop inside a kernel), then the tail.
static float row_sum(const __global float* x, int n, float shift) {
#ifdef MM_FP64
    int w = n / 8 * 8;
    double8 s8 = (double8)(0.0);
    for (int j = 0; j < w; j += 8) s8 += convert_double8(vload8(0, x + j) - shift);
    double s = sum8d(s8);
    for (int j = w; j < n; j++) s += (double) (x[j] - shift);
    return (float) s;
#else
    float s = 0.0f, comp = 0.0f;
    for (int j = 0; j < n; j++) {
        float y = (x[j] - shift) - comp;
        float t = s + y;
        comp = (t - s) - y;
        s = t;
    }
    return s;
#endif
}

// Σ_j (x[j] − mu)², the square in float, as java:0 does (lanes as row_sum).
static float row_sum_sq(const __global float* x, int n, float mu) {
#ifdef MM_FP64
    int w = n / 8 * 8;
    double8 s8 = (double8)(0.0);
    for (int j = 0; j < w; j += 8) {
        float8 d = vload8(0, x + j) - mu;
        s8 += convert_double8(d * d);
    }
    double s = sum8d(s8);
    for (int j = w; j < n; j++) {
        float d = x[j] - mu;
        s += (double) (d * d);
    }
    return (float) s;
#else
    float s = 0.0f, comp = 0.0f;
    for (int j = 0; j < n; j++) {
        float d = x[j] - mu;
        float y = d * d - comp;
        float t = s + y;
        comp = (t - s) - y;
        s = t;
    }
    return s;
#endif
}

// 1/√v: in double when available (java:0: (float) (1.0 / Math.sqrt(v))).
static float inv_sqrt(float v) {
#ifdef MM_FP64
    return (float) (1.0 / sqrt((double) v));
#else
    return 1.0f / sqrt(v);
#endif
}

static void normalize_row(__global float* y, const __global float* x, const __global float* w,
                          const __global float* b, int n, int j0, int step, float mu, float rs) {
    for (int j = j0; j < n; j += step) y[j] = (x[j] - mu) * rs * w[j] + b[j];
}

// Row r: statistics and Y of x = X's row r.
static void ln_fwd_row(__global float* Y, __global float* mean, __global float* rstd, const __global float* x,
                       const __global float* w, const __global float* b, int r, int C, float eps) {
    float mu = row_sum(x, C, 0.0f) / C;
    float var = row_sum_sq(x, C, mu) / C;
    float rs = inv_sqrt(var + eps);
    mean[r] = mu;
    rstd[r] = rs;
    __global float* y = Y + (size_t) r * C;
    int v = C / 8 * 8;
    for (int j = 0; j < v; j += 8) vstore8((vload8(0, x + j) - mu) * rs * vload8(0, w + j) + vload8(0, b + j), 0, y + j);
    normalize_row(y, x, w, b, C, v, 1, mu, rs);
}

__kernel void layernorm_fwd_rows(__global float* Y, int Y_off, __global float* mean, int mean_off,
                                 __global float* rstd, int rstd_off, __global const float* X, int X_off,
                                 __global const float* w, int w_off, __global const float* b, int b_off,
                                 int M, int C, float eps) {
    int r = get_global_id(0);
    if (r >= M) return;
    ln_fwd_row(Y + Y_off, mean + mean_off, rstd + rstd_off, X + X_off + (size_t) r * C, w + w_off, b + b_off, r, C, eps);
}

// residual_layernorm_fwd: X(r, ·) += R(r, ·) (the residual, one fp32 addition as residual_add), then
// LayerNorm of the sum, reading the row while it is in cache.
__kernel void residual_layernorm_fwd_rows(__global float* X, int X_off, __global float* Y, int Y_off,
                                          __global float* mean, int mean_off, __global float* rstd, int rstd_off,
                                          __global const float* R, int R_off, __global const float* w, int w_off,
                                          __global const float* b, int b_off, int M, int C, float eps) {
    int r = get_global_id(0);
    if (r >= M) return;
    __global float* x = X + X_off + (size_t) r * C;
    const __global float* res = R + R_off + (size_t) r * C;
    int v = C / 8 * 8;
    for (int j = 0; j < v; j += 8) vstore8(vload8(0, x + j) + vload8(0, res + j), 0, x + j);
    for (int j = v; j < C; j++) x[j] = x[j] + res[j];
    ln_fwd_row(Y + Y_off, mean + mean_off, rstd + rstd_off, x, w + w_off, b + b_off, r, C, eps);
}

// dX of one row (row = r·C); ĝ's two row means accumulated in acc_t (with fp64: 8 double lanes over
// whole float8 vectors, then the tail; without: compensated float, element by element).
// add: dX += the row's gradient (layernorm_bwd_add: the residual's sum, one fp32 addition as
// residual_add) instead of dX = it.
static void dx_row(__global float* dX, __global const float* dY, __global const float* X, __global const float* w,
                   size_t row, int C, float mu, float rs, int add) {
    int v = 0;
#ifdef MM_FP64
    v = C / 8 * 8;
    double8 g8 = (double8)(0.0), gx8 = (double8)(0.0);
    for (int j = 0; j < v; j += 8) {
        float8 xh = (vload8(0, X + row + j) - mu) * rs;
        float8 gh = vload8(0, dY + row + j) * vload8(0, w + j);
        g8 += convert_double8(gh);
        gx8 += convert_double8(gh) * convert_double8(xh);
    }
    acc_t sumG = sum8d(g8), sumGx = sum8d(gx8);
#else
    acc_t sumG = 0, sumGx = 0;
    float cG = 0.0f, cGx = 0.0f;
#endif
    for (int j = v; j < C; j++) {
        float xh = (X[row + j] - mu) * rs;
        float gh = dY[row + j] * w[j];
#ifdef MM_FP64
        sumG += gh;
        sumGx += (double) gh * xh;
#else
        float y = gh - cG, t = sumG + y;
        cG = (t - sumG) - y; sumG = t;
        y = gh * xh - cGx; t = sumGx + y;
        cGx = (t - sumGx) - y; sumGx = t;
#endif
    }
    float meanG = (float) sumG / C;
    float meanGx = (float) sumGx / C;
    int u = C / 8 * 8;
    for (int j = 0; j < u; j += 8) {
        float8 xh = (vload8(0, X + row + j) - mu) * rs;
        float8 gh = vload8(0, dY + row + j) * vload8(0, w + j);
        float8 d = (gh - meanG - xh * meanGx) * rs;
        vstore8(add ? vload8(0, dX + row + j) + d : d, 0, dX + row + j);
    }
    for (int j = u; j < C; j++) {
        float xh = (X[row + j] - mu) * rs;
        float gh = dY[row + j] * w[j];
        float d = (gh - meanG - xh * meanGx) * rs;
        dX[row + j] = add ? dX[row + j] + d : d;
    }
}

// CPU: item k takes rows [k·ROWS, min(M, k·ROWS + ROWS)): their dX (dx_row), and the column partials
// Pw(k, ·), Pb(k, ·) of those rows in row order, as layernorm_bwd_partial sums them (so the same
// numbers), reading dY and X once for both. Pw, Pb may be dw, db when one chunk covers all rows.
__kernel void layernorm_bwd_chunk(__global float* dX, int dX_off, __global float* Pw, int Pw_off, __global float* Pb,
                                  int Pb_off, __global const float* dY, int dY_off, __global const float* X, int X_off,
                                  __global const float* mean, int mean_off, __global const float* rstd, int rstd_off,
                                  __global const float* w, int w_off, int M, int C, int add) {
    int k = get_global_id(0);
    if (k > 0 && k * ROWS >= M) return;  // chunk 0 always writes (M = 0: zeros)
    dX += dX_off; dY += dY_off; X += X_off; mean += mean_off; rstd += rstd_off; w += w_off;
    __global float* pw = Pw + Pw_off + (size_t) k * C;
    __global float* pb = Pb + Pb_off + (size_t) k * C;
    for (int j = 0; j < C; j++) {
        pw[j] = 0.0f;
        pb[j] = 0.0f;
    }
    int v = C / 8 * 8;
    for (int r = k * ROWS, end = min(M, k * ROWS + ROWS); r < end; r++) {
        size_t row = (size_t) r * C;
        float mu = mean[r], rs = rstd[r];
        dx_row(dX, dY, X, w, row, C, mu, rs, add);
        for (int j = 0; j < v; j += 8) {
            float8 g = vload8(0, dY + row + j);
            float8 xh = (vload8(0, X + row + j) - mu) * rs;
            vstore8(fma(g, xh, vload8(0, pw + j)), 0, pw + j);
            vstore8(vload8(0, pb + j) + g, 0, pb + j);
        }
        for (int j = v; j < C; j++) {
            float g = dY[row + j];
            float xh = (X[row + j] - mu) * rs;
            pw[j] = fma(g, xh, pw[j]);
            pb[j] += g;
        }
    }
}

// ---- row sums, one work-group of RG items per row (GPU) ----

// Sums v over the group in a fixed tree; every item gets the total. buf holds RG values.
static acc_t group_sum(acc_t v, __local acc_t* buf) {
    int l = get_local_id(0);
    buf[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = RG / 2; h > 0; h >>= 1) {
        if (l < h) buf[l] += buf[l + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    acc_t s = buf[0];
    barrier(CLK_LOCAL_MEM_FENCE);  // buf is reused by the next call
    return s;
}

// Row r of a group (n = C, or 0 past the last row): statistics and Y; every item calls it.
static void ln_fwd_group(__global float* Y, __global float* mean, __global float* rstd, const __global float* x,
                         const __global float* w, const __global float* b, int r, int n, int C, float eps,
                         __local acc_t* buf) {
    int l = get_local_id(0);
    acc_t s = 0;
    for (int j = l; j < n; j += RG) s += (acc_t) x[j];
    float mu = (float) group_sum(s, buf) / C;
    s = 0;
    for (int j = l; j < n; j += RG) {
        float d = x[j] - mu;
        s += (acc_t) (d * d);
    }
    float var = (float) group_sum(s, buf) / C;
    float rs = inv_sqrt(var + eps);
    if (l == 0 && n > 0) {
        mean[r] = mu;
        rstd[r] = rs;
    }
    normalize_row(Y + (size_t) r * C, x, w, b, n, l, RG, mu, rs);
}

__kernel void layernorm_fwd_wg(__global float* Y, int Y_off, __global float* mean, int mean_off,
                               __global float* rstd, int rstd_off, __global const float* X, int X_off,
                               __global const float* w, int w_off, __global const float* b, int b_off,
                               int M, int C, float eps) {
    __local acc_t buf[RG];
    // One group per row. No early return: every item must reach every barrier (PoCL crashes
    // otherwise); the one group launched for M = 0 works on an empty row and writes nothing.
    int r = get_group_id(0);
    int n = r < M ? C : 0;
    ln_fwd_group(Y + Y_off, mean + mean_off, rstd + rstd_off, X + X_off + (size_t) r * C, w + w_off, b + b_off, r, n, C,
                 eps, buf);
}

// The residual first (each item its strided elements), then a global-memory barrier so that the
// group reads the sums, then LayerNorm.
__kernel void residual_layernorm_fwd_wg(__global float* X, int X_off, __global float* Y, int Y_off,
                                        __global float* mean, int mean_off, __global float* rstd, int rstd_off,
                                        __global const float* R, int R_off, __global const float* w, int w_off,
                                        __global const float* b, int b_off, int M, int C, float eps) {
    __local acc_t buf[RG];
    int r = get_group_id(0);  // one group per row, no early return (see layernorm_fwd_wg)
    int n = r < M ? C : 0;
    __global float* x = X + X_off + (size_t) r * C;
    const __global float* res = R + R_off + (size_t) r * C;
    for (int j = get_local_id(0); j < n; j += RG) x[j] = x[j] + res[j];
    barrier(CLK_GLOBAL_MEM_FENCE);
    ln_fwd_group(Y + Y_off, mean + mean_off, rstd + rstd_off, x, w + w_off, b + b_off, r, n, C, eps, buf);
}

__kernel void layernorm_bwd_dx_wg(__global float* dX, int dX_off, __global const float* dY, int dY_off,
                                  __global const float* X, int X_off, __global const float* mean, int mean_off,
                                  __global const float* rstd, int rstd_off, __global const float* w, int w_off,
                                  int M, int C, int add) {
    __local acc_t buf[RG];
    int r = get_group_id(0);  // one group per row, no early return (see layernorm_fwd_wg)
    int l = get_local_id(0);
    int n = r < M ? C : 0;
    dX += dX_off; dY += dY_off; X += X_off; mean += mean_off; rstd += rstd_off; w += w_off;
    size_t row = (size_t) r * C;
    float mu = n > 0 ? mean[r] : 0.0f, rs = n > 0 ? rstd[r] : 0.0f;
    acc_t sG = 0, sGx = 0;
    for (int j = l; j < n; j += RG) {
        float xh = (X[row + j] - mu) * rs;
        float gh = dY[row + j] * w[j];
        sG += (acc_t) gh;
        sGx += (acc_t) gh * xh;
    }
    float meanG = (float) group_sum(sG, buf) / C;
    float meanGx = (float) group_sum(sGx, buf) / C;
    for (int j = l; j < n; j += RG) {
        float xh = (X[row + j] - mu) * rs;
        float gh = dY[row + j] * w[j];
        float d = (gh - meanG - xh * meanGx) * rs;
        dX[row + j] = add ? dX[row + j] + d : d;
    }
}

// ---- column sums of the backward (both variants) ----

// Pw(chunks, C), Pb(chunks, C): chunk k of column j. Pw, Pb may be dw, db when chunks == 1.
__kernel void layernorm_bwd_partial(__global float* Pw, int Pw_off, __global float* Pb, int Pb_off,
                                    __global const float* dY, int dY_off, __global const float* X, int X_off,
                                    __global const float* mean, int mean_off, __global const float* rstd, int rstd_off,
                                    int M, int C) {
    int j = get_global_id(0);
    int k = get_global_id(1);
    if (j >= C || (k > 0 && k * ROWS >= M)) return;  // chunk 0 always writes (M = 0: zeros)
    Pw += Pw_off; Pb += Pb_off; dY += dY_off; X += X_off; mean += mean_off; rstd += rstd_off;
    int end = min(M, k * ROWS + ROWS);
    float sw = 0.0f, sb = 0.0f;
    for (int r = k * ROWS; r < end; r++) {
        size_t i = (size_t) r * C + j;
        float g = dY[i];
        float xh = (X[i] - mean[r]) * rstd[r];
        sw = fma(g, xh, sw);
        sb += g;
    }
    Pw[(size_t) k * C + j] = sw;
    Pb[(size_t) k * C + j] = sb;
}

__kernel void layernorm_bwd_sum(__global float* dw, int dw_off, __global float* db, int db_off,
                                __global const float* Pw, int Pw_off, __global const float* Pb, int Pb_off,
                                int C, int chunks) {
    int j = get_global_id(0);
    if (j >= C) return;
    dw += dw_off; db += db_off; Pw += Pw_off; Pb += Pb_off;
    float sw = 0.0f, sb = 0.0f;
    for (int k = 0; k < chunks; k++) {
        sw += Pw[(size_t) k * C + j];
        sb += Pb[(size_t) k * C + j];
    }
    dw[j] = sw;
    db[j] = sb;
}
