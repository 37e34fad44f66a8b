"""PyTorch reference timing of a preset's training step (forward, cross-entropy, backward, AdamW).

Not part of the product: the peer the benchmarks compare with, using the independent PyTorch model
of tests/pytorch (same architecture as the Java/OpenCL step). Prints the median step time and images/s.

    OPENBLAS_CORETYPE=SKYLAKEX python3 bench/pytorch_step.py [--preset mnist-vit|mnist-vit-p7|deit-tiny]
        [--batch 128] [--steps 20] [--warmup 5] [--attn multimax|softmax] [--threads 2]

Debian's OpenBLAS picks slow kernels on this AMD CPU unless OPENBLAS_CORETYPE=SKYLAKEX is set
(../shared/docs/ENVIRONMENT.md).
"""
import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "pytorch"))
from vit_multimax import VitMultiMax, loss_fn  # noqa: E402


# The presets of model/Presets.java that this script knows (same shapes; qkv without bias, MLP ratio 4).
PRESETS = {
    "mnist-vit": {"img_size": 28, "patch_size": 4, "in_chans": 1, "num_classes": 10, "embed_dim": 96, "depth": 6,
                  "num_heads": 3},
    "mnist-vit-p7": {"img_size": 28, "patch_size": 7, "in_chans": 1, "num_classes": 10, "embed_dim": 96, "depth": 4,
                     "num_heads": 4},
    "deit-tiny": {"img_size": 224, "patch_size": 16, "in_chans": 3, "num_classes": 1000, "embed_dim": 192,
                  "depth": 12, "num_heads": 3},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", default="mnist-vit", choices=sorted(PRESETS))
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--attn", default="multimax", choices=["multimax", "softmax"])
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    config = dict(PRESETS[a.preset], mlp_ratio=4.0, qkv_bias=False, attn_act=a.attn, head_act=a.attn)
    model = VitMultiMax(config)
    for p in model.parameters():
        torch.nn.init.normal_(p, std=0.02)
    decay = [p for n, p in model.named_parameters() if p.dim() > 1]
    rest = [p for n, p in model.named_parameters() if p.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": rest, "weight_decay": 0.0}],
                            lr=1e-3)
    images = torch.randn(a.batch, config["in_chans"], config["img_size"], config["img_size"])
    labels = torch.randint(0, config["num_classes"], (a.batch,))
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(images), labels)
        loss.backward()
        opt.step()
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
    ms = statistics.median(times) * 1e3
    print("pytorch %s %s step %s batch %d, %d threads: %.1f ms/step (median of %d), %.0f images/s"
          % (torch.__version__, a.attn, a.preset, a.batch, a.threads, ms, a.steps, a.batch * 1e3 / ms))


if __name__ == "__main__":
    main()
