// group_reduce.cl — work-group reductions for the GPU row kernels (one work-group of WG items per
// row, WG a power of two defined by the including file). Every item must call them (they hold
// barriers: no item may return before), and every item gets the result. softmax.cl and multimax.cl
// include this file (KernelSources resolves the include, one level).

#ifndef WG
#define WG 64
#endif

float group_max(__local float* red, float v) {
    int l = get_local_id(0);
    red[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (l < s) red[l] = fmax(red[l], red[l + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = red[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

float group_sum(__local float* red, float v) {
    int l = get_local_id(0);
    red[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (l < s) red[l] = red[l] + red[l + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = red[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}
