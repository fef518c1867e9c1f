#!/usr/bin/env bash
# The roofline estimate (tt-opt --tt-report="hardware=cpu-x86-2core") against
# what tt-run measures on this machine, side by side in one run: decode
# tokens/s of the synthetic TinyLlama-1.1B-shape GGUF at F32, F16, Q8_0 and
# Q4_0. The estimate is given twice: with the profile's memory bandwidth
# (data/hardware/cpu-x86-2core.json) and with the bandwidth measured now by
# tt-bench-kernels, since a shared machine delivers less than its best.
#
#   bench/estimate-vs-measured.sh [--formats "f32 f16 q8_0 q4_0"]
#                                 [--threads N] [--prompt N] [--gen N]
#
# Models are written by tt-synth into $TT_BENCH_DIR (default /tmp/tt-bench)
# and reused (bench/decode-vs-llama-cpp.sh writes the same files).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
work="${TT_BENCH_DIR:-/tmp/tt-bench}"
py="${PYTHON:-python3}"
formats="f32 f16 q8_0 q4_0"
threads=2
prompt_len=16
gen_len=32
while [ $# -gt 0 ]; do
  case "$1" in
    --formats) formats="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --prompt) prompt_len="$2"; shift 2 ;;
    --gen) gen_len="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

"$root/scripts/build.sh" tt-run tt-synth tt-bench-kernels tt-translate tt-opt >&2
mkdir -p "$work"
config="$root/bench/configs/tinyllama-1.1b.json"
profile="$root/data/hardware/cpu-x86-2core.json"
ids="1"
for i in $(seq 2 "$prompt_len"); do ids="$ids $((98 + i))"; done
# Decode runs at contexts prompt+1 .. prompt+gen: estimate at the middle.
ctx=$((prompt_len + gen_len / 2))

bw=$("$build/bin/tt-bench-kernels" --threads "$threads" --types q8_0 --seconds 0.2 2>/dev/null |
     awk '/^bandwidth/ {print $2; exit}')
echo "memory bandwidth with $threads threads (read, measured now): $bw GB/s" >&2
# The same profile with the bandwidth measured now.
measured_profile="$work/cpu-x86-2core-now.json"
"$py" - "$profile" "$bw" "$measured_profile" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["name"] += "-now"
p["memory_bandwidth_gb_per_s"] = float(sys.argv[2])
json.dump(p, open(sys.argv[3], "w"))
PY

estimate() { # model profile -> decode tokens/s
  "$build/bin/tt-translate" --import-gguf "$1" |
    "$build/bin/tt-opt" --tt-report="hardware=$2 context=$ctx seq-len=$prompt_len" -o /dev/null |
    "$py" -c 'import json,sys; r=json.load(sys.stdin); print("%.2f" % r["estimate"]["decode"]["tokens_per_second"])'
}

printf '| format | weights (MB) | estimate, profile %s GB/s (tok/s) | estimate, measured %s GB/s (tok/s) | tt-run measured (tok/s) | measured / estimate (measured bw) |\n' \
  "$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["memory_bandwidth_gb_per_s"])' "$profile")" "$bw"
printf '|---|---|---|---|---|---|\n'
for f in $formats; do
  model="$work/tinyllama-$f.gguf"
  [ -f "$model" ] || "$build/bin/tt-synth" "$config" --format gguf --dtype "$f" -o "$model" >&2
  weights=$("$build/bin/tt-translate" --import-gguf "$model" |
            "$build/bin/tt-opt" --tt-report -o /dev/null |
            "$py" -c 'import json,sys; print("%.0f" % (json.load(sys.stdin)["weight_bytes"] / 1e6))')
  est_profile=$(estimate "$model" "$profile")
  est_now=$(estimate "$model" "$measured_profile")
  best=0
  for r in 1 2; do
    line=$("$build/bin/tt-run" "$model" --prompt-ids "$ids" -n "$gen_len" --temperature 0 \
             --ignore-eos --threads "$threads" --context $((prompt_len + gen_len + 8)) 2>&1 >/dev/null | tail -1)
    tg=$(echo "$line" | sed -E 's/.*decode: [0-9]+ tokens, ([0-9.]+) tok\/s.*/\1/')
    best=$(echo "$tg $best" | awk '{print ($1 > $2) ? $1 : $2}')
  done
  echo "$f $weights $est_profile $est_now $best" | awk '{
    printf "| %s | %s | %.2f | %.2f | %.2f | %.2f |\n", $1, $2, $3, $4, $5, $5 / $4 }'
done
