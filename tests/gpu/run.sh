#!/usr/bin/env bash
# The GPU check, on a machine with an NVIDIA driver (and CUDA) but no Java, from what
# tests/gpu/build-carry.sh prepared in target/gpu. Everything goes under $OUT:
#   nvidia-smi.txt, devices.txt, check.txt + check.json (every device against ref:0),
#   bench-<device>.txt/.json (cuda:0 and NVIDIA's OpenCL, from source and from the shipped PTX as a
#   program binary, opencl:P:D/ptx, whose check runs too), train.txt (a short run on cuda:0),
#   compare/ (cuda:0, the OpenCL GPU, java:0), summary.txt (each step's exit code and time).
# A step that fails is recorded and the next one runs: one call gathers everything there is.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-$PWD/gpu-out}"
mkdir -p "$OUT"
G=target/gpu
JAVA="$G/runtime/bin/java"
[ -x "$JAVA" ] || { echo "gpu: no $JAVA: run tests/gpu/build-carry.sh first and carry target/gpu" >&2; exit 2; }
mm() { MULTIMAX_NO_INSTALL=1 "$JAVA" --add-modules jdk.incubator.vector -Xmx16g -Dmultimax.home="$PWD" \
  -cp "$G/multimax-vit.jar:$G/lib/*" dev.multimax.cli.Main "$@"; }
step() {  # step NAME COMMAND...: runs it with its output in $OUT/NAME.txt, and notes rc and seconds
  local name="$1"; shift
  local t0=$SECONDS
  "$@" > "$OUT/$name.txt" 2>&1
  local rc=$?
  printf '%-14s rc=%-3s %4ss  %s\n' "$name" "$rc" "$((SECONDS - t0))" "$*" | tee -a "$OUT/summary.txt"
}
: > "$OUT/summary.txt"
step nvidia-smi nvidia-smi
step devices mm devices
CL_GPU="$(mm devices --json 2>/dev/null | python3 -c 'import json,sys
print(next((d["id"] for d in json.load(sys.stdin) if d["id"].startswith("opencl:") and d["type"] == "GPU"), ""))')"
step check mm check --device all --json "$OUT/check.json"
step bench-cuda mm bench --device cuda:0 --json "$OUT/bench-cuda.json"
[ -n "$CL_GPU" ] && step bench-opencl mm bench --device "$CL_GPU" --json "$OUT/bench-opencl.json"
[ -n "$CL_GPU" ] && step check-cl-ptx mm check --device "$CL_GPU/ptx" --json "$OUT/check-cl-ptx.json"
[ -n "$CL_GPU" ] && step bench-cl-ptx mm bench --device "$CL_GPU/ptx" --json "$OUT/bench-cl-ptx.json"
step train mm train --device cuda:0 --data "$G/mnist" --epochs 1 --val 1000 --out "$OUT/run" --log-jsonl "$OUT/train.jsonl"
step compare mm compare --devices "cuda:0${CL_GPU:+,$CL_GPU},java:0" --steps 10 --out "$OUT/compare"
