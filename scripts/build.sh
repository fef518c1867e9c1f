#!/usr/bin/env bash
# Configures (once) and builds tt in build/ (override with TT_BUILD_DIR).
# Extra arguments are ninja targets.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
"$root/scripts/install-deps.sh"
if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  # ccache, when installed, makes a second build directory cheap.
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    "${launcher[@]}" >/dev/null
fi
ninja -C "$build" "$@"
