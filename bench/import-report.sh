#!/usr/bin/env bash
# Times import + report of a 405B-class config (Llama-3.1-405B's shape: 126
# layers, hidden 16384, GQA 128/8, vocab 128256), no weights.
#   bench/import-report.sh [RUNS]
# Prints the median wall time of: tt-translate --import-hf; tt-opt --tt-report
# on the imported IR; and the two piped together, as users run them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
runs="${1:-10}"
"$root/scripts/build.sh" tt-translate tt-opt >/dev/null

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/config.json" <<'JSON'
{
  "architectures": ["LlamaForCausalLM"], "model_type": "llama",
  "hidden_size": 16384, "intermediate_size": 53248,
  "num_hidden_layers": 126, "num_attention_heads": 128,
  "num_key_value_heads": 8, "vocab_size": 128256,
  "max_position_embeddings": 131072, "rms_norm_eps": 1e-05,
  "rope_theta": 500000.0,
  "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 8192, "rope_type": "llama3"},
  "tie_word_embeddings": false, "torch_dtype": "bfloat16"
}
JSON
"$build/bin/tt-translate" --import-hf "$tmp/config.json" -o "$tmp/model.mlir"

median() {  # command...: the median wall seconds over $runs runs
  python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - t0)
print(f"{statistics.median(times):.3f}")
PY
}

imp=$(median "$build/bin/tt-translate" --import-hf "$tmp/config.json" -o /dev/null)
rep=$(median "$build/bin/tt-opt" "$tmp/model.mlir" --tt-report -o /dev/null)
both=$(median bash -c "'$build/bin/tt-translate' --import-hf '$tmp/config.json' | '$build/bin/tt-opt' --tt-report -o /dev/null")
params=$("$build/bin/tt-opt" "$tmp/model.mlir" --tt-report -o /dev/null |
         python3 -c 'import json,sys; print(json.load(sys.stdin)["total_params"])')
lines=$(wc -l < "$tmp/model.mlir")
echo "405B-class config: $params parameters, $lines lines of tt IR, median of $runs runs"
printf '%-40s %8s s\n' "tt-translate --import-hf" "$imp" \
  "tt-opt --tt-report" "$rep" "import | report (pipe)" "$both"
