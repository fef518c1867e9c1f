//===- KernelTable.h - Per-ISA kernel entry points -----------------*- C++
//-*-===//
//
// Private to TTRuntimeKernels. The SIMD kernels live in translation units
// compiled for one instruction set each (KernelsAVX2.cpp, KernelsAVX512.cpp,
// KernelsScalar.cpp, all including KernelsImpl.inc); Kernels.cpp picks one
// table at load time from what the CPU supports. These translation units use
// no standard library templates, so no inline function compiled with AVX can
// be merged into code the baseline CPU runs.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_KERNELS_KERNELTABLE_H
#define TT_RUNTIME_KERNELS_KERNELTABLE_H

#include <stdint.h>

namespace tt {
namespace rt {

/// An activation block: 32 elements quantised to int8 with one scale, as
/// llama.cpp does for its integer dot products. `s` is d * sum(q); h[0] and
/// h[1] are the sums of q over the two halves of 16 (for Q6_K's 16-element
/// scales); off[j] is -8 times the sum of q[4j .. 4j+3], laid out as the
/// int32 lanes of a u8 x s8 dot product, which Q4_0's kernels start from so
/// that its weights' offset of 8 costs nothing.
struct alignas(16) XBlock {
  float d;
  float s;
  int16_t h[2];
  int32_t pad;
  int8_t q[32];
  int32_t off[8];
};
static_assert(sizeof(XBlock) == 80, "XBlock layout");

/// At most this many activation rows share one pass over a weight row.
constexpr int kMaxRows = 4;

/// out[i] = dot(weight row w, activation row xs[i]) for i < nx (1..kMaxRows);
/// K elements (float types) or K / 32 activation blocks (integer types).
using FloatDotFn = void (*)(const void *w, const float *const *xs, int nx,
                            int64_t K, float *out);
/// The same for two weight rows w0, w1 at once (prefill: each activation
/// load feeds two rows): out0[i], out1[i].
using FloatDot2Fn = void (*)(const void *w0, const void *w1,
                             const float *const *xs, int nx, int64_t K,
                             float *out0, float *out1);
using QuantDotFn = void (*)(const void *w, const XBlock *const *xs, int nx,
                            int64_t K, float *out);

struct KernelTable {
  const char *name;
  FloatDotFn dotF32, dotF16, dotBF16;
  FloatDot2Fn dot2F32, dot2F16, dot2BF16;
  QuantDotFn dotQ8_0, dotQ4_0, dotQ4_K, dotQ5_K, dotQ6_K;
  /// Quantises K (a multiple of 32) floats to K / 32 blocks.
  void (*quantize)(const float *x, int64_t K, XBlock *out);
  /// sum a[i]*b[i]; y[i] += a * x[i].
  float (*dot)(const float *a, const float *b, int64_t n);
  void (*axpy)(float a, const float *x, float *y, int64_t n);
};

/// Prefill (M > 1) matrix products over weight rows [n0, n1) of an N x K
/// matrix: y[m * N + n] = dot(weight row n, x[m]) + bias[n] (bias may be
/// null) for every m < M; x is M rows of K floats, or of K / 32 XBlocks for
/// the integer formats. Each result depends only on its row and column (not
/// on n0, n1 or M), so any split over threads gives the same numbers.
using FloatGemmFn = void (*)(const void *w, int64_t rowBytes, int64_t n0,
                             int64_t n1, int64_t N, int64_t K, const float *x,
                             int64_t M, float *y, const float *bias);
using QuantGemmFn = void (*)(const void *w, int64_t rowBytes, int64_t n0,
                             int64_t n1, int64_t N, int64_t K, const XBlock *x,
                             int64_t M, float *y, const float *bias);

/// The GEMM kernels of one ISA (GemmImpl.inc); null entries (the scalar
/// table) leave prefill to the dot-product kernels above.
struct GemmTable {
  FloatGemmFn f32, f16, bf16;
  QuantGemmFn q8_0, q4_0, q4_k, q5_k, q6_k;
  /// Weight rows that share one pass of the integer kernels (a vector's
  /// lanes): threads get multiples of it.
  int64_t rowAlign;
  /// Q4_0 decode (M = 1), or null: q4_0DecodePrep writes
  /// q4_0DecodeBytes(K) bytes of a quantised activation row laid out for
  /// Q4_0's nibbles; q4_0Decode sets y[n] = dot(row n, x) + bias[n] for n
  /// in [n0, n1).
  int64_t (*q4_0DecodeBytes)(int64_t K);
  void (*q4_0DecodePrep)(const float *x, int64_t K, void *out);
  void (*q4_0Decode)(const void *w, int64_t rowBytes, int64_t n0, int64_t n1,
                     int64_t K, const void *xp, float *y, const float *bias);
};

extern const GemmTable kScalarGemm;
extern const GemmTable kAVX2Gemm;
extern const GemmTable kAVX512Gemm;

/// The prefill GEMM over weight rows [n0, n1) for other kernel files (the
/// fused projections of KernelsFused.cpp): y[m * ldy + n] = dot(weight row
/// n, x[m]) + (bias ? bias[n] : 0) for m < M and n in [n0, n1), with the
/// kernels of table t's ISA. x: M rows of K floats (f32/f16/bf16 weights);
/// xq: M rows of K / 32 XBlocks from t.quantize (integer formats). Returns
/// false, writing nothing, where ttrt_matmul would not use the GEMM kernels
/// (type, ISA, M below the threshold, MatmulPath::Rows): the caller then
/// runs the row kernels. Single-threaded: call it from each thread's range;
/// ranges that start at multiples of GemmTable::rowAlign (16 with
/// AVX-512) waste nothing.
bool gemmRange(const KernelTable &t, const void *w, int32_t wtype,
               int64_t rowBytes, int64_t n0, int64_t n1, int64_t ldy, int64_t K,
               const float *x, const XBlock *xq, int64_t M, float *y,
               const float *bias);

/// Kernels.h's fatal, declared here because the ISA translation units do
/// not include Kernels.h.
[[noreturn]] void fatal(const char *fmt, ...);

extern const KernelTable kScalarTable;
extern const KernelTable kAVX2Table;
extern const KernelTable kAVX512Table;

/// Weight rows processed against every group of activation rows before
/// moving on, so that prefill reuses them from cache.
constexpr int64_t kRowTile = 16;

/// Weight rows [n0, n1) of an N x K matrix (rows of rowBytes) against M
/// activation rows (xStride elements apart) with a row dot kernel:
/// y[m * N + n] = dot + bias[n] (+ residual[m * N + n]); bias and residual
/// may be null.
template <typename X, typename DotFn>
void matmulRows(const uint8_t *w, int64_t rowBytes, int64_t n0, int64_t n1,
                int64_t N, int64_t K, const X *x, int64_t xStride, int64_t M,
                float *y, const float *bias, DotFn dot,
                const float *residual = nullptr) {
  float out[kMaxRows];
  const X *xs[kMaxRows];
  for (int64_t nt = n0; nt < n1; nt += kRowTile) {
    int64_t ne = nt + kRowTile < n1 ? nt + kRowTile : n1;
    for (int64_t m0 = 0; m0 < M; m0 += kMaxRows) {
      int nx = static_cast<int>(M - m0 < kMaxRows ? M - m0 : kMaxRows);
      for (int i = 0; i < nx; ++i)
        xs[i] = x + (m0 + i) * xStride;
      for (int64_t n = nt; n < ne; ++n) {
        dot(w + n * rowBytes, xs, nx, K, out);
        float b = bias ? bias[n] : 0.0f;
        for (int i = 0; i < nx; ++i) {
          float v = out[i] + b;
          if (residual)
            v = v + residual[(m0 + i) * N + n];
          y[(m0 + i) * N + n] = v;
        }
      }
    }
  }
}

} // namespace rt
} // namespace tt

#endif // TT_RUNTIME_KERNELS_KERNELTABLE_H
