#!/usr/bin/env bash
# Regenerates the expected blocks of unittests/Support/QuantizeGGMLTest.cpp:
# builds ggml's base library from the llama.cpp source that the npm package
# node-llama-cpp ships (as bench/build-llama-cpp.sh does; nothing of it is
# committed to tt) and quantises stories260K's F32 matrices with ggml's own
# ggml_quantize_chunk (Q8_0, Q4_0, MXFP4); then checks tt-run on GGUFs whose
# blocks ggml wrote against tt-quantize (TT_BUILD_DIR: the build to use).
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

# End to end: a GGUF whose blocks ggml wrote, run by tt-run, against the F32
# GGUF quantised by tt-quantize at bind time: the logits must be identical
# (max_abs 0), which needs every block bit-identical.
build="${TT_BUILD_DIR:-$root/build}"
g++ -O2 -Isrc/ggml/include "$root/bench/ggml-quant-gguf.cpp" -Lbuild/bin \
  -lggml-base -Wl,-rpath,"$work/build/bin" -o ggml-quant-gguf
prompt="1 403 407 261 378 429 297 1 99 123 55 77 300"
for t in q8_0 q4_0 mxfp4; do
  ./ggml-quant-gguf "$gguf" "stories-$t.gguf" "$t" >/dev/null
  "$build/bin/tt-run" "stories-$t.gguf" --prompt-ids "$prompt" -n 8 \
    --temperature 0 --dump-logits "ggml-$t.bin" >/dev/null 2>&1
  "$build/bin/tt-run" "$gguf" --prompt-ids "$prompt" -n 8 --temperature 0 \
    --passes="builtin.module(tt-quantize{format=$t})" \
    --dump-logits "tt-$t.bin" >/dev/null 2>&1
  echo "$t: $(python3 "$root/utils/compare-logits.py" "ggml-$t.bin" "tt-$t.bin" \
    --vocab 512 --max-abs 0)"
done
