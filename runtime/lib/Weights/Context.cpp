//===- Context.cpp - Weights bound by name and the KV cache ---------------===//

#include "tt/Runtime/Context.h"
#include "tt/Runtime/ConvertWeight.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/Repack.h"
#include "tt/Runtime/WeightRef.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstdlib>
#include <cstring>
#include <utility>

using namespace tt;
using llvm::Expected;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

void ttrt_context::FreeDeleter::operator()(float *p) const { std::free(p); }

ttrt_context::~ttrt_context() { rt::releaseRepacked(this); }

/// Repacks a bound Q4_0 matrix, or each expert of a stacked [E, rows, cols]
/// one, for the kernels (tt/Runtime/Repack.h). When the binding is a view
/// into the mapped file, the stored copy's pages go back to the OS: only
/// the repacked copy stays resident (a later read of the stored layout,
/// e.g. an embedding lookup of a tied table, faults them back in).
static void repackBinding(const void *owner, WeightStore &store,
                          llvm::StringRef key, const Weight &w) {
  const size_t rank = w.shape.size();
  if (w.type != TTRT_TYPE_Q4_0 || rank < 2 || rank > 3 ||
      !rt::repackEnabled())
    return;
  const int64_t K = w.shape.back(), rows = w.shape[rank - 2];
  const int64_t experts = rank == 3 ? w.shape[0] : 1;
  const int64_t rowBytes = ttrt_row_bytes(w.type, K);
  if (rows <= 0 || rowBytes == 0)
    return;
  // A view into the mapped file (not a derived copy): the stored pages are
  // given back as they are repacked.
  const auto *base = static_cast<const uint8_t *>(w.data);
  bool mapped = false;
  if (Expected<WeightRef> ref = WeightRef::parse(key)) {
    if (Expected<Weight> stored = store.lookup(ref->tensor)) {
      const auto *s = static_cast<const uint8_t *>(stored->data);
      mapped = base >= s && base + w.bytes <= s + stored->bytes;
    } else {
      llvm::consumeError(stored.takeError());
    }
  } else {
    llvm::consumeError(ref.takeError());
  }
  for (int64_t e = 0; e < experts; ++e)
    rt::repackQ4_0(owner, base + e * rows * rowBytes, rows, K, mapped);
}

void ttrt_context::setCommunicator(std::unique_ptr<rt::Communicator> c) {
  comm = std::move(c);
  if (!comm)
    return;
  const rt::ProcessGrid &g = comm->grid();
  setParallel({g.tpRank, g.tpSize, g.ppRank, g.ppSize});
}

rt::Communicator &ttrt_context::getCommunicator() {
  std::lock_guard<std::mutex> lock(bindingMutex);
  if (!comm)
    comm = rt::Communicator::single();
  return *comm;
}

Expected<std::unique_ptr<ttrt_context>>
ttrt_context::create(std::unique_ptr<WeightStore> weights,
                     llvm::ArrayRef<KVCacheShape> layers,
                     int64_t contextLength, int64_t slots) {
  if (!weights)
    return fail("runtime context: no weights");
  if (contextLength <= 0)
    return fail(llvm::formatv("runtime context: context length {0} must be "
                              "positive",
                              contextLength));
  if (slots <= 0)
    return fail(llvm::formatv("runtime context: {0} sequence slots; at least "
                              "one is needed",
                              slots));
  std::unique_ptr<ttrt_context> ctx(new ttrt_context());
  ctx->weights = std::move(weights);
  ctx->contextLength = contextLength;
  ctx->numSlots = slots;
  ctx->slotCaches.resize(2 * layers.size());
  for (size_t l = 0; l < layers.size(); ++l) {
    const KVCacheShape &s = layers[l];
    if (s.kvHeads <= 0 || s.headDim <= 0)
      return fail(llvm::formatv("runtime context: layer {0} has KV cache "
                                "shape {1} heads x {2} head_dim; both must be "
                                "positive",
                                l, s.kvHeads, s.headDim));
    int64_t rowBytes = ttrt_kv_row_bytes(s.type, s.headDim);
    if (rowBytes <= 0)
      return fail(llvm::formatv("runtime context: layer {0} has KV cache type "
                                "{1}, which is not a TTRT_KV_* type",
                                l, s.type));
    uint64_t rows = static_cast<uint64_t>(contextLength) * s.kvHeads;
    for (int64_t slot = 0; slot < slots; ++slot)
      for (int which = 0; which < 2; ++which) {
        float *p = static_cast<float *>(std::calloc(rows, rowBytes));
        if (!p)
          return fail(llvm::formatv("runtime context: cannot allocate the {0} "
                                    "bytes of layer {1}'s {2} cache (slot {3})",
                                    rows * rowBytes, l, which ? "V" : "K",
                                    slot));
        ctx->caches.emplace_back(p);
        ctx->slotCaches[2 * l + which].push_back(p);
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

Expected<Weight> ttrt_context::resolve(llvm::StringRef key) {
  Expected<WeightRef> parsed = WeightRef::parse(key);
  if (!parsed)
    return parsed.takeError();
  const WeightRef &ref = *parsed;
  Expected<Weight> stored = weights->lookup(ref.tensor);
  if (!stored || ref.isPlain())
    return stored;
  Weight w = *stored;
  auto keyError = [&](const llvm::Twine &msg) {
    return fail("weight '" + key + "': " + msg);
  };
  auto own = [&](uint64_t bytes) {
    owned.emplace_back(new uint8_t[bytes ? bytes : 1]());
    ownedBytes += bytes;
    return owned.back().get();
  };

  if (ref.transpose) {
    if (w.shape.size() != 2)
      return keyError(llvm::formatv("only a matrix can be transposed, but "
                                    "the tensor has rank {0}",
                                    w.shape.size()));
    if (rt::blockElements(w.type) != 1)
      return keyError(llvm::formatv("a {0} tensor cannot be transposed "
                                    "(blocks run along the stored rows)",
                                    rt::typeName(w.type)));
    const int64_t in = w.shape[0], out = w.shape[1];
    const int64_t elem = ttrt_row_bytes(w.type, 1);
    const auto *src = static_cast<const uint8_t *>(w.data);
    uint8_t *dst = own(w.bytes);
    for (int64_t i = 0; i < in; ++i)
      for (int64_t o = 0; o < out; ++o)
        std::memcpy(dst + (o * in + i) * elem, src + (i * out + o) * elem,
                    elem);
    w.data = dst;
    w.shape = {out, in};
  }
  if (ref.qkvGroups) {
    // Stored rows: G groups of [q/G; kv/G; kv/G]. The range says which
    // part it is: [0, q) is Q, [q + kv, R) is V, anything else K.
    const int64_t g = ref.qkvGroups, rows = w.shape[0];
    const int64_t a = ref.rowBegin, b = ref.rowEnd;
    int64_t q, kv, part;
    if (a == 0) {
      q = b, kv = (rows - b) / 2, part = 0;
    } else if (b == rows) {
      kv = b - a, q = rows - 2 * kv, part = 2;
    } else {
      q = a, kv = b - a, part = 1;
    }
    if (b > rows || q <= 0 || kv <= 0 || q + 2 * kv != rows || q % g ||
        kv % g)
      return keyError(llvm::formatv(
          "rows [{0}:{1}] of {2} are not the Q, K or V part of {3} groups "
          "of [q/G; kv/G; kv/G] rows",
          a, b, rows, g));
    const int64_t gq = q / g, gk = kv / g, per = gq + 2 * gk;
    const int64_t take = part == 0 ? gq : gk;
    const int64_t offset = part == 0 ? 0 : part == 1 ? gq : gq + gk;
    int64_t rowBytes = ttrt_row_bytes(w.type, w.shape.back());
    for (size_t i = 1; i + 1 < w.shape.size(); ++i)
      rowBytes *= w.shape[i];
    if (w.shape.size() == 1)
      rowBytes = ttrt_row_bytes(w.type, 1);
    const auto *src = static_cast<const uint8_t *>(w.data);
    uint8_t *dst = own((b - a) * rowBytes);
    for (int64_t grp = 0; grp < g; ++grp)
      std::memcpy(dst + grp * take * rowBytes,
                  src + (grp * per + offset) * rowBytes, take * rowBytes);
    w.data = dst;
    w.shape[0] = b - a;
    w.bytes = (b - a) * rowBytes;
  } else if (ref.rowEnd >= 0) {
    if (ref.rowEnd > w.shape[0])
      return keyError(llvm::formatv("rows [{0}:{1}] exceed the {2} rows",
                                    ref.rowBegin, ref.rowEnd, w.shape[0]));
    int64_t rowBytes = ttrt_row_bytes(w.type, w.shape.back());
    for (size_t i = 1; i + 1 < w.shape.size(); ++i)
      rowBytes *= w.shape[i];
    w.data = static_cast<const uint8_t *>(w.data) + ref.rowBegin * rowBytes;
    w.shape[0] = ref.rowEnd - ref.rowBegin;
    w.bytes = w.shape[0] * rowBytes;
  }

  const int64_t rank = static_cast<int64_t>(w.shape.size());
  const int64_t cols = w.shape.back();

  if (ref.shardParts) {
    const int64_t parts = ref.shardParts, dim = ref.shardDim;
    const int64_t group = parallel.tpSize;
    if (dim >= rank)
      return keyError(llvm::formatv("shard dimension {0} of a rank-{1} tensor",
                                    dim, rank));
    if (group % parts != 0)
      return keyError(llvm::formatv(
          "cut into {0} pieces, but this process is rank {1} of a "
          "tensor-parallel group of {2}, which {0} does not divide (run with "
          "--tp N under mpirun)",
          parts, parallel.tpRank, group));
    if (w.shape[dim] % parts != 0)
      return keyError(llvm::formatv("dimension {0} of size {1} does not split "
                                    "into {2} pieces",
                                    dim, w.shape[dim], parts));
    const int64_t piece = parallel.tpRank * parts / group;
    const int64_t len = w.shape[dim] / parts;
    // View the tensor as [outer, shape[dim], inner]: `inner` bytes per index
    // of `dim` (for the last dimension, the cut is within rows).
    int64_t outer = 1;
    for (int64_t i = 0; i < dim; ++i)
      outer *= w.shape[i];
    const auto *base = static_cast<const uint8_t *>(w.data);
    Weight piecew = w;
    piecew.shape[dim] = len;
    if (dim < rank - 1) {
      int64_t inner = ttrt_row_bytes(w.type, cols);
      for (int64_t i = dim + 1; i < rank - 1; ++i)
        inner *= w.shape[i];
      const uint64_t chunk = static_cast<uint64_t>(len) * inner;
      const uint64_t stride = static_cast<uint64_t>(w.shape[dim]) * inner;
      if (outer == 1) {
        piecew.data = base + piece * chunk; // a view into the mapping
      } else {
        uint8_t *dst = own(outer * chunk);
        for (int64_t o = 0; o < outer; ++o)
          std::memcpy(dst + o * chunk, base + o * stride + piece * chunk,
                      chunk);
        piecew.data = dst;
      }
      piecew.bytes = outer * chunk;
    } else {
      const int64_t rowBytes = ttrt_row_bytes(w.type, cols);
      const int64_t pieceBytes = ttrt_row_bytes(w.type, len);
      if (pieceBytes == 0)
        return keyError(llvm::formatv(
            "a piece of {0} columns is not a whole number of {1} blocks "
            "({2} elements each)",
            len, rt::typeName(w.type), rt::blockElements(w.type)));
      const int64_t offset = ttrt_row_bytes(w.type, piece * len);
      uint8_t *dst = own(outer * pieceBytes);
      for (int64_t o = 0; o < outer; ++o)
        std::memcpy(dst + o * pieceBytes, base + o * rowBytes + offset,
                    pieceBytes);
      piecew.data = dst;
      piecew.bytes = outer * pieceBytes;
    }
    w = piecew;
  }

  if (ref.partial && parallel.tpRank != 0) {
    w.data = own(w.bytes); // zeros: the sum over the group counts it once
  }

  if (ref.asType >= 0 && ref.asType != w.type) {
    int64_t rows = 1;
    for (int64_t i = 0; i + 1 < static_cast<int64_t>(w.shape.size()); ++i)
      rows *= w.shape[i];
    auto converted = rt::convertWeight(w.data, w.type, rows,
                                       w.shape.back(), ref.asType);
    if (!converted)
      return keyError(llvm::toString(converted.takeError()));
    uint8_t *dst = own(converted->size());
    std::memcpy(dst, converted->data(), converted->size());
    w.data = dst;
    w.type = ref.asType;
    w.bytes = converted->size();
  }
  return w;
}

llvm::Error ttrt_context::bindAll(llvm::ArrayRef<std::string> names) {
  std::string problems;
  unsigned count = 0;
  std::lock_guard<std::mutex> lock(bindingMutex);
  for (const std::string &name : names) {
    if (bindings.count(name))
      continue;
    Expected<Weight> w = resolve(name);
    if (!w) {
      problems += "\n  " + llvm::toString(w.takeError());
      ++count;
      continue;
    }
    bindings[name] = *w;
    repackBinding(this, *weights, name, *w);
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
    Expected<Weight> w = resolve(name);
    if (!w)
      rt::fatal("%s", llvm::toString(w.takeError()).c_str());
    it = bindings.try_emplace(name, *w).first;
    repackBinding(this, *weights, name, *w);
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
  return static_cast<float *>(slotCaches[2 * layer + which][currentSlot]);
}

void *const *ttrt_context::kvCacheSlots(int64_t layer, int32_t which,
                                        int64_t count) {
  if (layer < 0 || layer >= getNumLayers() || (which != 0 && which != 1))
    rt::fatal("kv_cache_slots: layer %lld, which %d is out of range (%lld "
              "layers; which is 0 for K, 1 for V)",
              static_cast<long long>(layer), which,
              static_cast<long long>(getNumLayers()));
  if (count < 1 || count > numSlots)
    rt::fatal("kv_cache_slots: a batch of %lld sequences, but the context "
              "has %lld KV-cache slots (ttrt_context::create's `slots`)",
              static_cast<long long>(count), static_cast<long long>(numSlots));
  return slotCaches[2 * layer + which].data();
}

void ttrt_context::setSlot(int64_t slot) {
  if (slot < 0 || slot >= numSlots)
    rt::fatal("kv cache: slot %lld does not exist (%lld slots)",
              static_cast<long long>(slot), static_cast<long long>(numSlots));
  currentSlot = slot;
}

void ttrt_context::swapSlots(int64_t a, int64_t b) {
  if (a < 0 || a >= numSlots || b < 0 || b >= numSlots)
    rt::fatal("kv cache: cannot swap slots %lld and %lld (%lld slots)",
              static_cast<long long>(a), static_cast<long long>(b),
              static_cast<long long>(numSlots));
  for (std::vector<void *> &perSlot : slotCaches)
    std::swap(perSlot[a], perSlot[b]);
}

uint64_t ttrt_context::getCacheBytes() const {
  uint64_t total = 0;
  for (const KVCacheShape &s : shapes)
    total += 2ull * contextLength * s.kvHeads *
             ttrt_kv_row_bytes(s.type, s.headDim);
  return total * numSlots;
}

void ttrt_context::resetCache() {
  for (size_t l = 0; l < shapes.size(); ++l) {
    size_t bytes = static_cast<size_t>(contextLength) * shapes[l].kvHeads *
                   ttrt_kv_row_bytes(shapes[l].type, shapes[l].headDim);
    for (int which = 0; which < 2; ++which)
      for (void *p : slotCaches[2 * l + which])
        std::memset(p, 0, bytes);
  }
}

extern "C" const void *ttrt_weight(ttrt_context *ctx, const char *name,
                                   int32_t *type) {
  if (!ctx)
    rt::fatal("ttrt_weight('%s'): no context", name ? name : "(null)");
  return ctx->weight(name, type);
}

extern "C" int64_t ttrt_logit_rows(ttrt_context *ctx, int64_t n) {
  if (!ctx)
    rt::fatal("ttrt_logit_rows: no context");
  return ctx->logitRows(n);
}

extern "C" float *ttrt_kv_cache(ttrt_context *ctx, int64_t layer,
                                int32_t which) {
  if (!ctx)
    rt::fatal("ttrt_kv_cache: no context");
  return ctx->kvCache(layer, which);
}

extern "C" void *const *ttrt_kv_cache_slots(ttrt_context *ctx, int64_t layer,
                                            int32_t which, int64_t count) {
  if (!ctx)
    rt::fatal("ttrt_kv_cache_slots: no context");
  return ctx->kvCacheSlots(layer, which, count);
}
