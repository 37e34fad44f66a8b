// loss.cl — softmax cross-entropy on logits(B,K) with int labels(B), over the first valid rows
// (the semantics of device/java/LossKernels.crossEntropy):
//   dLogits(r,·) = (softmax(logits(r,·)) − onehot(label r)) / valid   for r < valid, 0 for r ≥ valid;
//   metrics(2) = [Σ_r loss(r), #rows whose argmax (first maximum) is the label], rows r < valid.
// valid(1) is a device buffer (a short last batch changes it per step), read as (int) valid[0].
// Two launches, deterministic (no atomics):
//   cross_entropy_rows (one item per row): the row's softmax, gradient, loss and hit into scratch
//       (loss per row in double when the device has fp64, -DMM_FP64, as java:0 sums in double);
//   cross_entropy_sum (one item): metrics = the per-row values summed in row order (Kahan in float).
// Without fp64 the row's log-sum-exp is max + log1p(Σ_{j≠argmax} e^{z_j − max}), so a small loss
// keeps its relative accuracy.
// java:0 throws on valid outside [0, B] or a label outside [0, K); a kernel cannot throw, so such
// a batch gets NaN metrics (and NaN gradients on the offending rows, or every row for a bad valid),
// which the trainer's non-finite check reports.
// K is the class count (10): one item per row suits GPUs too, so there is one variant.
//
// Conventions (see residual.cl): (global T* X, int X_off) per buffer in Op order, then ints,
// then extras; padded global sizes with guards; FP_CONTRACT OFF.
#pragma OPENCL FP_CONTRACT OFF
#ifdef MM_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif

// (int) valid (truncated, as java:0), or −1 when that is not a row count in [0, B] (or valid is NaN).
static int valid_rows(const __global float* valid, int B) {
    float v = valid[0];
    if (isnan(v) || v <= -1.0f || v >= (float) B + 1.0f) return -1;
    int rows = (int) v;
    return rows > B ? -1 : rows;
}

__kernel void cross_entropy_rows(__global float* dLogits, int dLogits_off, __global const float* logits, int logits_off,
                                 __global const int* labels, int labels_off, __global const float* valid, int valid_off,
                                 int B, int K, __global acc_t* rowLoss, int rowLoss_off,
                                 __global int* rowHit, int rowHit_off) {
    int r = get_global_id(0);
    if (r >= B) return;
    dLogits += dLogits_off; logits += logits_off; labels += labels_off; valid += valid_off;
    rowLoss += rowLoss_off; rowHit += rowHit_off;
    __global float* d = dLogits + (size_t) r * K;
    const __global float* z = logits + (size_t) r * K;
    int rows = valid_rows(valid, B);
    if (rows < 0) {
        for (int j = 0; j < K; j++) d[j] = NAN;
        rowLoss[r] = NAN;
        rowHit[r] = 0;
        return;
    }
    if (r >= rows) {
        for (int j = 0; j < K; j++) d[j] = 0.0f;
        rowLoss[r] = 0;
        rowHit[r] = 0;
        return;
    }
    int label = labels[r];
    if (label < 0 || label >= K) {
        for (int j = 0; j < K; j++) d[j] = NAN;
        rowLoss[r] = NAN;
        rowHit[r] = 0;
        return;
    }
    float max = -INFINITY;
    int argmax = 0;
    for (int j = 0; j < K; j++) {
        float v = z[j];
        if (v > max) {
            max = v;
            argmax = j;
        }
    }
    float scale = 1.0f / rows;
#ifdef MM_FP64
    double sum = 0.0;
    for (int j = 0; j < K; j++) sum += exp((double) (z[j] - max));
    double lse = max + log(sum);
    rowLoss[r] = lse - z[label];
    for (int j = 0; j < K; j++) {
        float prob = (float) exp(z[j] - lse);
        d[j] = (prob - (j == label ? 1.0f : 0.0f)) * scale;
    }
#else
    // sum = 1 + rest (the maximum's own term is 1): log1p keeps a small loss accurate
    float rest = 0.0f;
    for (int j = 0; j < K; j++) {
        if (j != argmax) rest += exp(z[j] - max);
    }
    float logSum = log1p(rest);
    rowLoss[r] = (max - z[label]) + logSum;  // lse − z[label] without cancelling against max
    for (int j = 0; j < K; j++) {
        float prob = exp((z[j] - max) - logSum);
        d[j] = (prob - (j == label ? 1.0f : 0.0f)) * scale;
    }
#endif
    rowHit[r] = argmax == label ? 1 : 0;
}

__kernel void cross_entropy_sum(__global float* metrics, int metrics_off, __global const acc_t* rowLoss, int rowLoss_off,
                                __global const int* rowHit, int rowHit_off, int B) {
    if (get_global_id(0) != 0) return;
    metrics += metrics_off; rowLoss += rowLoss_off; rowHit += rowHit_off;
    acc_t loss = 0;
    int hits = 0;
#ifdef MM_FP64
    for (int r = 0; r < B; r++) {
        loss += rowLoss[r];
        hits += rowHit[r];
    }
#else
    float comp = 0.0f;  // Kahan: B float terms
    for (int r = 0; r < B; r++) {
        float y = rowLoss[r] - comp;
        float t = loss + y;
        comp = (t - loss) - y;
        loss = t;
        hits += rowHit[r];
    }
#endif
    metrics[0] = (float) loss;
    metrics[1] = (float) hits;
}

// ---- nll_probs: negative log-likelihood on probabilities P(B,K) (the head's sparsemax, entmax,
// evsoftmax output), semantics of LossKernels.nllProbs: loss −log(max(P[label], 1e-12)),
// dP = −1/(valid·P[label]) at the label where P[label] > 1e-12, 0 elsewhere and on rows ≥ valid.
// Rows here, then cross_entropy_sum (above) for the metrics.
__kernel void nll_probs_rows(__global float* dP, int dP_off, __global const float* P, int P_off,
                             __global const int* labels, int labels_off, __global const float* valid, int valid_off,
                             int B, int K, __global acc_t* rowLoss, int rowLoss_off,
                             __global int* rowHit, int rowHit_off) {
    int r = get_global_id(0);
    if (r >= B) return;
    dP += dP_off; P += P_off; labels += labels_off; valid += valid_off;
    rowLoss += rowLoss_off; rowHit += rowHit_off;
    __global float* d = dP + (size_t) r * K;
    const __global float* p = P + (size_t) r * K;
    int rows = valid_rows(valid, B);
    int label = r < rows ? labels[r] : 0;
    if (rows < 0 || label < 0 || label >= K) {
        for (int j = 0; j < K; j++) d[j] = NAN;
        rowLoss[r] = NAN;
        rowHit[r] = 0;
        return;
    }
    for (int j = 0; j < K; j++) d[j] = 0.0f;
    if (r >= rows) {
        rowLoss[r] = 0;
        rowHit[r] = 0;
        return;
    }
    float max = -INFINITY;
    int argmax = 0;
    for (int j = 0; j < K; j++) {
        if (p[j] > max) {
            max = p[j];
            argmax = j;
        }
    }
    float pl = p[label];
#ifdef MM_FP64
    rowLoss[r] = -log(fmax((double) pl, (double) 1e-12f));
#else
    rowLoss[r] = -log(fmax(pl, 1e-12f));
#endif
    if (pl > 1e-12f) d[label] = -(1.0f / rows) / pl;
    rowHit[r] = argmax == label ? 1 : 0;
}
