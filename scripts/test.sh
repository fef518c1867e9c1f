#!/usr/bin/env bash
# Builds everything and runs every test: lit + FileCheck and the gtest unit
# tests (`ninja check-tt`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/build.sh" check-tt
