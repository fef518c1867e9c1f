//===- VocabParallel.cpp - Embedding lookup in a vocab-parallel table -----===//

#include "tt/Runtime/Context.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

#include <cstring>

using namespace tt;

extern "C" void ttrt_embedding_vocab_parallel(
    ttrt_context *ctx, const void *table, int32_t ttype, int64_t vocabPerDevice,
    int64_t dim, const int32_t *tokens, int64_t n, float *out) {
  if (!ctx)
    rt::fatal("ttrt_embedding_vocab_parallel: no context");
  const ParallelInfo &p = ctx->getParallel();
  const int64_t first = p.tpRank * vocabPerDevice;
  const int64_t vocab = p.tpSize * vocabPerDevice;
  for (int64_t i = 0; i < n; ++i) {
    int64_t token = tokens[i];
    if (token < 0 || token >= vocab)
      rt::fatal("embedding: token %lld at position %lld is outside the "
                "vocabulary [0, %lld)",
                static_cast<long long>(token), static_cast<long long>(i),
                static_cast<long long>(vocab));
    float *row = out + i * dim;
    if (token < first || token >= first + vocabPerDevice) {
      std::memset(row, 0, dim * sizeof(float));
      continue;
    }
    int32_t local = static_cast<int32_t>(token - first);
    ttrt_embedding(table, ttype, vocabPerDevice, dim, &local, 1, row);
  }
}
