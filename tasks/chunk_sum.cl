// chunk_sum.cl — pass 2 of the deterministic column sums of linear.cl and mlp.cl (which include
// this file; KernelSources resolves the include, one level): out(N) = Σ_c P(c, N), in chunk order.

__kernel void chunk_column_sum(__global float* out, int out_off, __global const float* P, int P_off, int N, int chunks) {
    int j = get_global_id(0);
    if (j >= N) return;
    out += out_off; P += P_off;
    float s = 0.0f;
    for (int c = 0; c < chunks; c++) s += P[c * N + j];
    out[j] = s;
}
