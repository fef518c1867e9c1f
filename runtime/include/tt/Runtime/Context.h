//===- Context.h - The state a compiled model runs against -------*- C++
//-*-===//
//
// The C++ definition of RuntimeABI.h's opaque `ttrt_context`: a model's
// weights (a WeightStore, bound by name) and its KV cache, allocated once at
// creation for the whole context length: one cache per sequence slot (one
// slot unless batched decoding asks for more). Generated code reaches it
// only through ttrt_weight, ttrt_kv_cache and ttrt_kv_cache_slots.
//
//   auto store = tt::WeightStore::open(path);          // mmap the weights
//   auto ctx = ttrt_context::create(std::move(*store),
//                                   {layers, {kvHeads, headDim}}, ctxLen);
//   if (auto err = (*ctx)->bindAll(namesTheCompiledModelUses)) ...
//   ... run steps, passing ctx->get() to the compiled code ...
//   (*ctx)->resetCache();                               // a new sequence
//
// Batched decoding (RuntimeABI.h, m_decode_batch): create with `slots` > 1;
// setSlot(s) before a prefill or decode step makes it use slot s's cache;
// a batched step's row b uses slot b, so the live sequences are kept in
// slots 0 .. B-1 (swapSlots moves a sequence's cache, in O(layers)).
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_CONTEXT_H
#define TT_RUNTIME_CONTEXT_H

#include "tt/Runtime/Comm.h"
#include "tt/Runtime/RuntimeABI.h"
#include "tt/Runtime/WeightStore.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tt {
/// Where this process sits in a parallel run (one process: all defaults).
/// Processes form `ppSize` pipeline stages of `tpSize` tensor-parallel ranks.
struct ParallelInfo {
  int64_t tpRank = 0, tpSize = 1;
  int64_t ppRank = 0, ppSize = 1;
};

/// One layer's KV cache shape (layers may differ, e.g. per-layer KV heads)
/// and element type (TTRT_KV_*, RuntimeABI.h: what tt-kv-cache chose, as
/// tt::describeModel reports it).
struct KVCacheShape {
  int64_t kvHeads = 0;
  int64_t headDim = 0;
  int32_t type = TTRT_KV_F32;
};
} // namespace tt

struct ttrt_context {
  /// A context over `weights` with, for each of `slots` sequences, one KV
  /// cache of `contextLength` positions per entry of `layers`. Errors: a
  /// non-positive size, or a cache too large to allocate.
  static llvm::Expected<std::unique_ptr<ttrt_context>>
  create(std::unique_ptr<tt::WeightStore> weights,
         llvm::ArrayRef<tt::KVCacheShape> layers, int64_t contextLength,
         int64_t slots = 1);
  /// The same shape for every one of `numLayers` layers.
  static llvm::Expected<std::unique_ptr<ttrt_context>>
  create(std::unique_ptr<tt::WeightStore> weights, int64_t numLayers,
         tt::KVCacheShape shape, int64_t contextLength);

  ~ttrt_context();
  ttrt_context(const ttrt_context &) = delete;
  ttrt_context &operator=(const ttrt_context &) = delete;

  /// Sets this process's place in a parallel run; weights bound afterwards
  /// use it to pick their shard (tt/Runtime/WeightRef.h).
  void setParallel(const tt::ParallelInfo &info) { parallel = info; }
  const tt::ParallelInfo &getParallel() const { return parallel; }

  /// The communicator of a multi-process run (tt/Runtime/Comm.h), which the
  /// ttrt_* collectives use; also sets the ParallelInfo from its grid. A
  /// context without one is a single process.
  void setCommunicator(std::unique_ptr<tt::rt::Communicator> c);
  tt::rt::Communicator &getCommunicator();

  /// Checks that every bind key (tt/Runtime/WeightRef.h: a tensor name,
  /// optionally with a row range and shard/partial/conversion suffixes)
  /// names a tensor with a type the kernels support, derives the tensors the
  /// suffixes ask for, and remembers the bindings.
  /// The error lists every missing or unusable weight, one per line.
  llvm::Error bindAll(llvm::ArrayRef<std::string> names);
  /// The same for a compiled model's m_weight_names() list: NUL-terminated
  /// names followed by an empty one ("a\0b\0\0").
  llvm::Error bindAll(const char *packedNames);
  /// Splits an m_weight_names() list into names.
  static std::vector<std::string> splitNames(const char *packedNames);

  /// ttrt_weight: the weight `name`; a fatal error naming it if it cannot be
  /// bound (bindAll reports that up front).
  const void *weight(const char *name, int32_t *type);
  /// ttrt_kv_cache: layer `layer`'s K (which = 0) or V (which = 1) cache,
  /// [contextLength][kvHeads] rows of ttrt_kv_row_bytes(type, headDim)
  /// bytes (f32: [contextLength][kvHeads][headDim] floats). Fatal error when
  /// out of range.
  /// The cache of the current slot (setSlot).
  float *kvCache(int64_t layer, int32_t which);
  /// ttrt_kv_cache_slots: layer `layer`'s K or V caches of slots 0 ..
  /// count-1, in slot order. Fatal error when count exceeds the slots.
  void *const *kvCacheSlots(int64_t layer, int32_t which, int64_t count);

  /// Zeroes the KV cache of every slot (new sequences).
  void resetCache();

  /// Whether a prefill step computes logits for its last row only (what
  /// generation needs) rather than for every row (the default, for callers
  /// that inspect every position). See ttrt_logit_rows.
  void setLastLogitsOnly(bool last) { lastLogitsOnly = last; }
  /// ttrt_logit_rows: the number of a step's last rows that get logits.
  int64_t logitRows(int64_t n) const {
    return lastLogitsOnly && n > 1 ? 1 : n;
  }

  /// Sequence slots: how many, and the one prefill and decode steps use
  /// (0 at creation). setSlot of a slot that does not exist is a fatal error.
  int64_t getNumSlots() const { return numSlots; }
  int64_t getSlot() const { return currentSlot; }
  void setSlot(int64_t slot);
  /// Exchanges the caches of slots a and b (a batch keeping its live
  /// sequences in the first slots); no data is copied.
  void swapSlots(int64_t a, int64_t b);

  tt::WeightStore &getWeights() { return *weights; }
  int64_t getContextLength() const { return contextLength; }
  int64_t getNumLayers() const { return static_cast<int64_t>(shapes.size()); }
  const tt::KVCacheShape &getLayerShape(int64_t layer) const {
    return shapes[layer];
  }
  /// Bytes of weights the runtime derived at bind time (owned copies).
  uint64_t getDerivedWeightBytes() const { return ownedBytes; }
  /// Bytes of KV cache allocated (K and V, all layers, all slots).
  uint64_t getCacheBytes() const;

private:
  ttrt_context() = default;
  struct FreeDeleter {
    void operator()(float *p) const;
  };
  std::unique_ptr<tt::WeightStore> weights;
  std::vector<tt::KVCacheShape> shapes;
  int64_t contextLength = 0;
  /// 2 per layer: K then V, in the layer's cache type (float * for the
  /// f32 case); calloc'd, so untouched pages cost no memory.
  std::vector<std::unique_ptr<float, FreeDeleter>> caches;
  /// Per layer and K/V (index 2 * layer + which): the slots' caches in slot
  /// order (swapSlots permutes them).
  std::vector<std::vector<void *>> slotCaches;
  int64_t numSlots = 1, currentSlot = 0;
  /// The tensor a bind key names, derived from the stored one if need be.
  llvm::Expected<tt::Weight> resolve(llvm::StringRef key);

  tt::ParallelInfo parallel;
  std::unique_ptr<tt::rt::Communicator> comm;
  std::mutex bindingMutex;
  llvm::StringMap<tt::Weight> bindings;
  /// Storage of derived tensors (shards that are not views, conversions).
  std::vector<std::unique_ptr<uint8_t[]>> owned;
  uint64_t ownedBytes = 0;
  bool lastLogitsOnly = false;
};

#endif // TT_RUNTIME_CONTEXT_H
