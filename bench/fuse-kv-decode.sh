#!/usr/bin/env bash
# What tt-fuse and tt-kv-cache change in decode, side by side: first the
# runtime calls alone (tt-bench-fuse: the Q/K/V and gate/up products
# separate vs fused, attention over f32 vs f16/i8 caches, in one process),
# then decode tokens/s of tt-run without and with each pass on the same
# synthetic models: the runs alternate (base, fused, base, fused, ...) so
# that load on the machine hits both alike, and the medians and their ratio
# are printed.
#
#   bench/fuse-kv-decode.sh [--quick] [--configs "small-llama-88m tinyllama-1.1b"]
#                           [--formats "q8_0 f16"] [--threads "1 2"]
#                           [--prompt N] [--gen N] [--reps N]
#
# Models are written by tt-synth into $TT_BENCH_DIR (default /tmp/tt-bench).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
work="${TT_BENCH_DIR:-/tmp/tt-bench}"
configs="small-llama-88m tinyllama-1.1b"
formats="q8_0 f16"
threads="1 2"
prompt_len=256
gen_len=64
reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) configs="small-llama-88m"; formats="q8_0"; threads="2"; reps=2
             shift ;;
    --configs) configs="$2"; shift 2 ;;
    --formats) formats="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --prompt) prompt_len="$2"; shift 2 ;;
    --gen) gen_len="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="$build/bin"
[ -x "$bin/tt-run" ] && [ -x "$bin/tt-bench-fuse" ] ||
  "$root/scripts/build.sh" tt-run tt-synth tt-bench-fuse >&2
mkdir -p "$work"
for t in $threads; do "$bin/tt-bench-fuse" --threads "$t"; echo; done
ids="$(seq -s ' ' 1 "$prompt_len")"

# decode tok/s of one run: decode_rate MODEL THREADS [PASSES]
decode_rate() {
  local extra=()
  [ -n "${3:-}" ] && extra=(--passes "$3")
  { "$bin/tt-run" "$1" --prompt-ids "$ids" -n "$gen_len" --temperature 0 \
      --ignore-eos --threads "$2" "${extra[@]}" 2>&1 >/dev/null || true; } |
    sed -n 's/.*decode: [0-9]* tokens, \([0-9.]*\) tok\/s.*/\1/p'
}
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

variants=("" "builtin.module(tt-fuse)" "builtin.module(tt-kv-cache{dtype=f16})"
          "builtin.module(tt-kv-cache{dtype=i8})")
printf "%-16s %-5s %3s | %9s | %9s %6s | %9s %6s | %9s %6s\n" model dtype thr \
  "base" "fused" "ratio" "kv f16" "ratio" "kv i8" "ratio"
for cfg in $configs; do
  for fmt in $formats; do
    model="$work/$cfg-$fmt.gguf"
    [ -f "$model" ] || "$bin/tt-synth" "$root/bench/configs/$cfg.json" \
      --format gguf --dtype "$fmt" -o "$model" >&2
    for t in $threads; do
      declare -a runs=("" "" "" "")
      for ((r = 0; r < reps; ++r))
        do for v in 0 1 2 3; do
          runs[$v]+=" $(decode_rate "$model" "$t" "${variants[$v]}")"
        done
      done
      m=()
      for v in 0 1 2 3; do m[$v]=$(echo ${runs[$v]} | median); done
      ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
      printf "%-16s %-5s %3s | %9.2f | %9.2f %6s | %9.2f %6s | %9.2f %6s\n" \
        "$cfg" "$fmt" "$t" "${m[0]}" "${m[1]}" "$(ratio "${m[1]}" "${m[0]}")" \
        "${m[2]}" "$(ratio "${m[2]}" "${m[0]}")" "${m[3]}" \
        "$(ratio "${m[3]}" "${m[0]}")"
    done
  done
done
echo "(decode tok/s, medians of $reps alternating runs; prompt $prompt_len," \
  "$gen_len generated tokens; ratio = variant / base)"
