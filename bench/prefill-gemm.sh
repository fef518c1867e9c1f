#!/usr/bin/env bash
# Prefill of tt-run, two configurations side by side in one run, on the
# synthetic TinyLlama-1.1B-shape GGUFs that bench/decode-vs-llama-cpp.sh
# uses; then the kernel-level comparison (tt-bench-kernels --gemm: GFLOP/s
# at M = --prompt per weight type, wall and per CPU second). The two
# configurations alternate, best of --reps runs each, so a busy machine
# affects both alike. What is compared (--compare):
#   rows      the GEMM kernels against the row kernels they replaced
#             (TT_RT_MATMUL=rows) (the default)
#   populate  weights mapped up front (the default) against pages faulted
#             in by the first prefill (TT_RT_POPULATE=0)
#   lib:DIR   this build against DIR/libTTRuntimeKernels.so (an older
#             build's kernels, e.g. copied from a build of HEAD~1)
#
#   bench/prefill-gemm.sh [--formats "f32 f16 q8_0 q4_0"] [--threads "1 2"]
#                         [--prompt N] [--reps N] [--no-kernels]
#                         [--compare rows|populate|lib:DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
work="${TT_BENCH_DIR:-/tmp/tt-bench}"
formats="f32 f16 q8_0 q4_0"
compare=rows
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
    --compare) compare="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/build.sh" tt-run tt-synth tt-bench-kernels >&2
mkdir -p "$work"
config="$root/bench/configs/tinyllama-1.1b.json"
ids="1"
for i in $(seq 2 "$prompt_len"); do ids="$ids $((98 + i))"; done

case "$compare" in
  rows) labels=("rows" "gemm") ;;
  populate) labels=("faulted" "populated") ;;
  lib:*)
    base_dir="${compare#lib:}"
    [ -f "$base_dir/libTTRuntimeKernels.so" ] ||
      { echo "no libTTRuntimeKernels.so in $base_dir" >&2; exit 2; }
    labels=("base" "new") ;;
  *) echo "unknown --compare $compare" >&2; exit 2 ;;
esac

# Configuration 0 (the baseline) or 1 (this build, as shipped).
run_env() {
  case "$compare:$1" in
    rows:0) echo "TT_RT_MATMUL=rows" ;;
    populate:0) echo "TT_RT_POPULATE=0" ;;
    lib:*:0) echo "LD_LIBRARY_PATH=$base_dir" ;;
    *) echo "TT_RT_MATMUL=auto" ;;
  esac
}

prefill() { # config format threads -> tok/s
  env $(run_env "$1") "$build/bin/tt-run" "$work/tinyllama-$2.gguf" \
    --prompt-ids "$ids" -n 1 --temperature 0 --ignore-eos --threads "$3" \
    2>&1 >/dev/null | tail -1 |
    sed -E 's/.*prefill: [0-9]+ tokens, ([0-9.]+) tok\/s.*/\1/'
}

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
echo "load: $(uptime | sed 's/.*load average/load average/')"
printf '| format | threads | %s pp%s tok/s | %s pp%s tok/s | %s/%s |\n' \
  "${labels[0]}" "$prompt_len" "${labels[1]}" "$prompt_len" "${labels[1]}" "${labels[0]}"
printf '|---|---|---|---|---|\n'
for f in $formats; do
  model="$work/tinyllama-$f.gguf"
  [ -f "$model" ] || "$build/bin/tt-synth" "$config" --format gguf --dtype "$f" -o "$model" >&2
  for t in $threads; do
    best_rows=0; best_gemm=0
    for r in $(seq 1 "$reps"); do
      a=$(prefill 0 "$f" "$t"); b=$(prefill 1 "$f" "$t")
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
    if [ "$compare" != rows ] && [ -n "${base_dir:-}" ]; then
      echo "(base kernels from $base_dir)"
      LD_LIBRARY_PATH="$base_dir" "$build/bin/tt-bench-kernels" --gemm \
        --threads "$t" --seconds 2 --prefill-m "$prompt_len" \
        --types f32,f16,bf16,q8_0
    fi
  done
fi
