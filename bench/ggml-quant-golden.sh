#!/usr/bin/env bash
# Regenerates the expected blocks of unittests/Support/QuantizeGGMLTest.cpp:
# builds ggml's base library from the llama.cpp source that the npm package
# node-llama-cpp ships (as bench/build-llama-cpp.sh does; nothing of it is
# committed to tt) and quantises stories260K's F32 matrices with ggml's own
# ggml_quantize_chunk (Q8_0, Q4_0, MXFP4).
#   bench/ggml-quant-golden.sh [WORKDIR]   (default: /tmp/tt-ggml-quant)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/tt-ggml-quant}"
gguf="${TT_SHARED_DIR:-$root/../shared}/models/stories260K/stories260K.gguf"
mkdir -p "$work"
cd "$work"
if [ ! -f build/bin/libggml-base.so ]; then
  if [ ! -d src ]; then
    tgz=$(npm pack node-llama-cpp --silent 2>/dev/null | tail -1)
    tar xzf "$tgz"
    git clone -q package/llama/gitRelease.bundle src
  fi
  cmake -S src -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF \
    -DGGML_OPENMP=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_TOOLS=OFF >/dev/null
  ninja -C build ggml-base >&2
fi
g++ -O2 -Isrc/ggml/include "$root/bench/ggml-quant-golden.cpp" -Lbuild/bin \
  -lggml-base -Wl,-rpath,"$work/build/bin" -o ggml-quant-golden
./ggml-quant-golden "$gguf"
