//===- RepackTable.h - Kernels over repacked Q4_0 matrices --------*- C++ -*-===//
//
// Private to TTRuntimeKernels (tt/Runtime/Repack.h is the public side).
//
// A repacked Q4_0 matrix of N rows and K columns (nb = K / 32 blocks per
// row) is ceil(N / 16) groups of kPackRows = 16 rows, packedGroupBytes(K)
// bytes each. Group g holds rows 16g .. 16g + 15 (rows past N are zeros):
//
//   nibbles: nb blocks of 256 bytes. Block b's bytes [64j, 64j + 64)
//            (j < 4) hold, at 4-byte lane r, bytes 4j .. 4j + 3 of the
//            block's qs[16] of row 16g + r: low nibbles are elements
//            4j .. 4j + 3, high nibbles elements 16 + 4j .. 16 + 4j + 3.
//   scales:  nb x 16 f16, block b's scale of row 16g + r at [16b + r].
//
// A 64-byte load is then one AND (low nibbles) or shift + AND (high ones)
// away from a vector of unsigned bytes whose 32-bit lane r is 4 elements of
// row r: a u8 x s8 dot product with 4 broadcast activation bytes advances 16
// rows' sums (AVX2 reads each 64 bytes as two halves of 8 rows). Per block
// the 16 scales are one 32-byte load. The layout does not depend on the
// instruction set, so kernels can be switched after binding.
//
// Arithmetic: per row and block, dw * (dx * isum - 8 * sx) with isum the
// integer dot product of the unsigned nibbles with the activation block's
// int8 values, dx its scale and sx = dx * sum(q) (XBlock::s), accumulated
// over blocks in order: the scalar kernel is the scalar row kernel
// (dotQ4_0) term for term; the SIMD decode kernels fuse the multiply-add;
// the SIMD GEMM runs GemmImpl.inc's Q4_0 microkernel on the same panels
// packPanel<kQ4_0> would build, so its results equal the stored-layout
// GEMM's bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_KERNELS_REPACKTABLE_H
#define TT_RUNTIME_KERNELS_REPACKTABLE_H

#include "KernelTable.h"

namespace tt {
namespace rt {

constexpr int64_t kPackRows = 16;

/// Bytes of one 16-row group of a repacked matrix with K columns.
inline int64_t packedGroupBytes(int64_t K) { return K / 32 * 288; }

struct PackedQ4_0 {
  const uint8_t *data;
  int64_t N, K;
};

/// The kernels of one instruction set over repacked matrices. Both compute
/// y[m * ldy + n] = dot(row n, x[m]) + (bias ? bias[n] : 0) for rows n in
/// [n0, n1) (n1 <= N; any bounds, groups cut by them are computed whole and
/// written in part) and activation rows m < M (decode: M = 1, ldy unused);
/// x holds K / 32 XBlocks per activation row (KernelTable::quantize).
struct RepackTable {
  void (*decode)(const PackedQ4_0 &w, int64_t n0, int64_t n1,
                 const XBlock *x, float *y, const float *bias);
  void (*gemm)(const PackedQ4_0 &w, int64_t n0, int64_t n1, const XBlock *x,
               int64_t M, float *y, int64_t ldy, const float *bias);
};

extern const RepackTable kScalarRepack;
extern const RepackTable kAVX2Repack;
extern const RepackTable kAVX512Repack;

/// The repacked copy registered for (w, N, K) (tt/Runtime/Repack.h), or
/// null. Cheap when nothing is registered.
const PackedQ4_0 *findPackedQ4_0(const void *w, int64_t N, int64_t K);

/// Whether ttrt_matmul and ttrt_matmul_fused use repacked copies: not when
/// MatmulPath::Rows (TT_RT_MATMUL=rows) asks for the row kernels over the
/// stored layout (for comparisons). Defined in Kernels.cpp.
bool packedPathEnabled();

/// The repack kernels of the same instruction set as `t`.
const RepackTable &repackTableFor(const KernelTable &t);

/// ttrt_matmul over a repacked matrix: quantises x (M rows of w.K floats)
/// once and runs the decode (M = 1) or GEMM kernels on the thread pool, in
/// ranges of whole 16-row groups.
void matmulPackedQ4_0(const KernelTable &t, const PackedQ4_0 &w,
                      const float *x, int64_t M, float *y, const float *bias);

} // namespace rt
} // namespace tt

#endif // TT_RUNTIME_KERNELS_REPACKTABLE_H
