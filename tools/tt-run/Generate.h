//===- Generate.h - tt-run's load, compile and generate loop -----*- C++ -*-===//
#ifndef TT_TOOLS_TTRUN_GENERATE_H
#define TT_TOOLS_TTRUN_GENERATE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tt {
namespace rt {
class Tokenizer;
} // namespace rt

struct GenerateOptions {
  std::string modelPath;   ///< a .gguf file or a HF model directory
  std::string familiesDir; ///< empty: the installed data/families
  int numTokens = 128;
  float temperature = 0.8f;
  int topK = 40;
  float topP = 0.95f;
  uint64_t seed = 42;
  int threads = 1;
  int64_t context = 0; ///< 0: the model's maximum, at most 4096
  bool ignoreEos = false;
  /// A pass pipeline run on the imported module before compilation
  /// (`builtin.module(...)`, or a bare list of module passes).
  std::string passes;
  /// Print the module after `passes` to stderr.
  bool printIR = false;
  /// Write every logits row (prefill rows, then one per decode step) as raw
  /// little-endian f32 to this file.
  std::string dumpLogits;
  /// Tensor-parallel size and pipeline stages: run under `mpirun -np tp*pp`
  /// (tools/tt-run/Parallel.h).
  int tp = 1;
  int pp = 1;
  /// Sequences decoded together (tools/tt-run/Batch.h): 0, the default, for
  /// all prompts (at most kMaxDefaultBatch), 1 for one after the other.
  int batch = 0;
  /// The compile cache directory (tt/Target/CPU/CompileCache.h); empty: no
  /// cache.
  std::string cacheDir;
  /// Print where compilation spends its time (stages, MLIR passes).
  bool timeCompile = false;
  /// LLVM's optimisation level for the compiled code (0-3).
  unsigned optLevel = 3;
};

struct Prompt {
  std::string text;
  std::vector<int32_t> ids;
  enum { Text, Ids } given = Text;
};

/// Imports, compiles and runs the model, generating for each prompt: several
/// prompts decoded together (Batch.h, one KV-cache slot each) unless
/// `options.batch` is 1 or the run cannot batch, else one after the other
/// over one KV cache. Writes each prompt and its continuation to stdout (in
/// prompt order either way), progress and the tokens/s line to stderr.
/// Returns false after printing an error.
bool generate(const GenerateOptions &options,
              const std::vector<Prompt> &prompts);

/// The token ids a prompt runs: its ids, or its text encoded (with BOS);
/// BOS alone for an empty prompt, as llama2.c and llama.cpp do. Errors: no
/// BOS for an empty prompt, an id outside [0, vocab), or more positions
/// than `contextLen` with `numTokens` generated. `tokenizer` may be null
/// when the prompt is given as ids.
llvm::Expected<std::vector<int32_t>>
preparePrompt(const Prompt &prompt, const rt::Tokenizer *tokenizer,
              int64_t vocab, int64_t numTokens, int64_t contextLen);

/// The prompt as stdout echoes it before the continuation: its text, or its
/// ids decoded (space-separated numbers without a tokenizer).
std::string echoedPrompt(const Prompt &prompt, const rt::Tokenizer *tokenizer,
                         llvm::ArrayRef<int32_t> ids);

/// What tt-run's generation code times with.
using Clock = std::chrono::steady_clock;
inline double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Prints `tt-run: error: msg` and returns false.
inline bool runError(const llvm::Twine &msg) {
  llvm::errs() << "tt-run: error: " << msg << "\n";
  return false;
}

} // namespace tt

#endif // TT_TOOLS_TTRUN_GENERATE_H
