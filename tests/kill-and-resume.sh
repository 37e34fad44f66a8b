#!/usr/bin/env bash
# Kill training with SIGKILL at random moments, resume each time, and compare the final weights with
# an uninterrupted run of the same options. Usage: tests/kill-and-resume.sh [KILLS] (default 3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MM="$ROOT/bin/multimax"
KILLS="${1:-3}"
WORK="$(mktemp -d)"
export MULTIMAX_THREADS="${MULTIMAX_THREADS:-2}"
OPTS=(--device java:0 --limit-train 96 --limit-test 32 --batch 16 --epochs 3 --warmup 3 --checkpoint-every 2)
# The newest complete checkpoint of run folder $1 (empty while there is none).
newest() {
  local d last=""
  for d in "$1"/checkpoints/step-????????; do [ -f "$d/manifest.json" ] && last="$(basename "$d")"; done
  echo "$last"
}

echo "reference run in $WORK/ref"
"$MM" train "${OPTS[@]}" --out "$WORK/ref" --log-jsonl "$WORK/ref/log.jsonl" > "$WORK/ref.out" 2>&1
args=(train "${OPTS[@]}" --out "$WORK/run" --log-jsonl "$WORK/run/log.jsonl")
for k in $(seq "$KILLS"); do
  before="$(newest "$WORK/run")"
  "$MM" "${args[@]}" > "$WORK/run$k.out" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && [ "$(newest "$WORK/run")" = "$before" ]; do sleep 0.05; done
  sleep "0.$((RANDOM % 10))"
  if kill -9 "$pid" 2>/dev/null; then echo "killed run $k after $(newest "$WORK/run")"; fi
  wait "$pid" 2>/dev/null || true
  args=(train --resume "$WORK/run")
done
"$MM" train --resume "$WORK/run" > "$WORK/last.out" 2>&1
if cmp -s "$WORK/ref/model.safetensors" "$WORK/run/model.safetensors"; then
  echo "OK: final weights bitwise identical to the uninterrupted run"
else
  echo "DIFFERENT: final weights differ from the uninterrupted run (see $WORK)"; exit 1
fi
# epoch lines up to the losses and accuracy (images/s and elapsed time differ; 'done' names each run's folder)
epochs() { grep '"event":"epoch"' "$1" | cut -d, -f1-5; }
if diff <(epochs "$WORK/ref/log.jsonl") <(epochs "$WORK/run/log.jsonl"); then
  echo "OK: the same epoch lines in the JSONL log, each once"
else
  echo "DIFFERENT: the JSONL logs differ (see $WORK)"; exit 1
fi
