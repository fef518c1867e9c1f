//===- KernelsBatch.cpp - Attention of a batched decode step --------------===//
//
// ttrt_attention_batch (RuntimeABI.h): the attention of m_decode_batch, B
// rows of B different sequences, each with its own KV cache (slot) and
// position. Each row is exactly the single-sequence decode call,
// ttrt_attention_kv with one query at that row's position over that row's
// caches (appending its keys and values, rope fused or not, any cache type;
// ttrt_attention_alibi for ALiBi models), so a batched row's attention
// equals the unbatched one bit for bit. The
// parallelism: rows across the pool when there are at least as many rows as
// threads (each row's heads then run on the thread that claimed the row:
// kernels called inside a pool job run serially), else one row after the
// other with its heads across the pool.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

using namespace tt::rt;

namespace {

/// Checks a batched step's arguments, then runs row(b) for every row: rows
/// across the pool when there are at least as many as threads (each row's
/// own parallel loop then runs serially on the thread that claimed it), else
/// one after the other with each row's heads across the pool.
template <typename Row>
void forEachRow(const char *what, void *const *kcaches, void *const *vcaches,
                int64_t B, const int64_t *positions, Row row) {
  if (B < 0 || (B > 0 && (!kcaches || !vcaches || !positions)))
    fatal("%s: %lld rows need caches and positions", what,
          static_cast<long long>(B));
  for (int64_t b = 0; b < B; ++b) {
    if (positions[b] < 0)
      fatal("%s: row %lld has position %lld", what, static_cast<long long>(b),
            static_cast<long long>(positions[b]));
    if (!kcaches[b] || !vcaches[b])
      fatal("%s: row %lld has no KV cache", what, static_cast<long long>(b));
  }
  if (B >= numThreads()) {
    parallelFor(B, 1, [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b)
        row(b);
    });
    return;
  }
  for (int64_t b = 0; b < B; ++b)
    row(b);
}

} // namespace

extern "C" void ttrt_attention_batch(
    const float *q, const float *k, const float *v, void *const *kcaches,
    void *const *vcaches, int32_t kvtype, int64_t B, const int64_t *positions,
    int64_t H, int64_t KVH, int64_t D, int64_t window, float scale,
    float softcap, const float *invFreq, int64_t rot, int32_t interleaved,
    float *out) {
  forEachRow("attention_batch", kcaches, vcaches, B, positions, [&](int64_t b) {
    ttrt_attention_kv(q + b * H * D, k + b * KVH * D, v + b * KVH * D,
                      kcaches[b], vcaches[b], kvtype, 1, positions[b], H, KVH,
                      D, window, scale, softcap, invFreq, rot, interleaved,
                      out + b * H * D);
  });
}

extern "C" void ttrt_attention_batch_alibi(
    const float *q, const float *k, const float *v, void *const *kcaches,
    void *const *vcaches, int32_t kvtype, int64_t B, const int64_t *positions,
    int64_t H, int64_t KVH, int64_t D, int64_t window, float scale,
    float softcap, float maxBias, float *out) {
  forEachRow("attention_batch_alibi", kcaches, vcaches, B, positions,
             [&](int64_t b) {
               ttrt_attention_alibi(q + b * H * D, k + b * KVH * D,
                                    v + b * KVH * D, kcaches[b], vcaches[b],
                                    kvtype, 1, positions[b], H, KVH, D, window,
                                    scale, softcap, maxBias, out + b * H * D);
             });
}
