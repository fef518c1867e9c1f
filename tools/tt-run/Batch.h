//===- Batch.h - tt-run's batched decoding of several prompts ----*- C++ -*-===//
//
// `tt-run --prompt-file FILE [--batch N]`: the prompts are decoded together,
// up to N sequences per step through the compiled model's batched decode
// entry point (m_decode_batch, RuntimeABI.h), so each weight is read once
// for all of them. Each sequence has its own KV-cache slot (ttrt_context
// slots); a prompt is prefilled into a free slot, the live sequences are
// kept in slots 0 .. B-1, and a sequence that ends (EOS or -n) leaves the
// batch, its slot going to the next prompt. Sampling is per sequence, with
// the sequential path's seed rules, and stdout gets exactly what the
// sequential path prints: each prompt followed by its continuation, in
// prompt order.
//
//===----------------------------------------------------------------------===//

#ifndef TT_TOOLS_TTRUN_BATCH_H
#define TT_TOOLS_TTRUN_BATCH_H

#include "Generate.h"

#include "tt/Runtime/Context.h"
#include "tt/Runtime/Tokenizer.h"
#include "tt/Target/CPU/CPUTarget.h"

#include <string>
#include <vector>

namespace tt {

/// How many sequences tt-run decodes together: --batch (0: all prompts, at
/// most kMaxDefaultBatch), never more than there are prompts. 1 means the
/// sequential path.
constexpr int64_t kMaxDefaultBatch = 32;
int64_t batchSlots(const GenerateOptions &options, size_t numPrompts);

/// The batched step signature (m_decode_batch).
using BatchStepFn = void (*)(ttrt_context *ctx, const int32_t *tokens,
                             int64_t B, const int64_t *positions,
                             float *logits);

/// Totals for the statistics line.
struct GenerationStats {
  int64_t prefillTokens = 0, decodeTokens = 0;
  double prefillSeconds = 0, decodeSeconds = 0;
};

/// Generates for every prompt with up to ctx.getNumSlots() sequences per
/// decode step. `tokenizer` may be null (--prompt-ids). Returns false after
/// printing an error.
bool generateBatched(const GenerateOptions &options,
                     const std::vector<Prompt> &prompts, JITModel &model,
                     ttrt_context &ctx, const rt::Tokenizer *tokenizer,
                     int64_t vocab, int64_t contextLen,
                     GenerationStats &stats);

} // namespace tt

#endif // TT_TOOLS_TTRUN_BATCH_H
