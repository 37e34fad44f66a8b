// optimizer.cl — AdamW over one flat parameter array, in PyTorch's order (as device/java/AdamWKernel):
//   p ← p·(1 − lr·wd) for the first nDecay elements only (decoupled weight decay),
//   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
//   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps).
// schedule(2) = [lr, t] is a device buffer (changes every step). Two launches:
//   adamw_prepare (one item): coef(4) = [lr/(1−β1ᵗ), 1 − lr·wd, √(1 − β2ᵗ), 0], computed once, not
//       per element; in double when the device has fp64 (-DMM_FP64, as java:0 does), else in float
//       through expm1/log1p (1 − βᵗ = −expm1(t·log1p(−β)), accurate for β near 1).
//       t < 1 is invalid (java:0 throws): the device cannot throw, so coef becomes NaN and so do
//       the parameters, which the trainer's non-finite check reports.
//   adamw (one item per parameter): the update, reading coef; nothing (params, m, v unchanged)
//       when status[0], the flag of the non-finite check (check.cl), is not 0.
//
// Conventions (see residual.cl): (global float* X, int X_off) per buffer in Op order, then ints,
// then floats; coef is an extra trailing buffer; padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF
#ifdef MM_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

__kernel void adamw_prepare(__global float* coef, int coef_off, __global const float* schedule, int schedule_off,
                            float beta1, float beta2, float weightDecay) {
    if (get_global_id(0) != 0) return;
    coef += coef_off; schedule += schedule_off;
    float lr = schedule[0];
    int t = (int) floor(schedule[1] + 0.5f);
#ifdef MM_FP64
    float bc1 = (float) (1.0 - pown((double) beta1, t));
    float bc2Sqrt = (float) sqrt(1.0 - pown((double) beta2, t));
#else
    float bc1 = -expm1((float) t * log1p(-beta1));
    float bc2Sqrt = sqrt(-expm1((float) t * log1p(-beta2)));
#endif
    float bad = t < 1 ? NAN : 0.0f;
    coef[0] = lr / bc1 + bad;
    coef[1] = 1.0f - lr * weightDecay + bad;
    coef[2] = bc2Sqrt + bad;
    coef[3] = bad;
}

__kernel void adamw(__global float* params, int params_off, __global const float* grads, int grads_off,
                    __global float* m, int m_off, __global float* v, int v_off,
                    __global const float* schedule, int schedule_off, __global const float* status, int status_off,
                    int n, int nDecay,
                    float beta1, float beta2, float eps, float weightDecay,
                    __global const float* coef, int coef_off) {
    int i = get_global_id(0);
    if (i >= n || status[status_off] != 0.0f) return;
    params += params_off; grads += grads_off; m += m_off; v += v_off; coef += coef_off;
    float stepSize = coef[0], decay = coef[1], bc2Sqrt = coef[2];
    float g = grads[i];
    float mi = beta1 * m[i] + (1.0f - beta1) * g;
    float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    float p = i < nDecay ? params[i] * decay : params[i];
    params[i] = p - stepSize * mi / (sqrt(vi) / bc2Sqrt + eps);
}
