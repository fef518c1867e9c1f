#!/usr/bin/env bash
# Memory bandwidth and decode matmul throughput of the runtime kernels.
#
# Builds tt-bench-kernels (in $TT_BUILD_DIR, default build/) and runs it at
# 1 and 2 threads (override: THREADS="1 2 4"). For each weight format it
# prints the measured read bandwidth, the decode (M = 1) throughput of
# ttrt_matmul over a TinyLlama-1.1B layer's matrices plus its lm_head
# (5632x2048, 2048x5632, 32000x2048) as GB/s of weights read, the fraction of
# the bandwidth that is, and prefill (M = 64) GFLOP/s.
#   bench/matmul-bandwidth.sh [--seconds S] [--types f32,f16,q8_0,...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" tt-bench-kernels >&2
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
for t in ${THREADS:-1 2}; do
  echo
  "$build/bin/tt-bench-kernels" --threads "$t" "$@"
done
