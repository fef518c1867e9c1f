#!/usr/bin/env bash
# Batched decoding (tt-run --batch): aggregate decode tokens/s with B = 1, 2,
# 4, 8 sequences decoded together on a synthetic TinyLlama-1.1B-shape GGUF,
# and the speed-up over B = 1 measured in the same run. Decode is
# memory-bound: a batched step reads each weight once for B tokens (the
# matrix products become small GEMMs), so the aggregate rate should grow with
# B until compute or attention dominates.
#
#   bench/batch-decode.sh [--formats "q8_0"] [--threads "2"] [--batches "1 2 4 8"]
#                         [--prompt N] [--gen N] [--reps N]
#
# Models are written by tt-synth into $TT_BENCH_DIR (default /tmp/tt-bench)
# and reused. B = 1 is the sequential path (m_decode); B > 1 runs B prompts
# of about the same length (--prompt words each) through m_decode_batch.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
work="${TT_BENCH_DIR:-/tmp/tt-bench}"
formats="q8_0"
threads="2"
batches="1 2 4 8"
prompt_words=16
gen_len=32
reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --formats) formats="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --prompt) prompt_words="$2"; shift 2 ;;
    --gen) gen_len="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/build.sh" tt-run tt-synth >&2
mkdir -p "$work"
config="$root/bench/configs/tinyllama-1.1b.json"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# B prompts of $prompt_words words each (tt-synth's GGUF has a vocabulary).
prompts() {
  for b in $(seq 1 "$1"); do
    line="prompt $b:"
    for w in $(seq 1 "$prompt_words"); do line="$line word$(( (b * 7 + w) % 50 ))"; done
    echo "$line"
  done
}

echo "load: $(uptime)" >&2
printf '| format | threads | B | aggregate decode tok/s | per sequence tok/s | speed-up over B = 1 |\n'
printf '|---|---|---|---|---|---|\n'
for f in $formats; do
  model="$work/tinyllama-$f.gguf"
  [ -f "$model" ] || "$build/bin/tt-synth" "$config" --format gguf --dtype "$f" -o "$model" >&2
  for t in $threads; do
    # Round-robin over B, best of --reps passes each: load that drifts
    # during the run then affects every B alike.
    declare -A best=()
    for r in $(seq 1 "$reps"); do
      for B in $batches; do
        prompts "$B" > "$tmp/prompts.txt"
        line=$("$build/bin/tt-run" "$model" --prompt-file "$tmp/prompts.txt" --batch "$B" \
                 -n "$gen_len" --temperature 0 --ignore-eos --threads "$t" \
                 --context 256 2>&1 >/dev/null | tail -1)
        tg=$(echo "$line" | sed -E 's/.*decode: [0-9]+ tokens, ([0-9.]+) tok\/s.*/\1/')
        best[$B]=$(echo "$tg ${best[$B]:-0}" | awk '{print ($1 > $2) ? $1 : $2}')
      done
    done
    base=""
    for B in $batches; do
      [ -n "$base" ] || base="${best[$B]}"
      echo "$f $t $B ${best[$B]} $base" | awk '{printf "| %s | %s | %s | %.2f | %.2f | %.2fx |\n", $1, $2, $3, $4, $4 / $3, $4 / $5}'
    done
    unset best
  done
done
echo "load: $(uptime)" >&2
