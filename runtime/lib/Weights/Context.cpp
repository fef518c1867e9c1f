//===- Context.cpp - Weights bound by name and the KV cache ---------------===//

#include "tt/Runtime/Context.h"
#include "tt/Runtime/Kernels.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>
#include <cstring>

using namespace tt;
using llvm::Expected;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

void ttrt_context::FreeDeleter::operator()(float *p) const { std::free(p); }

ttrt_context::~ttrt_context() = default;

Expected<std::unique_ptr<ttrt_context>>
ttrt_context::create(std::unique_ptr<WeightStore> weights,
                     llvm::ArrayRef<KVCacheShape> layers,
                     int64_t contextLength) {
  if (!weights)
    return fail("runtime context: no weights");
  if (contextLength <= 0)
    return fail(llvm::formatv("runtime context: context length {0} must be "
                              "positive",
                              contextLength));
  std::unique_ptr<ttrt_context> ctx(new ttrt_context());
  ctx->weights = std::move(weights);
  ctx->contextLength = contextLength;
  for (size_t l = 0; l < layers.size(); ++l) {
    const KVCacheShape &s = layers[l];
    if (s.kvHeads <= 0 || s.headDim <= 0)
      return fail(llvm::formatv("runtime context: layer {0} has KV cache "
                                "shape {1} heads x {2} head_dim; both must be "
                                "positive",
                                l, s.kvHeads, s.headDim));
    uint64_t elements =
        static_cast<uint64_t>(contextLength) * s.kvHeads * s.headDim;
    for (int which = 0; which < 2; ++which) {
      float *p = static_cast<float *>(std::calloc(elements, sizeof(float)));
      if (!p)
        return fail(llvm::formatv("runtime context: cannot allocate the {0} "
                                  "bytes of layer {1}'s {2} cache",
                                  elements * sizeof(float), l,
                                  which ? "V" : "K"));
      ctx->caches.emplace_back(p);
    }
    ctx->shapes.push_back(s);
  }
  return ctx;
}

Expected<std::unique_ptr<ttrt_context>>
ttrt_context::create(std::unique_ptr<WeightStore> weights, int64_t numLayers,
                     KVCacheShape shape, int64_t contextLength) {
  if (numLayers < 0)
    return fail("runtime context: negative layer count");
  std::vector<KVCacheShape> layers(numLayers, shape);
  return create(std::move(weights), layers, contextLength);
}

llvm::Error ttrt_context::bindAll(llvm::ArrayRef<std::string> names) {
  std::string problems;
  unsigned count = 0;
  std::lock_guard<std::mutex> lock(bindingMutex);
  for (const std::string &name : names) {
    if (bindings.count(name))
      continue;
    Expected<Weight> w = weights->lookup(name);
    if (!w) {
      problems += "\n  " + llvm::toString(w.takeError());
      ++count;
      continue;
    }
    bindings[name] = *w;
  }
  if (count)
    return fail(llvm::formatv("{0} weight(s) the model uses cannot be bound "
                              "from {1}:{2}",
                              count, weights->getPath(), problems));
  return llvm::Error::success();
}

std::vector<std::string> ttrt_context::splitNames(const char *packed) {
  std::vector<std::string> names;
  if (!packed)
    return names;
  for (const char *p = packed; *p; p += std::strlen(p) + 1)
    names.emplace_back(p);
  return names;
}

llvm::Error ttrt_context::bindAll(const char *packedNames) {
  return bindAll(splitNames(packedNames));
}

const void *ttrt_context::weight(const char *name, int32_t *type) {
  std::lock_guard<std::mutex> lock(bindingMutex);
  auto it = bindings.find(name);
  if (it == bindings.end()) {
    Expected<Weight> w = weights->lookup(name);
    if (!w)
      rt::fatal("%s", llvm::toString(w.takeError()).c_str());
    it = bindings.try_emplace(name, *w).first;
  }
  if (type)
    *type = it->second.type;
  return it->second.data;
}

float *ttrt_context::kvCache(int64_t layer, int32_t which) {
  if (layer < 0 || layer >= getNumLayers() || (which != 0 && which != 1))
    rt::fatal("kv_cache: layer %lld, which %d is out of range (%lld layers; "
              "which is 0 for K, 1 for V)",
              static_cast<long long>(layer), which,
              static_cast<long long>(getNumLayers()));
  return caches[2 * layer + which].get();
}

uint64_t ttrt_context::getCacheBytes() const {
  uint64_t total = 0;
  for (const KVCacheShape &s : shapes)
    total += 2ull * contextLength * s.kvHeads * s.headDim * sizeof(float);
  return total;
}

void ttrt_context::resetCache() {
  for (size_t l = 0; l < shapes.size(); ++l) {
    size_t bytes = static_cast<size_t>(contextLength) * shapes[l].kvHeads *
                   shapes[l].headDim * sizeof(float);
    std::memset(caches[2 * l].get(), 0, bytes);
    std::memset(caches[2 * l + 1].get(), 0, bytes);
  }
}

extern "C" const void *ttrt_weight(ttrt_context *ctx, const char *name,
                                   int32_t *type) {
  if (!ctx)
    rt::fatal("ttrt_weight('%s'): no context", name ? name : "(null)");
  return ctx->weight(name, type);
}

extern "C" float *ttrt_kv_cache(ttrt_context *ctx, int64_t layer,
                                int32_t which) {
  if (!ctx)
    rt::fatal("ttrt_kv_cache: no context");
  return ctx->kvCache(layer, which);
}
