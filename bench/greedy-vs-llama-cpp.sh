#!/usr/bin/env bash
# An end-to-end correctness check against an independent implementation:
# greedy continuations of tt-run and llama.cpp's llama-simple on the same
# synthetic TinyLlama-1.1B-shape GGUFs (tt-synth's own vocabulary, whose
# filler pieces are "synthN", so each generated token is visible in the text).
#   bench/greedy-vs-llama-cpp.sh [N] [FORMATS]   (default 24 "f32 f16 q8_0 q4_0")
# Prints, per format, how many of the N generated tokens agree before the
# first difference. Uses the models bench/decode-vs-llama-cpp.sh writes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${TT_BUILD_DIR:-$root/build}"
work="${TT_BENCH_DIR:-/tmp/tt-bench}"
n="${1:-24}"
formats="${2:-f32 f16 q8_0 q4_0}"
"$root/scripts/build.sh" tt-run tt-synth >&2
if command -v llama-simple >/dev/null; then
  simple="$(command -v llama-simple)"
else
  simple="$("$root/bench/build-llama-cpp.sh")/llama-simple"
fi
mkdir -p "$work"
prompt="hello"
for f in $formats; do
  model="$work/tinyllama-$f.gguf"
  [ -f "$model" ] || "$build/bin/tt-synth" "$root/bench/configs/tinyllama-1.1b.json" \
    --format gguf --dtype "$f" -o "$model" >&2
  ours=$("$build/bin/tt-run" "$model" --prompt "$prompt" -n "$n" --temperature 0 --threads 2 2>/dev/null |
         grep -o 'synth[0-9]*' | tr '\n' ' ')
  theirs=$("$simple" -m "$model" -n "$n" "$prompt" 2>/dev/null | grep -o 'synth[0-9]*' | tr '\n' ' ')
  read -ra a <<< "$ours"; read -ra b <<< "$theirs"
  same=0
  while [ $same -lt ${#a[@]} ] && [ $same -lt ${#b[@]} ] && [ "${a[$same]}" = "${b[$same]}" ]; do
    same=$((same + 1))
  done
  echo "$f: $same of $n greedy tokens agree with llama.cpp (tt: ${#a[@]} tokens, llama.cpp: ${#b[@]})"
  if [ $same -lt ${#a[@]} ]; then echo "  tt:        $ours"; echo "  llama.cpp: $theirs"; fi
done
