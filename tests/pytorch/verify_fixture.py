"""Cross-checks a fixture with a second, plain-numpy float64 forward pass (patch embedding as a
matmul over flattened patches, explicit LayerNorm / erf-GELU / attention loops) and checks the
stored gradients with central finite differences on a sample of parameter entries.

Usage: /usr/bin/python3 tests/pytorch/verify_fixture.py [FIXTURE.safetensors ...]
"""
import json
import math
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import safetensors_io  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
_erf = np.vectorize(math.erf)


def np_sigma(x, r, t):
    return (x + t[0] * np.maximum(r[0] - x, 0) + t[1] * np.maximum(x - r[1], 0)
            + t[2] * np.maximum(r[2] - x, 0) ** 2 + t[3] * np.maximum(x - r[3], 0) ** 2)


def np_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_ln(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def np_forward(p, cfg, images):
    B, C, S, _ = images.shape
    P, D, H = cfg["patch_size"], cfg["embed_dim"], cfg["num_heads"]
    h = S // P
    Dh = D // H
    eps = cfg["layer_norm_eps"]
    # patches in row-major patch order; each patch vector in (c, py, px) order
    patches = images.reshape(B, C, h, P, h, P).transpose(0, 2, 4, 1, 3, 5).reshape(B, h * h, C * P * P)
    x = patches @ p["patch_embed.proj.weight"].reshape(D, -1).T + p["patch_embed.proj.bias"]
    x = x + p["pos_embed"]
    N = h * h
    for i in range(cfg["depth"]):
        b = "blocks.%d." % i
        y = np_ln(x, p[b + "norm1.weight"], p[b + "norm1.bias"], eps)
        qkv = y @ p[b + "attn.qkv.weight"].T
        if cfg["qkv_bias"]:
            qkv = qkv + p[b + "attn.qkv.bias"]
        ctx = np.zeros((B, N, D))
        for hd in range(H):
            q = qkv[:, :, 0 * D + hd * Dh:0 * D + (hd + 1) * Dh]
            k = qkv[:, :, 1 * D + hd * Dh:1 * D + (hd + 1) * Dh]
            v = qkv[:, :, 2 * D + hd * Dh:2 * D + (hd + 1) * Dh]
            s = q @ k.transpose(0, 2, 1) / math.sqrt(Dh)
            if cfg["attn_act"] == "multimax":
                s = np_sigma(s, p[b + "attn.ranges"], p[b + "attn.ts"])
            ctx[:, :, hd * Dh:(hd + 1) * Dh] = np_softmax(s) @ v
        x = x + ctx @ p[b + "attn.proj.weight"].T + p[b + "attn.proj.bias"]
        y = np_ln(x, p[b + "norm2.weight"], p[b + "norm2.bias"], eps)
        u = y @ p[b + "mlp.fc1.weight"].T + p[b + "mlp.fc1.bias"]
        u = 0.5 * u * (1.0 + _erf(u / math.sqrt(2.0)))
        x = x + u @ p[b + "mlp.fc2.weight"].T + p[b + "mlp.fc2.bias"]
    z = np_ln(x, p["norm.weight"], p["norm.bias"], eps).mean(1) @ p["head.weight"].T + p["head.bias"]
    if cfg["head_act"] == "multimax":
        z = np_sigma(z, p["ranges"], p["ts"])
    return z


def np_loss(z, labels):
    lse = np.log(np.exp(z - z.max(1, keepdims=True)).sum(1)) + z.max(1)
    return float(np.mean(lse - z[np.arange(len(labels)), labels]))


def verify(path, samples=6, h=1e-6):
    t, meta = safetensors_io.load(path)
    cfg = json.loads(meta["config"])
    params = {k: v.astype(np.float64) for k, v in t.items() if not k.startswith(("input.", "output.", "grad."))}
    images = t["input.images"].astype(np.float64)
    labels = t["input.labels"]
    z = np_forward(params, cfg, images)
    err_z = np.abs(z - t["output.logits"]).max()
    err_l = abs(np_loss(z, labels) - t["output.loss"][0])
    assert err_z < 1e-12 and err_l < 1e-12, (err_z, err_l)
    rng = np.random.RandomState(0)
    worst = 0.0
    for name in params:
        g = t["grad." + name]
        flat = rng.choice(g.size, size=min(samples, g.size), replace=False)
        for idx in flat:
            pp = {k: v.copy() for k, v in params.items()}
            pp[name].reshape(-1)[idx] += h
            lp = np_loss(np_forward(pp, cfg, images), labels)
            pp[name].reshape(-1)[idx] -= 2 * h
            lm = np_loss(np_forward(pp, cfg, images), labels)
            fd = (lp - lm) / (2 * h)
            an = g.reshape(-1)[idx]
            err = abs(fd - an) / max(1e-3, abs(an))
            worst = max(worst, err)
            assert err < 1e-5, "%s[%d]: finite difference %.10g vs stored %.10g" % (name, idx, fd, an)
    print("ok %s: numpy forward max|dz| %.2e, |dloss| %.2e; finite-difference grads worst rel err %.2e"
          % (os.path.relpath(path, ROOT), err_z, err_l, worst))


def main():
    paths = sys.argv[1:] or [os.path.join(ROOT, "src/test/resources/fixtures", n)
                             for n in ("tiny-vit-multimax.safetensors", "tiny-vit-softmax.safetensors")]
    for p in paths:
        verify(p)


if __name__ == "__main__":
    main()
