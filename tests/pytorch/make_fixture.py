"""Generates the tiny ViT fixtures used by the Java tests.

For each fixture: random float32 parameters (fixed seed), a random batch, and, computed in
float64 with autograd, the model outputs (after sigma_out), the mean cross-entropy loss and
the gradient of the loss w.r.t. every parameter. Written as safetensors to
src/test/resources/fixtures/<name>.safetensors (relative to the repository root).

Usage: /usr/bin/python3 tests/pytorch/make_fixture.py [OUT_DIR]
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import safetensors_io  # noqa: E402
from vit_multimax import VitMultiMax, expected_param_names, loss_fn, sigma  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
GENERATOR = "tests/pytorch/make_fixture.py"

BASE = dict(img_size=12, patch_size=4, in_chans=1, num_classes=5, embed_dim=12, depth=2,
            num_heads=3, mlp_ratio=2.0, qkv_bias=False, attn_act="multimax", head_act="multimax",
            layer_norm_eps=1e-6)

FIXTURES = [
    ("tiny-vit-multimax", dict(BASE), 1234),
    ("tiny-vit-softmax", dict(BASE, qkv_bias=True, attn_act="softmax", head_act="softmax"), 5678),
]
BATCH = 4


def random_params(model, rng):
    """Fills every parameter (in place) with float32-representable random values."""
    for name, p in model.named_parameters():
        shape = tuple(p.shape)
        if name.endswith("ranges") or name.endswith("ts"):
            v = rng.normal(0.0, 0.5, shape)
        elif "norm" in name and name.endswith(".weight"):
            v = 1.0 + rng.normal(0.0, 0.2, shape)
        elif name.endswith(".bias"):
            v = rng.normal(0.0, 0.1, shape)
        else:  # conv / linear weights and pos_embed
            v = rng.normal(0.0, 0.3, shape)
        with torch.no_grad():
            p.copy_(torch.from_numpy(v.astype(np.float32)))


def sigma_coverage(model, images):
    """For each MultiMax site: how many inputs fall in each active piece, and the smallest
    distance of any input to a threshold (float32 kink-crossing margin)."""
    sites = []
    captured = {}

    def make_hook(i):
        def hook(mod, inp, out):
            x = inp[0]
            B, N, C = x.shape
            qkv = mod.qkv(x).reshape(B, N, 3, mod.num_heads, mod.head_dim).permute(2, 0, 3, 1, 4)
            captured[i] = (qkv[0] @ qkv[1].transpose(-2, -1)) * mod.scale
        return hook

    handles = []
    for i, blk in enumerate(model.blocks):
        if blk.attn.attn_act == "multimax":
            handles.append(blk.attn.register_forward_hook(make_hook(i)))
    with torch.no_grad():
        model(images)
        for h in handles:
            h.remove()
        for i, s in sorted(captured.items()):
            sites.append(("blocks.%d.attn" % i, s, model.blocks[i].attn.ranges, model.blocks[i].attn.ts))
        if model.head_act == "multimax":
            x = model.patch_embed(images) + model.pos_embed
            for blk in model.blocks:
                x = blk(x)
            z = model.head(model.norm(x).mean(dim=1))
            sites.append(("head", z, model.ranges, model.ts))
    report = []
    for name, x, r, t in sites:
        counts = [int((r[0] - x > 0).sum()), int((x - r[1] > 0).sum()),
                  int((r[2] - x > 0).sum()), int((x - r[3] > 0).sum())]
        margin = min(float((x - r[k]).abs().min()) for k in range(4))
        report.append((name, x.numel(), counts, margin))
    return report


def build(name, config, seed, out_dir):
    rng = np.random.RandomState(seed)
    torch.manual_seed(seed)
    model = VitMultiMax(config)
    names = expected_param_names(config)  # the documented (timm) order, used for the file
    assert sorted(n for n, _ in model.named_parameters()) == sorted(names)
    assert sorted(model.state_dict().keys()) == sorted(names)
    random_params(model, rng)
    images32 = rng.normal(0.0, 1.0, (BATCH, config["in_chans"], config["img_size"],
                                     config["img_size"])).astype(np.float32)
    # distinct labels (BATCH <= num_classes) so that every sample pulls a different class
    labels = rng.permutation(config["num_classes"])[:BATCH].astype(np.int64)

    pdict = dict(model.named_parameters())
    params32 = {n: pdict[n].detach().numpy().astype(np.float32).copy() for n in names}

    model = model.double()
    images = torch.from_numpy(images32).double()
    model.zero_grad()
    out = model(images)
    loss = loss_fn(out, torch.from_numpy(labels))
    loss.backward()

    tensors = dict(params32)
    tensors["input.images"] = images32
    tensors["input.labels"] = labels
    tensors["output.logits"] = out.detach().numpy().astype(np.float64)
    tensors["output.loss"] = np.array([loss.item()], dtype=np.float64)
    pdict = dict(model.named_parameters())
    for n in names:
        tensors["grad." + n] = pdict[n].grad.detach().numpy().astype(np.float64)

    meta_cfg = dict(config, normalize_mean=0.0, normalize_std=1.0)
    metadata = {"config": json.dumps(meta_cfg), "generator": GENERATOR}
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".safetensors")
    safetensors_io.save(path, tensors, metadata)

    # read back and check the round trip
    back, meta = safetensors_io.load(path)
    assert list(back.keys()) == list(tensors.keys())
    for k, v in tensors.items():
        assert back[k].dtype == v.dtype and back[k].shape == v.shape and np.array_equal(back[k], v), k
    assert json.loads(meta["config"]) == meta_cfg

    print("== %s (seed %d) -> %s (%d bytes)" % (name, seed, os.path.relpath(path, ROOT), os.path.getsize(path)))
    print("config:", meta["config"])
    print("labels:", labels.tolist())
    print("loss: %.17g" % loss.item())
    print("outputs:\n", out.detach().numpy())
    for site, numel, counts, margin in sigma_coverage(model, images):
        print("sigma site %-14s %4d inputs; active pieces t0..t3: %s; min |x - r_k| = %.3g"
              % (site, numel, counts, margin))
        assert all(c > 0 for c in counts), "a sigma piece is inactive at %s; pick another seed" % site
    for k, v in tensors.items():
        print("  %-32s %-4s %s" % (k, {np.dtype('float32'): 'F32', np.dtype('float64'): 'F64',
                                       np.dtype('int64'): 'I64'}[v.dtype], list(v.shape)))
    return path


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "src", "test", "resources", "fixtures")
    for name, config, seed in FIXTURES:
        build(name, config, seed, out_dir)


if __name__ == "__main__":
    main()
