#!/usr/bin/env bash
# tt-run against llama.cpp on the same synthetic TinyLlama-1.1B-shape GGUF,
# side by side in one run: prefill and decode tokens/s at F32, F16, Q8_0 and
# Q4_0 with 1 and 2 threads, the ratio tt/llama.cpp, and the fraction of the
# memory-bandwidth limit decode reaches (weight + KV bytes read per token /
# bandwidth measured by tt-bench-kernels in the same run).
#
#   bench/decode-vs-llama-cpp.sh [--quick] [--formats "f32 f16 q8_0 q4_0"]
#                                [--threads "1 2"] [--prompt N] [--gen N]
#
# llama-bench comes from PATH, or is built in a temporary folder by
# bench/build-llama-cpp.sh (llama.cpp's source from the npm package
# node-llama-cpp; nothing of it is committed). Models are written by
# tt-synth into $TT_BENCH_DIR (default /tmp/tt-bench) and reused.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
work="${TT_BENCH_DIR:-/tmp/tt-bench}"
formats="f32 f16 q8_0 q4_0"
threads="1 2"
prompt_len=64
gen_len=32
reps=2
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) formats="q8_0 q4_0"; threads="2"; reps=1; shift ;;
    --formats) formats="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --prompt) prompt_len="$2"; shift 2 ;;
    --gen) gen_len="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/build.sh" tt-run tt-synth tt-bench-kernels tt-translate tt-opt >&2
if command -v llama-bench >/dev/null; then
  llama_bench="$(command -v llama-bench)"
else
  llama_bench="$("$root/bench/build-llama-cpp.sh")/llama-bench"
fi
mkdir -p "$work"

config="$root/bench/configs/tinyllama-1.1b.json"
# The prompt: token ids 1 (BOS) and then 100, 101, ... (no tokenizer needed).
ids="1"
for i in $(seq 2 "$prompt_len"); do ids="$ids $((98 + i))"; done

# Read bandwidth with as many threads as the run uses (one core alone does
# not saturate memory).
bandwidth() {
  "$build/bin/tt-bench-kernels" --threads "$1" --types q8_0 --seconds 0.2 2>/dev/null |
    awk '/^bandwidth/ {print $2; exit}'
}

printf '| format | threads | llama.cpp pp%s tok/s | tt pp tok/s | ratio | llama.cpp tg%s tok/s | tt tg tok/s | ratio | bytes/token (MB) | tt decode %% of bandwidth | llama.cpp %% |\n' "$prompt_len" "$gen_len"
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for f in $formats; do
  model="$work/tinyllama-$f.gguf"
  [ -f "$model" ] || "$build/bin/tt-synth" "$config" --format gguf --dtype "$f" -o "$model" >&2
  # Bytes decode reads per token: every weight once plus the KV cache at the
  # mean context of the generated tokens (f32 cache in tt).
  ctx=$((prompt_len + gen_len / 2))
  bytes=$("$build/bin/tt-translate" --import-gguf "$model" |
          "$build/bin/tt-opt" --tt-report="context=$ctx" -o /dev/null |
          "${PYTHON:-python3}" -c 'import json,sys; r=json.load(sys.stdin); print(int(r["weight_bytes"] + 2*r["kv_cache_bytes_per_token"]*'"$ctx"'))')
  for t in $threads; do
    bw=$(bandwidth "$t")
    echo "memory bandwidth with $t threads (read, measured now): ${bw} GB/s" >&2
    lj=$("$llama_bench" -m "$model" -p "$prompt_len" -n "$gen_len" -t "$t" -r "$reps" -o json 2>/dev/null)
    lpp=$(echo "$lj" | "${PYTHON:-python3}" -c 'import json,sys; r=json.load(sys.stdin); print("%.2f" % [x["avg_ts"] for x in r if x["n_prompt"]>0][0])')
    ltg=$(echo "$lj" | "${PYTHON:-python3}" -c 'import json,sys; r=json.load(sys.stdin); print("%.2f" % [x["avg_ts"] for x in r if x["n_gen"]>0][0])')
    best_pp=0; best_tg=0
    for r in $(seq 1 "$reps"); do
      line=$("$build/bin/tt-run" "$model" --prompt-ids "$ids" -n "$gen_len" --temperature 0 \
               --ignore-eos --threads "$t" 2>&1 >/dev/null | tail -1)
      pp=$(echo "$line" | sed -E 's/.*prefill: [0-9]+ tokens, ([0-9.]+) tok\/s.*/\1/')
      tg=$(echo "$line" | sed -E 's/.*decode: [0-9]+ tokens, ([0-9.]+) tok\/s.*/\1/')
      best_pp=$(echo "$pp $best_pp" | awk '{print ($1 > $2) ? $1 : $2}')
      best_tg=$(echo "$tg $best_tg" | awk '{print ($1 > $2) ? $1 : $2}')
    done
    echo "$f $t $lpp $best_pp $ltg $best_tg $bytes $bw" | awk '{
      printf "| %s | %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.0f | %.0f%% | %.0f%% |\n",
        $1, $2, $3, $4, $4 / $3, $5, $6, $6 / $5, $7 / 1e6,
        100 * $6 * $7 / ($8 * 1e9), 100 * $5 * $7 / ($8 * 1e9) }'
  done
done
