#!/usr/bin/env bash
# Loads a checkpoint into the independent PyTorch implementation (tests/pytorch/vit_multimax.py) and
# compares its outputs with `multimax eval --dump-logits` on the same N test images.
#   tests/check-against-pytorch.sh CHECKPOINT [N]      (needs Debian's python3-torch: apt-get install python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
ckpt="${1:?usage: tests/check-against-pytorch.sh CHECKPOINT [N]}"
n="${2:-256}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bin/multimax eval --checkpoint "$ckpt" --dump-logits "$tmp/java.f32" --dump-inputs "$tmp/inputs.f32" --n "$n"
/usr/bin/python3 tests/pytorch/eval_checkpoint.py "$ckpt" "$tmp/inputs.f32" "$n" "$tmp/torch.f32" --compare "$tmp/java.f32"
