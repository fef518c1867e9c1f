//===- Repack.cpp - Q4_0 matrices repacked at bind time -------------------===//
//
// The registry of repacked matrices (tt/Runtime/Repack.h), the conversion
// from ggml's Q4_0 rows to the 16-row groups of RepackTable.h, and
// ttrt_matmul's path over them. Compiled for the baseline CPU; the kernels
// are in RepackImpl.inc, once per instruction set.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Repack.h"
#include "RepackTable.h"
#include "tt/Runtime/Kernels.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

using namespace tt::rt;

namespace {

struct Entry {
  const void *owner;
  PackedQ4_0 packed;
  uint8_t *storage; // free()d on release
};

struct Registry {
  std::shared_mutex mutex;
  /// Entries by the pointer they were registered under; each stays at one
  /// address (findPackedQ4_0 hands out pointers into it) until released.
  std::unordered_map<const void *, std::vector<std::unique_ptr<Entry>>>
      byPointer;
  std::atomic<int64_t> count{0};
};

Registry &registry() {
  static Registry *r = new Registry(); // outlives every context
  return *r;
}

bool initialRepackEnabled() {
  const char *env = std::getenv("TT_RT_REPACK");
  if (!env || !*env)
    return true;
  if (!std::strcmp(env, "0") || !std::strcmp(env, "off"))
    return false;
  if (!std::strcmp(env, "1") || !std::strcmp(env, "on"))
    return true;
  fatal("TT_RT_REPACK=%s: expected 1/on or 0/off", env);
}

std::atomic<bool> &enabledFlag() {
  static std::atomic<bool> on{initialRepackEnabled()};
  return on;
}

/// Groups [g0, g1) of the repacked copy of the N x K matrix at src.
void repackGroups(const uint8_t *src, int64_t N, int64_t K, int64_t g0,
                  int64_t g1, uint8_t *dst) {
  const int64_t nb = K / 32, rowBytes = nb * 18,
                gbytes = packedGroupBytes(K);
  for (int64_t g = g0; g < g1; ++g) {
    uint8_t *q = dst + g * gbytes, *sc = q + nb * 256;
    for (int64_t r = 0; r < kPackRows; ++r) {
      int64_t n = kPackRows * g + r;
      if (n >= N) {
        for (int64_t b = 0; b < nb; ++b) {
          for (int j = 0; j < 4; ++j)
            std::memset(q + 256 * b + 64 * j + 4 * r, 0, 4);
          std::memset(sc + 2 * (kPackRows * b + r), 0, 2);
        }
        continue;
      }
      const uint8_t *row = src + n * rowBytes;
      for (int64_t b = 0; b < nb; ++b) {
        const uint8_t *blk = row + 18 * b;
        std::memcpy(sc + 2 * (kPackRows * b + r), blk, 2);
        for (int j = 0; j < 4; ++j)
          std::memcpy(q + 256 * b + 64 * j + 4 * r, blk + 2 + 4 * j, 4);
      }
    }
  }
}

} // namespace

bool tt::rt::repackEnabled() { return enabledFlag().load(); }

bool tt::rt::setRepackEnabled(bool on) { return enabledFlag().exchange(on); }

uint64_t tt::rt::repackQ4_0(const void *owner, const void *w, int64_t N,
                            int64_t K, bool dropSource) {
  if (!w || N <= 0 || K <= 0 || K % 32)
    return 0;
  if (isRepacked(w, N, K))
    return 0;
  const int64_t groups = (N + kPackRows - 1) / kPackRows;
  const uint64_t bytes =
      static_cast<uint64_t>(groups) * static_cast<uint64_t>(packedGroupBytes(K));
  // Without the memory, the kernels keep reading the stored layout.
  void *mem = nullptr;
  if (posix_memalign(&mem, 64, bytes) != 0)
    return 0;
  uint8_t *dst = static_cast<uint8_t *>(mem);
  const uint8_t *src = static_cast<const uint8_t *>(w);
  // Slabs of 256 groups (4096 rows: 4.5 MiB at K = 2048), each split over
  // the threads; a slab's source rows are dropped once it is done.
  const int64_t rowBytes = K / 32 * 18, slab = 256;
  for (int64_t s0 = 0; s0 < groups; s0 += slab) {
    const int64_t s1 = std::min(groups, s0 + slab);
    parallelFor(s1 - s0, 1, [&](int64_t g0, int64_t g1) {
      repackGroups(src, N, K, s0 + g0, s0 + g1, dst);
    });
    if (dropSource) {
      const int64_t r0 = s0 * kPackRows, r1 = std::min(N, s1 * kPackRows);
      dropMappedPages(src + r0 * rowBytes, (r1 - r0) * rowBytes);
    }
  }
  Registry &reg = registry();
  std::unique_lock<std::shared_mutex> lock(reg.mutex);
  reg.byPointer[w].push_back(
      std::unique_ptr<Entry>(new Entry{owner, {dst, N, K}, dst}));
  reg.count.fetch_add(1);
  return bytes;
}

void tt::rt::releaseRepacked(const void *owner) {
  Registry &reg = registry();
  std::unique_lock<std::shared_mutex> lock(reg.mutex);
  for (auto it = reg.byPointer.begin(); it != reg.byPointer.end();) {
    std::vector<std::unique_ptr<Entry>> &v = it->second;
    for (size_t i = 0; i < v.size();) {
      if (v[i]->owner == owner) {
        std::free(v[i]->storage);
        v.erase(v.begin() + i);
        reg.count.fetch_sub(1);
      } else {
        ++i;
      }
    }
    it = v.empty() ? reg.byPointer.erase(it) : std::next(it);
  }
}

const PackedQ4_0 *tt::rt::findPackedQ4_0(const void *w, int64_t N,
                                         int64_t K) {
  Registry &reg = registry();
  if (reg.count.load(std::memory_order_relaxed) == 0)
    return nullptr;
  std::shared_lock<std::shared_mutex> lock(reg.mutex);
  auto it = reg.byPointer.find(w);
  if (it == reg.byPointer.end())
    return nullptr;
  // Entries are only erased when their owner (a context) goes away, which
  // does not happen while its model runs: the pointer stays valid.
  for (const std::unique_ptr<Entry> &e : it->second)
    if (e->packed.N == N && e->packed.K == K)
      return &e->packed;
  return nullptr;
}

bool tt::rt::isRepacked(const void *w, int64_t N, int64_t K) {
  return findPackedQ4_0(w, N, K) != nullptr;
}

void tt::rt::dropMappedPages(const void *p, uint64_t bytes) {
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t begin = reinterpret_cast<uintptr_t>(p);
  uintptr_t end = begin + bytes;
  begin = (begin + page - 1) / page * page;
  end = end / page * page;
  if (end > begin)
    madvise(reinterpret_cast<void *>(begin), end - begin, MADV_DONTNEED);
}

const RepackTable &tt::rt::repackTableFor(const KernelTable &t) {
  if (&t == &kAVX512Table)
    return kAVX512Repack;
  if (&t == &kAVX2Table)
    return kAVX2Repack;
  return kScalarRepack;
}

void tt::rt::matmulPackedQ4_0(const KernelTable &t, const PackedQ4_0 &w,
                              const float *x, int64_t M, float *y,
                              const float *bias) {
  const RepackTable &r = repackTableFor(t);
  const int64_t blocks = w.K / 32, N = w.N;
  static thread_local std::vector<XBlock> xq;
  if (static_cast<int64_t>(xq.size()) < M * blocks)
    xq.resize(M * blocks);
  XBlock *xqData = xq.data();
  parallelFor(M, 1, [&](int64_t m0, int64_t m1) {
    for (int64_t m = m0; m < m1; ++m)
      t.quantize(x + m * w.K, w.K, xqData + m * blocks);
  });
  if (M == 1) {
    parallelFor(N, kPackRows, [&](int64_t n0, int64_t n1) {
      r.decode(w, n0, n1, xqData, y, bias);
    });
    return;
  }
  parallelFor(N, kPackRows, [&](int64_t n0, int64_t n1) {
    r.gemm(w, n0, n1, xqData, M, y, N, bias);
  });
}
