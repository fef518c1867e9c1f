//===- KernelsFormats.cpp - Kernels of tt's own storage formats -----------===//
//
// Type tables, decoders and matmul for the formats of tt/Runtime/Formats.h
// (group-wise int8/int4, MXINT8, MXFP4, FP8 E4M3). The integer and MX
// formats multiply int8 codes with activations quantised to int8 per block
// of 32 (as llama.cpp does for its integer formats); FP8 codes are not
// integers, so FP8 rows are decoded to f32 and multiplied with f32
// activations. The row dot products are compiled for AVX2 and for the
// baseline CPU and chosen at load time (target_clones).
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Formats.h"
#include "tt/Runtime/Kernels.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

using namespace tt::rt;

#if defined(__x86_64__) && defined(__GNUC__)
#define TT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TT_CLONES
#endif

//===----------------------------------------------------------------------===//
// Type ids and tables
//===----------------------------------------------------------------------===//

int32_t tt::rt::groupedIntType(int bits, int64_t group, bool asym) {
  if (bits != 8 && bits != 4)
    return -1;
  int log2 = 0;
  while ((int64_t{1} << log2) < group)
    ++log2;
  if ((int64_t{1} << log2) != group || log2 < 5 || log2 > 12)
    return -1;
  return TTRT_TYPE_INT_GROUPED + (bits == 4 ? 64 : 0) + (asym ? 32 : 0) + log2;
}

bool tt::rt::decodeGroupedInt(int32_t type, GroupedInt &out) {
  int32_t rel = type - TTRT_TYPE_INT_GROUPED;
  if (rel < 0 || rel >= 128)
    return false;
  int log2 = rel & 31;
  if (log2 < 5 || log2 > 12)
    return false;
  out.bits = rel & 64 ? 4 : 8;
  out.asym = rel & 32;
  out.group = int64_t{1} << log2;
  return true;
}

bool tt::rt::isFormatType(int32_t type) {
  return formatBlockElements(type) != 0;
}

int64_t tt::rt::formatBlockElements(int32_t type) {
  GroupedInt g;
  if (decodeGroupedInt(type, g))
    return g.group;
  switch (type) {
  case TTRT_TYPE_MXFP4:
  case TTRT_TYPE_MXINT8:
  case TTRT_TYPE_FP8_E4M3:
    return 32;
  default:
    return 0;
  }
}

int64_t tt::rt::formatBlockBytes(int32_t type) {
  GroupedInt g;
  if (decodeGroupedInt(type, g))
    return (g.bits == 8 ? g.group : g.group / 2) + (g.asym ? 4 : 2);
  switch (type) {
  case TTRT_TYPE_MXFP4:
    return 17;
  case TTRT_TYPE_MXINT8:
    return 33;
  case TTRT_TYPE_FP8_E4M3:
    return 34;
  default:
    return 0;
  }
}

const char *tt::rt::formatTypeName(int32_t type) {
  // Every grouped name, built once: int{8,4}_g{32..4096}[_asym].
  static const std::vector<std::string> grouped = [] {
    std::vector<std::string> names(128);
    for (int rel = 0; rel < 128; ++rel) {
      int log2 = rel & 31;
      if (log2 < 5 || log2 > 12)
        continue;
      names[rel] = std::string(rel & 64 ? "int4" : "int8") + "_g" +
                   std::to_string(1 << log2) + (rel & 32 ? "_asym" : "");
    }
    return names;
  }();
  GroupedInt g;
  if (decodeGroupedInt(type, g))
    return grouped[type - TTRT_TYPE_INT_GROUPED].c_str();
  switch (type) {
  case TTRT_TYPE_MXFP4:
    return "mxfp4";
  case TTRT_TYPE_MXINT8:
    return "mxint8";
  case TTRT_TYPE_FP8_E4M3:
    return "fp8_e4m3";
  default:
    return nullptr;
  }
}

//===----------------------------------------------------------------------===//
// Element decoders
//===----------------------------------------------------------------------===//

const int8_t tt::rt::kE2M1Doubled[16] = {0,  1,  2,  3,  4,  6,  8,  12,
                                         0, -1, -2, -3, -4, -6, -8, -12};

float tt::rt::fp8E4M3ToFloat(uint8_t q) {
  int exp = (q >> 3) & 15, man = q & 7;
  float v;
  if (exp == 15 && man == 7)
    v = NAN;
  else if (exp == 0)
    v = std::ldexp(static_cast<float>(man), -9);
  else
    v = std::ldexp(1.0f + man / 8.0f, exp - 7);
  return q & 0x80 ? -v : v;
}

float tt::rt::e8m0ToFloat(uint8_t e) {
  if (e == 255)
    return NAN;
  return std::ldexp(1.0f, static_cast<int>(e) - 127);
}

static float loadHalf(const uint8_t *p) {
  uint16_t h;
  std::memcpy(&h, p, 2);
  return halfToFloat(h);
}

static const float *e4m3Table() {
  static const std::vector<float> table = [] {
    std::vector<float> t(256);
    for (int q = 0; q < 256; ++q)
      t[q] = fp8E4M3ToFloat(static_cast<uint8_t>(q));
    return t;
  }();
  return table.data();
}

/// The 32 int4 codes of a run of 16 bytes, in element order.
static inline void unpackNibbles(const uint8_t *b, uint8_t *codes) {
  for (int j = 0; j < 16; ++j) {
    codes[j] = b[j] & 0xF;
    codes[j + 16] = b[j] >> 4;
  }
}

void tt::rt::dequantizeFormatRow(int32_t type, const void *src, int64_t n,
                                 float *dst) {
  const auto *p = static_cast<const uint8_t *>(src);
  int64_t be = formatBlockElements(type), bb = formatBlockBytes(type);
  GroupedInt g;
  if (decodeGroupedInt(type, g)) {
    for (int64_t b = 0; b < n / be; ++b, p += bb, dst += be) {
      float d = loadHalf(p);
      float m = g.asym ? loadHalf(p + 2) : 0.0f;
      const uint8_t *q = p + (g.asym ? 4 : 2);
      if (g.bits == 8) {
        for (int64_t j = 0; j < be; ++j)
          dst[j] = g.asym ? d * q[j] + m : d * static_cast<int8_t>(q[j]);
        continue;
      }
      uint8_t codes[32];
      for (int64_t s = 0; s < be / 32; ++s) {
        unpackNibbles(q + 16 * s, codes);
        for (int j = 0; j < 32; ++j)
          dst[32 * s + j] = g.asym ? d * codes[j] + m : d * (codes[j] - 8);
      }
    }
    return;
  }
  switch (type) {
  case TTRT_TYPE_MXINT8:
    for (int64_t b = 0; b < n / 32; ++b, p += 33, dst += 32) {
      float d = e8m0ToFloat(p[0]) / 64.0f;
      for (int j = 0; j < 32; ++j)
        dst[j] = d * static_cast<int8_t>(p[1 + j]);
    }
    return;
  case TTRT_TYPE_MXFP4:
    for (int64_t b = 0; b < n / 32; ++b, p += 17, dst += 32) {
      float d = e8m0ToFloat(p[0]) * 0.5f;
      uint8_t codes[32];
      unpackNibbles(p + 1, codes);
      for (int j = 0; j < 32; ++j)
        dst[j] = d * kE2M1Doubled[codes[j]];
    }
    return;
  case TTRT_TYPE_FP8_E4M3: {
    const float *lut = e4m3Table();
    for (int64_t b = 0; b < n / 32; ++b, p += 34, dst += 32) {
      float d = loadHalf(p);
      for (int j = 0; j < 32; ++j)
        dst[j] = d * lut[p[2 + j]];
    }
    return;
  }
  default:
    fatal("dequantize: %s (type id %d) is not one of tt's formats",
          typeName(type), type);
  }
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

namespace {
/// 32 activations quantised to int8: x ~= d * q; s = d * sum(q).
struct ActBlock {
  float d;
  float s;
  int8_t q[32];
};
} // namespace

static void quantizeActivations(const float *x, int64_t K, ActBlock *out) {
  for (int64_t b = 0; b < K / 32; ++b, x += 32) {
    float amax = 0;
    for (int j = 0; j < 32; ++j)
      amax = std::fmax(amax, std::fabs(x[j]));
    float d = amax / 127.0f, id = d ? 1.0f / d : 0.0f;
    int sum = 0;
    for (int j = 0; j < 32; ++j) {
      out[b].q[j] = static_cast<int8_t>(std::nearbyint(x[j] * id));
      sum += out[b].q[j];
    }
    out[b].d = d;
    out[b].s = d * sum;
  }
}

/// Dot product of a weight row with one quantised activation row; `blocks`
/// activation blocks of 32.
using RowDot = float (*)(const uint8_t *w, const ActBlock *x, int64_t blocks,
                         const GroupedInt &g);

static inline int dotS8(const int8_t *a, const int8_t *b) {
  int sum = 0;
  for (int j = 0; j < 32; ++j)
    sum += a[j] * b[j];
  return sum;
}

static inline int dotU8(const uint8_t *a, const int8_t *b) {
  int sum = 0;
  for (int j = 0; j < 32; ++j)
    sum += a[j] * b[j];
  return sum;
}

TT_CLONES static float dotInt8(const uint8_t *w, const ActBlock *x,
                               int64_t blocks, const GroupedInt &g) {
  int64_t sub = g.group / 32;
  int64_t bytes = g.group + (g.asym ? 4 : 2);
  float acc = 0;
  for (int64_t b = 0; b < blocks; b += sub, w += bytes) {
    const uint8_t *q = w + (g.asym ? 4 : 2);
    float gacc = 0, gsum = 0;
    for (int64_t s = 0; s < sub; ++s) {
      const ActBlock &xb = x[b + s];
      int dot = g.asym ? dotU8(q + 32 * s, xb.q)
                       : dotS8(reinterpret_cast<const int8_t *>(q) + 32 * s,
                               xb.q);
      gacc += xb.d * dot;
      gsum += xb.s;
    }
    acc += loadHalf(w) * gacc;
    if (g.asym)
      acc += loadHalf(w + 2) * gsum;
  }
  return acc;
}

TT_CLONES static float dotInt4(const uint8_t *w, const ActBlock *x,
                               int64_t blocks, const GroupedInt &g) {
  int64_t sub = g.group / 32;
  int64_t bytes = g.group / 2 + (g.asym ? 4 : 2);
  float acc = 0;
  uint8_t codes[32];
  for (int64_t b = 0; b < blocks; b += sub, w += bytes) {
    const uint8_t *q = w + (g.asym ? 4 : 2);
    float gacc = 0, gsum = 0;
    for (int64_t s = 0; s < sub; ++s) {
      const ActBlock &xb = x[b + s];
      unpackNibbles(q + 16 * s, codes);
      gacc += xb.d * dotU8(codes, xb.q);
      gsum += xb.s;
    }
    // Symmetric codes are offset by 8: d * sum (c - 8) x.
    acc += loadHalf(w) * (g.asym ? gacc : gacc - 8.0f * gsum);
    if (g.asym)
      acc += loadHalf(w + 2) * gsum;
  }
  return acc;
}

TT_CLONES static float dotMXINT8(const uint8_t *w, const ActBlock *x,
                                 int64_t blocks, const GroupedInt &) {
  float acc = 0;
  for (int64_t b = 0; b < blocks; ++b, w += 33)
    acc += e8m0ToFloat(w[0]) * (1.0f / 64.0f) * x[b].d *
           dotS8(reinterpret_cast<const int8_t *>(w + 1), x[b].q);
  return acc;
}

TT_CLONES static float dotMXFP4(const uint8_t *w, const ActBlock *x,
                                int64_t blocks, const GroupedInt &) {
  float acc = 0;
  int8_t values[32];
  for (int64_t b = 0; b < blocks; ++b, w += 17) {
    for (int j = 0; j < 16; ++j) {
      values[j] = kE2M1Doubled[w[1 + j] & 0xF];
      values[j + 16] = kE2M1Doubled[w[1 + j] >> 4];
    }
    acc += e8m0ToFloat(w[0]) * 0.5f * x[b].d * dotS8(values, x[b].q);
  }
  return acc;
}

TT_CLONES static float dotFloat(const float *a, const float *b, int64_t n) {
  // Eight partial sums, so the compiler can vectorise without reassociating.
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; ++l)
      acc[l] += a[i + l] * b[i + l];
  float sum = 0;
  for (int l = 0; l < 8; ++l)
    sum += acc[l];
  for (; i < n; ++i)
    sum += a[i] * b[i];
  return sum;
}

/// Weight rows per parallel chunk; each row is used by every activation row
/// while it is in cache.
constexpr int64_t kRowChunk = 4;

void tt::rt::matmulFormat(const void *w, int32_t wtype, int64_t N, int64_t K,
                          const float *x, int64_t M, float *y,
                          const float *bias) {
  const auto *wb = static_cast<const uint8_t *>(w);
  int64_t rowBytes = ttrt_row_bytes(wtype, K);
  if (wtype == TTRT_TYPE_FP8_E4M3) {
    parallelFor(N, kRowChunk, [&](int64_t n0, int64_t n1) {
      std::vector<float> row(K);
      for (int64_t n = n0; n < n1; ++n) {
        dequantizeFormatRow(wtype, wb + n * rowBytes, K, row.data());
        float b = bias ? bias[n] : 0.0f;
        for (int64_t m = 0; m < M; ++m)
          y[m * N + n] = dotFloat(row.data(), x + m * K, K) + b;
      }
    });
    return;
  }
  GroupedInt g{8, 32, false};
  RowDot dot = nullptr;
  if (decodeGroupedInt(wtype, g))
    dot = g.bits == 8 ? dotInt8 : dotInt4;
  else if (wtype == TTRT_TYPE_MXINT8)
    dot = dotMXINT8;
  else if (wtype == TTRT_TYPE_MXFP4)
    dot = dotMXFP4;
  else
    fatal("matmul: %s (type id %d) is not one of tt's formats",
          typeName(wtype), wtype);
  int64_t blocks = K / 32;
  std::vector<ActBlock> xq(M * blocks);
  parallelFor(M, 1, [&](int64_t m0, int64_t m1) {
    for (int64_t m = m0; m < m1; ++m)
      quantizeActivations(x + m * K, K, xq.data() + m * blocks);
  });
  parallelFor(N, kRowChunk, [&](int64_t n0, int64_t n1) {
    for (int64_t n = n0; n < n1; ++n) {
      float b = bias ? bias[n] : 0.0f;
      for (int64_t m = 0; m < M; ++m)
        y[m * N + n] = dot(wb + n * rowBytes, xq.data() + m * blocks, blocks,
                           g) +
                       b;
    }
  });
}
