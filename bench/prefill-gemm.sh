#!/usr/bin/env bash
# Prefill of tt-run with the GEMM kernels against the row kernels they
# replaced (TT_RT_MATMUL=rows), side by side in one run, on the synthetic
# TinyLlama-1.1B-shape GGUFs that bench/decode-vs-llama-cpp.sh uses; then the
# kernel-level comparison (tt-bench-kernels --gemm: GFLOP/s at M = 64 per
# weight type). The two tt-run modes alternate, best of --reps runs each,
# so a busy machine affects both alike.
#
#   bench/prefill-gemm.sh [--formats "f16 q8_0 q4_0"] [--threads "1 2"]
#                         [--prompt N] [--reps N] [--no-kernels]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
work="${TT_BENCH_DIR:-/tmp/tt-bench}"
formats="f16 q8_0 q4_0"
threads="1 2"
prompt_len=64
reps=3
kernels=1
while [ $# -gt 0 ]; do
  case "$1" in
    --formats) formats="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --prompt) prompt_len="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --no-kernels) kernels=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/build.sh" tt-run tt-synth tt-bench-kernels >&2
mkdir -p "$work"
config="$root/bench/configs/tinyllama-1.1b.json"
ids="1"
for i in $(seq 2 "$prompt_len"); do ids="$ids $((98 + i))"; done

prefill() { # mode format threads -> tok/s
  TT_RT_MATMUL="$1" "$build/bin/tt-run" "$work/tinyllama-$2.gguf" \
    --prompt-ids "$ids" -n 1 --temperature 0 --ignore-eos --threads "$3" \
    2>&1 >/dev/null | tail -1 |
    sed -E 's/.*prefill: [0-9]+ tokens, ([0-9.]+) tok\/s.*/\1/'
}

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
printf '| format | threads | rows pp%s tok/s | gemm pp%s tok/s | gemm/rows |\n' "$prompt_len" "$prompt_len"
printf '|---|---|---|---|---|\n'
for f in $formats; do
  model="$work/tinyllama-$f.gguf"
  [ -f "$model" ] || "$build/bin/tt-synth" "$config" --format gguf --dtype "$f" -o "$model" >&2
  for t in $threads; do
    best_rows=0; best_gemm=0
    for r in $(seq 1 "$reps"); do
      a=$(prefill rows "$f" "$t"); b=$(prefill auto "$f" "$t")
      best_rows=$(echo "$a $best_rows" | awk '{print ($1 > $2) ? $1 : $2}')
      best_gemm=$(echo "$b $best_gemm" | awk '{print ($1 > $2) ? $1 : $2}')
    done
    ratio=$(echo "$best_gemm $best_rows" | awk '{printf "%.2f", $1 / $2}')
    printf '| %s | %s | %s | %s | %s |\n' "$f" "$t" "$best_rows" "$best_gemm" "$ratio"
  done
done

if [ "$kernels" = 1 ]; then
  for t in $threads; do
    echo
    "$build/bin/tt-bench-kernels" --gemm --threads "$t" --seconds 2 \
      --prefill-m "$prompt_len" --types f32,f16,bf16,q8_0,q4_0,q4_k,q5_k,q6_k
  done
fi
