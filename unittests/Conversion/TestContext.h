//===- TestContext.h - A ttrt_context for the lowering tests ----*- C++ -*-===//
//
// Weights bound by name to memory the test owns and an f32 KV cache per
// layer: what the JIT-compiled step functions reach through ttrt_weight and
// ttrt_kv_cache. Bound into the JIT with JITOptions::symbols.
//
//===----------------------------------------------------------------------===//

#ifndef TT_UNITTESTS_CONVERSION_TESTCONTEXT_H
#define TT_UNITTESTS_CONVERSION_TESTCONTEXT_H

#include "tt/Runtime/RuntimeABI.h"
#include "tt/Target/CPU/CPUTarget.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace tt::test {

struct TestContext {
  struct Weight {
    const void *data;
    int32_t type;
  };
  std::map<std::string, Weight> weights;
  std::vector<std::vector<float>> kcache, vcache;

  TestContext(const ModelLayout &layout, int64_t contextLength) {
    for (const ModelLayout::KVLayer &l : layout.layers) {
      kcache.emplace_back(contextLength * l.kvHeads * l.headDim, 0.0f);
      vcache.emplace_back(contextLength * l.kvHeads * l.headDim, 0.0f);
    }
  }
  ttrt_context *get() { return reinterpret_cast<ttrt_context *>(this); }

  static const void *weight(ttrt_context *ctx, const char *name,
                            int32_t *type) {
    auto *self = reinterpret_cast<TestContext *>(ctx);
    auto it = self->weights.find(name);
    if (it == self->weights.end()) {
      std::fprintf(stderr, "test context: no weight '%s'\n", name);
      std::abort();
    }
    if (type)
      *type = it->second.type;
    return it->second.data;
  }
  static float *kvCache(ttrt_context *ctx, int64_t layer, int32_t which) {
    auto *self = reinterpret_cast<TestContext *>(ctx);
    return (which ? self->vcache : self->kcache).at(layer).data();
  }

  /// Every prefill row gets logits (the runtime's default).
  static int64_t logitRows(ttrt_context *, int64_t n) { return n; }

  static JITOptions jitOptions() {
    JITOptions options;
    options.symbols["ttrt_logit_rows"] = reinterpret_cast<void *>(&logitRows);
    options.symbols["ttrt_weight"] = reinterpret_cast<void *>(&weight);
    options.symbols["ttrt_kv_cache"] = reinterpret_cast<void *>(&kvCache);
    return options;
  }
};

} // namespace tt::test

#endif // TT_UNITTESTS_CONVERSION_TESTCONTEXT_H
