#!/usr/bin/env bash
# Regenerates docs/generated/ from the ODS sources (dialect, interfaces,
# passes). test/docs/generated-current.test fails when they are stale.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" tt-doc
for f in include/tt/Dialect/TT/IR/TTDialect.md \
         include/tt/Dialect/TT/IR/TTInterfaces.md \
         include/tt/Dialect/TT/Transforms/TTPasses.md; do
  cp "$build/$f" "$root/docs/generated/$(basename "$f")"
done
