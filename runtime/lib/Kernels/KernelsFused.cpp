//===- KernelsFused.cpp - ttrt_matmul_fused: tt-fuse's projections --------===//
//
// Several products of one activation: the QKV projection, gate and up, each
// optionally preceded by the norm that feeds it and (for one product)
// followed by the residual add. The activation is normalised once. In
// decode (one row) it is quantised once for integer weight formats and all
// products' rows run in one parallel region, each with the dot-product
// kernel ttrt_matmul uses for one row; prefill calls ttrt_matmul per
// product (keeping its GEMM kernels). Either way a fused product equals the
// separate ones (see docs/Fusion.md).
//
//===----------------------------------------------------------------------===//

#include "KernelTable.h"
#include "RepackTable.h"
#include "tt/Runtime/Kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

using namespace tt::rt;

namespace tt::rt {
const KernelTable &activeKernelTable(); // Kernels.cpp
} // namespace tt::rt

namespace {

struct Part {
  const uint8_t *w = nullptr;
  int32_t type = 0;
  int64_t N = 0, rowBytes = 0;
  float *y = nullptr;
  const float *bias = nullptr;
  const float *residual = nullptr;
  FloatDotFn fdot = nullptr;
  FloatDot2Fn fdot2 = nullptr;
  QuantDotFn qdot = nullptr;
  /// A Q4_0 matrix repacked at bind time (tt/Runtime/Repack.h), or null.
  const PackedQ4_0 *packed = nullptr;
};

/// Rows [n0, n1) of one part: y[m][n] = dot + bias[n] + residual[m][n].
template <typename X, typename DotFn>
void partRows(const Part &p, int64_t n0, int64_t n1, int64_t K, const X *x,
              int64_t xStride, int64_t M, DotFn dot) {
  matmulRows(p.w, p.rowBytes, n0, n1, p.N, K, x, xStride, M, p.y, p.bias, dot,
             p.residual);
}

/// x normalised as the unfused lowering's linalg code computes it (the
/// same operations in the same order): RMSNorm or LayerNorm over K.
void normRow(const float *x, int64_t K, int32_t kind, float eps,
             const float *w, const float *b, bool zeroCentered, float *y) {
  const float c = static_cast<float>(K);
  const float invC = 1.0f / c;
  const float *src = x;
  if (kind == TTRT_NORM_LAYER) {
    float sum = 0;
    for (int64_t k = 0; k < K; ++k)
      sum = sum + x[k];
    float mean = sum * invC;
    for (int64_t k = 0; k < K; ++k)
      y[k] = x[k] - mean;
    src = y;
  }
  float ss = 0;
  for (int64_t k = 0; k < K; ++k) {
    float sq = src[k] * src[k];
    ss = ss + sq;
  }
  float var = ss / c;
  var = var + eps;
  float s = 1.0f / std::sqrt(var);
  for (int64_t k = 0; k < K; ++k) {
    float v = s * src[k];
    if (w) {
      float wk = zeroCentered ? w[k] + 1.0f : w[k];
      v = wk * v;
    }
    if (b)
      v = v + b[k];
    y[k] = v;
  }
}

} // namespace

extern "C" void
ttrt_matmul_fused(const float *x, int64_t M, int64_t K, int32_t normKind,
                  float eps, const float *normW, const float *normB,
                  int32_t zeroCentered, const float *residual, int32_t count,
                  const void *w0, int32_t t0, int64_t N0, float *y0,
                  const float *b0, const void *w1, int32_t t1, int64_t N1,
                  float *y1, const float *b1, const void *w2, int32_t t2,
                  int64_t N2, float *y2, const float *b2) {
  if (count < 1 || count > 3)
    fatal("matmul_fused: %d products; 1 to 3 are supported", count);
  if (M < 0 || K <= 0)
    fatal("matmul_fused: bad size (M=%lld, K=%lld)", static_cast<long long>(M),
          static_cast<long long>(K));
  if (normKind != TTRT_NORM_NONE && normKind != TTRT_NORM_RMS &&
      normKind != TTRT_NORM_LAYER)
    fatal("matmul_fused: unknown norm kind %d (TTRT_NORM_*)", normKind);
  const KernelTable &t = activeKernelTable();
  const void *ws[3] = {w0, w1, w2};
  const int32_t types[3] = {t0, t1, t2};
  const int64_t Ns[3] = {N0, N1, N2};
  float *ys[3] = {y0, y1, y2};
  const float *bs[3] = {b0, b1, b2};
  Part parts[3];
  bool anyQuant = false;
  int64_t total = 0;
  for (int i = 0; i < count; ++i) {
    Part &p = parts[i];
    p.w = static_cast<const uint8_t *>(ws[i]);
    p.type = types[i];
    p.N = Ns[i];
    p.y = ys[i];
    p.bias = bs[i];
    p.residual = i == 0 ? residual : nullptr;
    if (p.N < 0)
      fatal("matmul_fused: product %d has %lld rows", i,
            static_cast<long long>(p.N));
    p.rowBytes = ttrt_row_bytes(p.type, K);
    if (!ttrt_type_supported(p.type) || p.rowBytes == 0)
      fatal("matmul_fused: product %d: weight type %s (ggml type id %d) with "
            "K=%lld is not supported (a whole number of blocks of a type "
            "ttrt_matmul supports)",
            i, typeName(p.type), p.type, static_cast<long long>(K));
    switch (p.type) {
    case TTRT_TYPE_F32:
      p.fdot = t.dotF32;
      p.fdot2 = t.dot2F32;
      break;
    case TTRT_TYPE_F16:
      p.fdot = t.dotF16;
      p.fdot2 = t.dot2F16;
      break;
    case TTRT_TYPE_BF16:
      p.fdot = t.dotBF16;
      p.fdot2 = t.dot2BF16;
      break;
    case TTRT_TYPE_Q8_0:
      p.qdot = t.dotQ8_0;
      break;
    case TTRT_TYPE_Q4_0:
      p.qdot = t.dotQ4_0;
      break;
    case TTRT_TYPE_Q4_K:
      p.qdot = t.dotQ4_K;
      break;
    case TTRT_TYPE_Q5_K:
      p.qdot = t.dotQ5_K;
      break;
    case TTRT_TYPE_Q6_K:
      p.qdot = t.dotQ6_K;
      break;
    default:
      fatal("matmul_fused: product %d: weight type %s (ggml type id %d) has "
            "no fused kernel",
            i, typeName(p.type), p.type);
    }
    anyQuant |= p.qdot != nullptr;
    total += p.N;
  }
  if (M == 0 || total == 0)
    return;

  // The activation: normalised once.
  static thread_local std::vector<float> normed;
  const float *xa = x;
  if (normKind != TTRT_NORM_NONE) {
    if (static_cast<int64_t>(normed.size()) < M * K)
      normed.resize(M * K);
    float *dst = normed.data();
    parallelFor(M, 1, [&](int64_t m0, int64_t m1) {
      for (int64_t m = m0; m < m1; ++m)
        normRow(x + m * K, K, normKind, eps, normW, normB, zeroCentered != 0,
                dst + m * K);
    });
    xa = dst;
  }
  // Prefill (M > 1): ttrt_matmul per product on the normalised activation,
  // so that prefill keeps its GEMM kernels; the residual added after, as the
  // unfused code does. Decode runs everything in one region below.
  if (M > 1) {
    for (int i = 0; i < count; ++i)
      ttrt_matmul(parts[i].w, parts[i].type, parts[i].N, K, xa, M, parts[i].y,
                  parts[i].bias);
    if (residual)
      for (int64_t j = 0; j < M * N0; ++j)
        y0[j] = y0[j] + residual[j];
    return;
  }

  // ... and quantised once for the integer formats.
  static thread_local std::vector<XBlock> xq;
  const int64_t blocks = K / 32;
  if (anyQuant) {
    if (K % 32)
      fatal("matmul_fused: K=%lld is not a multiple of 32",
            static_cast<long long>(K));
    if (static_cast<int64_t>(xq.size()) < M * blocks)
      xq.resize(M * blocks);
    XBlock *xqData = xq.data();
    parallelFor(M, 1, [&](int64_t m0, int64_t m1) {
      for (int64_t m = m0; m < m1; ++m)
        t.quantize(xa + m * K, K, xqData + m * blocks);
    });
  }
  const XBlock *xqData = xq.data();

  // Repacked Q4_0 products run their own kernels, in ranges of whole
  // 16-row groups.
  bool anyPacked = false;
  for (int i = 0; i < count; ++i)
    if (parts[i].type == TTRT_TYPE_Q4_0 && packedPathEnabled() &&
        (parts[i].packed = findPackedQ4_0(parts[i].w, parts[i].N, K)))
      anyPacked = true;
  const RepackTable &rt = repackTableFor(t);

  // One parallel region over the rows of all products.
  parallelFor(total, anyPacked ? kPackRows : kMaxRows, [&](int64_t r0,
                                                           int64_t r1) {
    int64_t base = 0;
    for (int i = 0; i < count && r0 < r1; ++i) {
      const Part &p = parts[i];
      int64_t lo = std::max(r0, base), hi = std::min(r1, base + p.N);
      if (lo < hi) {
        int64_t n0 = lo - base, n1 = hi - base;
        if (p.packed) {
          rt.decode(*p.packed, n0, n1, xqData, p.y, p.bias);
          if (p.residual)
            for (int64_t n = n0; n < n1; ++n)
              p.y[n] = p.y[n] + p.residual[n];
        } else if (p.qdot)
          partRows(p, n0, n1, K, xqData, blocks, M, p.qdot);
        else
          partRows(p, n0, n1, K, xa, K, M, p.fdot);
      }
      base += p.N;
    }
  });
}
