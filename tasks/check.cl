// check.cl — the non-finite check after backward (the semantics of device/java/CheckKernels):
//   status(2) = [flag, first]: flag 1 when loss(1) or any of grads[ranges[0], ranges[tensors]) is
//   NaN or ±Inf; first = 0 for the loss, k + 1 for tensor k (grads[ranges[k], ranges[k+1])), −1 when
//   everything is finite. ranges(tensors + 1) are int boundaries, non-decreasing.
// Two launches, deterministic (no atomics; "first" is the smallest bad element index):
//   nonfinite_chunks (one item per CHUNK elements of grads[0, n)): the chunk's first non-finite
//       element inside [ranges[0], ranges[tensors]), or INT_MAX, into scratch;
//   nonfinite_status (one item): the first chunk that found one (chunks are in element order, so
//       it holds the smallest index), the tensor holding it, or the loss, into status.
// java:0 throws on ranges that decrease or run past n; a kernel cannot throw, so status becomes
// [NaN, NaN] (AdamW then skips, and the trainer reports an unknown tensor).
// One variant for every device type: the pass is one read of the gradients.
//
// Conventions (see residual.cl): (global T* X, int X_off) per buffer in Op order, then ints,
// then extras; padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF
#ifndef CHUNK
#define CHUNK 1024
#endif

__kernel void nonfinite_chunks(__global const float* grads, int grads_off, __global const int* ranges, int ranges_off,
                               int tensors, int n, __global int* first, int first_off) {
    int c = get_global_id(0);
    int chunks = (n + CHUNK - 1) / CHUNK;
    if (c >= chunks) return;
    grads += grads_off; ranges += ranges_off; first += first_off;
    int lo = max(ranges[0], c * CHUNK);
    int hi = min(min(ranges[tensors], n), c * CHUNK + CHUNK);
    int bad = INT_MAX;
    for (int i = lo; i < hi; i++) {
        if (!isfinite(grads[i])) {
            bad = i;
            break;
        }
    }
    first[c] = bad;
}

__kernel void nonfinite_status(__global float* status, int status_off, __global const float* loss, int loss_off,
                               __global const int* ranges, int ranges_off, int tensors, int n,
                               __global const int* first, int first_off) {
    if (get_global_id(0) != 0) return;
    status += status_off; loss += loss_off; ranges += ranges_off; first += first_off;
    int ok = ranges[0] >= 0 && ranges[tensors] <= n;
    for (int k = 0; k < tensors; k++) ok = ok && ranges[k] <= ranges[k + 1];
    if (!ok) {
        status[0] = NAN;
        status[1] = NAN;
        return;
    }
    if (!isfinite(loss[0])) {
        status[0] = 1.0f;
        status[1] = 0.0f;
        return;
    }
    int chunks = (n + CHUNK - 1) / CHUNK;
    int bad = INT_MAX;
    for (int c = 0; c < chunks; c++) {
        if (first[c] != INT_MAX) {
            bad = first[c];
            break;
        }
    }
    if (bad == INT_MAX) {
        status[0] = 0.0f;
        status[1] = -1.0f;
        return;
    }
    int k = 0;
    while (ranges[k + 1] <= bad) k++;  // the tensor holding element bad (empty tensors skipped)
    status[0] = 1.0f;
    status[1] = (float) (k + 1);
}
