package dev.multimax.nn;

import dev.multimax.device.FloatArray;

/**
 * What one transformer block saves in the forward for its backward. Shapes with M = B·N tokens:
 * in, h1, o, x1, h2, out (M, D); mean1, rstd1, mean2, rstd2 (M); qkv (M, 3D);
 * s, p (B, H, N, N); f1, g (M, hidden).
 */
public record BlockBuffers(FloatArray in, FloatArray h1, FloatArray mean1, FloatArray rstd1, FloatArray qkv,
                           FloatArray s, FloatArray p, FloatArray o, FloatArray x1, FloatArray h2, FloatArray mean2,
                           FloatArray rstd2, FloatArray f1, FloatArray g, FloatArray out) {

    /** Allocates the buffers of block {@code path} on top of input {@code in}. */
    public static BlockBuffers create(String path, FloatArray in, int batch, int tokens, int dim, int heads, int hidden) {
        int m = batch * tokens;
        int scores = batch * heads * tokens * tokens;
        return new BlockBuffers(in, new FloatArray(path + ".h1", m * dim), new FloatArray(path + ".mean1", m),
                new FloatArray(path + ".rstd1", m), new FloatArray(path + ".qkv", m * 3 * dim),
                new FloatArray(path + ".scores", scores), new FloatArray(path + ".probs", scores),
                new FloatArray(path + ".context", m * dim), new FloatArray(path + ".x1", m * dim),
                new FloatArray(path + ".h2", m * dim), new FloatArray(path + ".mean2", m),
                new FloatArray(path + ".rstd2", m), new FloatArray(path + ".fc1", m * hidden),
                new FloatArray(path + ".gelu", m * hidden), new FloatArray(path + ".out", m * dim));
    }
}
