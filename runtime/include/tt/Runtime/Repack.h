//===- Repack.h - Q4_0 matrices repacked at bind time -------------*- C++ -*-===//
//
// Load-time repacking of Q4_0 weight matrices, as llama.cpp's ggml-cpu
// "repack" does: the blocks of 16 consecutive rows are stored side by side
// (runtime/lib/Kernels/RepackTable.h has the layout), so that one load of
// an activation block serves 16 rows and the kernels unpack nibbles
// straight into a vector whose lanes are rows, with no transposition.
//
// ttrt_context repacks every Q4_0 matrix (and every expert of a stacked
// [E, rows, cols] Q4_0 tensor) when it binds it and registers the copy
// under the pointer the generated code will pass. ttrt_matmul and
// ttrt_matmul_fused look a Q4_0 weight up by pointer and use the repacked
// copy when one is registered for exactly that pointer, N and K; anything
// else (embedding lookups, a call with other sizes) reads the stored
// layout, which stays valid. The generated code and the ABI are unchanged.
// TT_RT_MATMUL=rows (MatmulPath::Rows) runs the row kernels over the stored
// layout instead, for comparisons.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_REPACK_H
#define TT_RUNTIME_REPACK_H

#include <cstdint>

namespace tt {
namespace rt {

/// Whether ttrt_context repacks Q4_0 weights when binding them: yes unless
/// the environment sets TT_RT_REPACK=0 (or off), e.g. to compare against the
/// stored-layout kernels. setRepackEnabled returns the previous setting.
bool repackEnabled();
bool setRepackEnabled(bool on);

/// Repacks the N x K Q4_0 matrix at `w` (rows of ttrt_row_bytes(Q4_0, K)
/// bytes) and registers the copy under `w` for `owner`. Returns the bytes
/// allocated; 0 when nothing was done (N or K zero, K not a multiple of 32,
/// `w` already registered with the same N and K, or no memory for the copy:
/// the kernels then read the stored layout). Multi-threaded on the
/// kernels' pool. With `dropSource` (only for a read-only file mapping, see
/// dropMappedPages) the source's pages are given back slab by slab as they
/// are repacked, so that the resident set never holds both copies of more
/// than a few megabytes.
uint64_t repackQ4_0(const void *owner, const void *w, int64_t N, int64_t K,
                    bool dropSource = false);

/// Frees every repacked matrix registered for `owner`.
void releaseRepacked(const void *owner);

/// Whether a repacked copy is registered for (w, N, K).
bool isRepacked(const void *w, int64_t N, int64_t K);

/// Returns the whole pages inside [p, p + bytes) of a read-only file
/// mapping to the operating system (madvise MADV_DONTNEED), so that a
/// repacked matrix's stored copy stops counting towards the resident set;
/// a later read faults the pages back in from the file. Only for memory
/// mapped read-only from a file: anonymous memory would read back as zeros.
void dropMappedPages(const void *p, uint64_t bytes);

} // namespace rt
} // namespace tt

#endif // TT_RUNTIME_REPACK_H
