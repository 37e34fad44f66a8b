#!/usr/bin/env bash
# The test command (README): every unit, kernel, model and CLI test through Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp verify "$@"
