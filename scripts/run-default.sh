#!/usr/bin/env bash
# The main job on the embedded default: load the bundled Llama-3-8B
# architecture (data/models/llama-3-8b.mlir), verify it and print its report.
# Pass another model file to report on it instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" tt-opt >&2
model="${1:-$root/data/models/llama-3-8b.mlir}"
exec "$build/bin/tt-opt" "$model" --tt-report=pretty=1 -o /dev/null
