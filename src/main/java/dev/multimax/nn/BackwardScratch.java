package dev.multimax.nn;

import dev.multimax.device.FloatArray;

/**
 * Gradient buffers shared by all blocks (the backward visits one block at a time):
 * dRes (M, D) carries ∂L/∂(residual stream) from block to block; dTmp, dH, dO (M, D);
 * dQkv (M, 3D); dP, dS (B, H, N, N); dF, dG (M, hidden).
 */
public record BackwardScratch(FloatArray dRes, FloatArray dTmp, FloatArray dH, FloatArray dO, FloatArray dQkv,
                              FloatArray dP, FloatArray dS, FloatArray dF, FloatArray dG) {

    public static BackwardScratch create(int batch, int tokens, int dim, int heads, int hidden) {
        int m = batch * tokens;
        int scores = batch * heads * tokens * tokens;
        return new BackwardScratch(new FloatArray("grad.residual", m * dim), new FloatArray("grad.tmp", m * dim),
                new FloatArray("grad.h", m * dim), new FloatArray("grad.context", m * dim),
                new FloatArray("grad.qkv", m * 3 * dim), new FloatArray("grad.probs", scores),
                new FloatArray("grad.scores", scores), new FloatArray("grad.fc1", m * hidden),
                new FloatArray("grad.gelu", m * hidden));
    }
}
