"""Runs a checkpoint written by the Java program through the PyTorch oracle.

Usage:
  /usr/bin/python3 tests/pytorch/eval_checkpoint.py CHECKPOINT.safetensors IMAGES.f32 N OUT.f32
        [--compare JAVA_LOGITS.f32] [--tol 1e-3]

CHECKPOINT: timm parameter names + __metadata__.config (JSON). IMAGES.f32: raw little-endian
float32 [N, C, H, W], already normalized. Writes the model outputs (after sigma_out) as raw
little-endian float32 [N, K] to OUT.f32. With --compare, prints the relative L2 error
||java - torch|| / ||torch|| and exits 1 when it exceeds the tolerance.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from vit_multimax import CONFIG_KEYS, VitMultiMax  # noqa: E402


def load_model(path):
    tensors, meta = safetensors_io.load(path)
    if "config" not in meta:
        raise SystemExit("%s: __metadata__ has no 'config'" % path)
    config = json.loads(meta["config"])
    missing_keys = [k for k in CONFIG_KEYS if k not in config and k not in ("layer_norm_eps",)]
    if missing_keys:
        raise SystemExit("%s: config lacks %s" % (path, missing_keys))
    model = VitMultiMax(config)
    want = dict(model.named_parameters())
    missing = [n for n in want if n not in tensors]
    # fixtures carry input.*, output.* and grad.* beside the parameters: ignore those
    unexpected = [n for n in tensors if n not in want
                  and not n.startswith(("input.", "output.", "grad."))]
    if missing or unexpected:
        raise SystemExit("%s: missing tensors %s, unexpected tensors %s" % (path, missing, unexpected))
    with torch.no_grad():
        for n, p in want.items():
            a = tensors[n]
            if tuple(a.shape) != tuple(p.shape):
                raise SystemExit("%s: %s has shape %s, expected %s" % (path, n, list(a.shape), list(p.shape)))
            p.copy_(torch.from_numpy(a.astype(np.float32)))
    return model.float().eval(), config


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint")
    ap.add_argument("images")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--compare", metavar="JAVA_LOGITS.f32")
    ap.add_argument("--tol", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=256, help="images per forward pass")
    args = ap.parse_args(argv)

    model, cfg = load_model(args.checkpoint)
    c, s, k = int(cfg["in_chans"]), int(cfg["img_size"]), int(cfg["num_classes"])
    per = c * s * s
    raw = np.fromfile(args.images, dtype="<f4")
    if raw.size < args.n * per:
        raise SystemExit("%s: holds %d floats, need %d for N=%d x [%d,%d,%d]"
                         % (args.images, raw.size, args.n * per, args.n, c, s, s))
    images = raw[:args.n * per].reshape(args.n, c, s, s)
    outs = []
    with torch.no_grad():
        for i in range(0, args.n, args.batch):
            outs.append(model(torch.from_numpy(images[i:i + args.batch].copy())).numpy())
    out = np.concatenate(outs, axis=0).astype("<f4") if outs else np.zeros((0, k), "<f4")
    out.tofile(args.out)
    print("wrote %s: float32 [%d, %d] (attn_act=%s, head_act=%s)"
          % (args.out, out.shape[0], out.shape[1], cfg.get("attn_act"), cfg.get("head_act")))

    if args.compare:
        java = np.fromfile(args.compare, dtype="<f4")
        if java.size != out.size:
            print("compare: %s holds %d floats, expected %d" % (args.compare, java.size, out.size))
            return 1
        java = java.reshape(out.shape).astype(np.float64)
        ref = out.astype(np.float64)
        den = np.linalg.norm(ref)
        rel = np.linalg.norm(java - ref) / (den if den > 0 else 1.0)
        agree = float(np.mean(java.argmax(1) == ref.argmax(1))) if out.shape[0] else 1.0
        print("relative L2 error ||java - torch|| / ||torch|| = %.3e (max abs %.3e, argmax agreement %.4f)"
              % (rel, float(np.abs(java - ref).max()) if out.size else 0.0, agree))
        if not np.isfinite(rel) or rel > args.tol:
            print("FAIL: relative error above %g" % args.tol)
            return 1
        print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
