#!/usr/bin/env bash
# Builds llama.cpp's llama-bench (and llama-cli's sibling llama-simple) in a
# temporary folder from the source that the npm package node-llama-cpp ships
# as a git bundle (llama/gitRelease.bundle). Nothing of llama.cpp is
# committed to tt. Prints the folder holding the binaries.
#   bench/build-llama-cpp.sh [WORKDIR]   (default: /tmp/tt-llama-cpp)
set -euo pipefail
work="${1:-/tmp/tt-llama-cpp}"
mkdir -p "$work"
cd "$work"
if [ ! -x build/bin/llama-bench ]; then
  if [ ! -d src ]; then
    tgz=$(npm pack node-llama-cpp --silent 2>/dev/null | tail -1)
    tar xzf "$tgz"
    git clone -q package/llama/gitRelease.bundle src
  fi
  cmake -S src -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON \
    -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF \
    -DGGML_OPENMP=ON >/dev/null
  ninja -C build llama-bench llama-simple >&2
fi
echo "$work/build/bin"
