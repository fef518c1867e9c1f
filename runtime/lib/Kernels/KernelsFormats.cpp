//===- KernelsFormats.cpp - Kernels of tt's own storage formats -----------===//
//
// Type tables, decoders and matmul for the formats of tt/Runtime/Formats.h
// (group-wise int8/int4, MXINT8, MXFP4, FP8 E4M3). The integer and MX
// formats multiply int8 codes with activations quantised to int8 per block
// of 32 (as llama.cpp does for its integer formats); FP8 codes are not
// integers, so FP8 rows are decoded to f32 and multiplied with f32
// activations. The row kernels come in AVX2 (chosen when the runtime's
// kernels are AVX2 or AVX-512) and scalar versions.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Formats.h"
#include "tt/Runtime/Kernels.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

using namespace tt::rt;

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

const int8_t tt::rt::kE2M1Doubled[16] = {0, 1,  2,  3,  4,  6,  8,  12,
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

/// Dot product of a weight row with one quantised activation row of
/// `blocks` blocks of 32.
using RowDot = float (*)(const uint8_t *w, const ActBlock *x, int64_t blocks,
                         const GroupedInt &g);
/// Decodes a row of `n` FP8 weights to f32.
using FP8RowFn = void (*)(const uint8_t *w, int64_t n, float *out);
using FloatDotFn = float (*)(const float *a, const float *b, int64_t n);
/// One FP8 row times one f32 activation row.
using FP8DotFn = float (*)(const uint8_t *w, const float *x, int64_t n);

struct FormatKernels {
  RowDot int8, int4, mxint8, mxfp4;
  FP8RowFn fp8Row;
  FP8DotFn fp8Dot;
  FloatDotFn dot;
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

/// E8M0 without libm: 2^(e-127) (e = 0 is the subnormal 2^-127).
static inline float e8m0Fast(uint8_t e) {
  uint32_t bits = e ? static_cast<uint32_t>(e) << 23 : 0x00400000u;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// The scalar kernels: the reference for the SIMD ones, and what CPUs without
// AVX2 run.

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

static float dotInt8Scalar(const uint8_t *w, const ActBlock *x, int64_t blocks,
                           const GroupedInt &g) {
  int64_t sub = g.group / 32;
  int64_t bytes = g.group + (g.asym ? 4 : 2);
  float acc = 0;
  for (int64_t b = 0; b < blocks; b += sub, w += bytes) {
    const uint8_t *q = w + (g.asym ? 4 : 2);
    float gacc = 0, gsum = 0;
    for (int64_t s = 0; s < sub; ++s) {
      const ActBlock &xb = x[b + s];
      int dot = g.asym
                    ? dotU8(q + 32 * s, xb.q)
                    : dotS8(reinterpret_cast<const int8_t *>(q) + 32 * s, xb.q);
      gacc += xb.d * dot;
      gsum += xb.s;
    }
    acc += loadHalf(w) * gacc;
    if (g.asym)
      acc += loadHalf(w + 2) * gsum;
  }
  return acc;
}

static float dotInt4Scalar(const uint8_t *w, const ActBlock *x, int64_t blocks,
                           const GroupedInt &g) {
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

static float dotMXINT8Scalar(const uint8_t *w, const ActBlock *x,
                             int64_t blocks, const GroupedInt &) {
  float acc = 0;
  for (int64_t b = 0; b < blocks; ++b, w += 33)
    acc += e8m0Fast(w[0]) * (1.0f / 64.0f) * x[b].d *
           dotS8(reinterpret_cast<const int8_t *>(w + 1), x[b].q);
  return acc;
}

static float dotMXFP4Scalar(const uint8_t *w, const ActBlock *x, int64_t blocks,
                            const GroupedInt &) {
  float acc = 0;
  int8_t values[32];
  for (int64_t b = 0; b < blocks; ++b, w += 17) {
    for (int j = 0; j < 16; ++j) {
      values[j] = kE2M1Doubled[w[1 + j] & 0xF];
      values[j + 16] = kE2M1Doubled[w[1 + j] >> 4];
    }
    acc += e8m0Fast(w[0]) * 0.5f * x[b].d * dotS8(values, x[b].q);
  }
  return acc;
}

static void fp8RowScalar(const uint8_t *w, int64_t n, float *out) {
  const float *lut = e4m3Table();
  for (int64_t b = 0; b < n / 32; ++b, w += 34, out += 32) {
    float d = loadHalf(w);
    for (int j = 0; j < 32; ++j)
      out[j] = d * lut[w[2 + j]];
  }
}

static float fp8DotScalar(const uint8_t *w, const float *x, int64_t n) {
  const float *lut = e4m3Table();
  float acc = 0;
  for (int64_t b = 0; b < n / 32; ++b, w += 34, x += 32) {
    float part = 0;
    for (int j = 0; j < 32; ++j)
      part += lut[w[2 + j]] * x[j];
    acc += loadHalf(w) * part;
  }
  return acc;
}

static float dotFloatScalar(const float *a, const float *b, int64_t n) {
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

static const FormatKernels kScalarFormats = {
    dotInt8Scalar, dotInt4Scalar, dotMXINT8Scalar, dotMXFP4Scalar,
    fp8RowScalar,  fp8DotScalar,  dotFloatScalar};

#if defined(__x86_64__) && defined(__GNUC__)
// AVX2 kernels, ggml's way: int8 x int8 products through
// maddubs(|a|, sign(b, a)), u8 x s8 ones directly (codes <= 15, no
// saturation), one float FMA per block of 32.
#include <immintrin.h>
#define TT_AVX2 __attribute__((target("avx2,fma,f16c")))

TT_AVX2 static inline float halfF16C(const uint8_t *p) {
  uint16_t h;
  std::memcpy(&h, p, 2);
  return _cvtsh_ss(h);
}

TT_AVX2 static inline __m256i dotS8x32(__m256i a, __m256i b) {
  __m256i p =
      _mm256_maddubs_epi16(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a));
  return _mm256_madd_epi16(p, _mm256_set1_epi16(1));
}

TT_AVX2 static inline __m256i dotU8x32(__m256i u, __m256i b) {
  return _mm256_madd_epi16(_mm256_maddubs_epi16(u, b), _mm256_set1_epi16(1));
}

/// The 32 nibbles of 16 bytes in element order (Q4_0's), as bytes.
TT_AVX2 static inline __m256i nibbles32(const uint8_t *p) {
  __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
  __m256i both = _mm256_set_m128i(_mm_srli_epi16(b, 4), b);
  return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

TT_AVX2 static inline __m256i loadQ(const void *p) {
  return _mm256_loadu_si256(static_cast<const __m256i *>(p));
}

TT_AVX2 static inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

TT_AVX2 static float dotInt8AVX2(const uint8_t *w, const ActBlock *x,
                                 int64_t blocks, const GroupedInt &g) {
  int64_t sub = g.group / 32;
  int64_t bytes = g.group + (g.asym ? 4 : 2);
  __m256 acc = _mm256_setzero_ps();
  float extra = 0;
  const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80));
  for (int64_t b = 0; b < blocks; b += sub, w += bytes) {
    const uint8_t *q = w + (g.asym ? 4 : 2);
    float d = halfF16C(w), gsum = 0;
    for (int64_t s = 0; s < sub; ++s) {
      const ActBlock &xb = x[b + s];
      __m256i wq = loadQ(q + 32 * s);
      // Asymmetric codes are u8: q - 128 as s8, the 128 added back below.
      if (g.asym)
        wq = _mm256_xor_si256(wq, flip);
      __m256i dot = dotS8x32(wq, loadQ(xb.q));
      acc = _mm256_fmadd_ps(_mm256_set1_ps(d * xb.d), _mm256_cvtepi32_ps(dot),
                            acc);
      gsum += xb.s;
    }
    if (g.asym)
      extra += (128.0f * d + halfF16C(w + 2)) * gsum;
  }
  return hsum(acc) + extra;
}

TT_AVX2 static float dotInt4AVX2(const uint8_t *w, const ActBlock *x,
                                 int64_t blocks, const GroupedInt &g) {
  int64_t sub = g.group / 32;
  int64_t bytes = g.group / 2 + (g.asym ? 4 : 2);
  __m256 acc = _mm256_setzero_ps();
  float extra = 0;
  for (int64_t b = 0; b < blocks; b += sub, w += bytes) {
    const uint8_t *q = w + (g.asym ? 4 : 2);
    float d = halfF16C(w), gsum = 0;
    for (int64_t s = 0; s < sub; ++s) {
      const ActBlock &xb = x[b + s];
      __m256i dot = dotU8x32(nibbles32(q + 16 * s), loadQ(xb.q));
      acc = _mm256_fmadd_ps(_mm256_set1_ps(d * xb.d), _mm256_cvtepi32_ps(dot),
                            acc);
      gsum += xb.s;
    }
    // Symmetric codes are offset by 8; asymmetric ones have a minimum.
    extra += (g.asym ? halfF16C(w + 2) : -8.0f * d) * gsum;
  }
  return hsum(acc) + extra;
}

TT_AVX2 static float dotMXINT8AVX2(const uint8_t *w, const ActBlock *x,
                                   int64_t blocks, const GroupedInt &) {
  __m256 acc = _mm256_setzero_ps();
  for (int64_t b = 0; b < blocks; ++b, w += 33) {
    __m256i dot = dotS8x32(loadQ(w + 1), loadQ(x[b].q));
    float scale = e8m0Fast(w[0]) * (1.0f / 64.0f) * x[b].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(dot), acc);
  }
  return hsum(acc);
}

TT_AVX2 static float dotMXFP4AVX2(const uint8_t *w, const ActBlock *x,
                                  int64_t blocks, const GroupedInt &) {
  const __m256i lut = _mm256_broadcastsi128_si256(
      _mm_loadu_si128(reinterpret_cast<const __m128i *>(kE2M1Doubled)));
  __m256 acc = _mm256_setzero_ps();
  for (int64_t b = 0; b < blocks; ++b, w += 17) {
    __m256i values = _mm256_shuffle_epi8(lut, nibbles32(w + 1));
    __m256i dot = dotS8x32(values, loadQ(x[b].q));
    float scale = e8m0Fast(w[0]) * 0.5f * x[b].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(dot), acc);
  }
  return hsum(acc);
}

// E4M3 bits moved into an f16's places (sign to bit 15, exponent and
// mantissa to bits 7..14) read 2^-8 times the E4M3 value, subnormals
// included (both biases differ by 8); the block scale takes the 2^8.
TT_AVX2 static void fp8RowAVX2(const uint8_t *w, int64_t n, float *out) {
  const __m256i lo7 = _mm256_set1_epi16(0x7f), sign = _mm256_set1_epi16(0x80);
  for (int64_t b = 0; b < n / 32; ++b, w += 34, out += 32) {
    __m256 d = _mm256_set1_ps(halfF16C(w) * 256.0f);
    for (int h = 0; h < 2; ++h) {
      __m256i q = _mm256_cvtepu8_epi16(
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(w + 2 + 16 * h)));
      __m256i f16 =
          _mm256_or_si256(_mm256_slli_epi16(_mm256_and_si256(q, sign), 8),
                          _mm256_slli_epi16(_mm256_and_si256(q, lo7), 7));
      __m128i lo = _mm256_castsi256_si128(f16);
      __m128i hi = _mm256_extracti128_si256(f16, 1);
      _mm256_storeu_ps(out + 16 * h, _mm256_mul_ps(d, _mm256_cvtph_ps(lo)));
      _mm256_storeu_ps(out + 16 * h + 8, _mm256_mul_ps(d, _mm256_cvtph_ps(hi)));
    }
  }
}

/// One row of FP8 weights times one f32 activation row, decoded in
/// registers (decode, M = 1).
TT_AVX2 static float fp8DotAVX2(const uint8_t *w, const float *x, int64_t n) {
  const __m256i lo7 = _mm256_set1_epi16(0x7f), sign = _mm256_set1_epi16(0x80);
  __m256 acc = _mm256_setzero_ps();
  for (int64_t b = 0; b < n / 32; ++b, w += 34, x += 32) {
    __m256 part = _mm256_setzero_ps();
    for (int h = 0; h < 2; ++h) {
      __m256i q = _mm256_cvtepu8_epi16(
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(w + 2 + 16 * h)));
      __m256i f16 =
          _mm256_or_si256(_mm256_slli_epi16(_mm256_and_si256(q, sign), 8),
                          _mm256_slli_epi16(_mm256_and_si256(q, lo7), 7));
      part = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm256_castsi256_si128(f16)),
                             _mm256_loadu_ps(x + 16 * h), part);
      part = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm256_extracti128_si256(f16, 1)),
                             _mm256_loadu_ps(x + 16 * h + 8), part);
    }
    acc = _mm256_fmadd_ps(_mm256_set1_ps(halfF16C(w) * 256.0f), part, acc);
  }
  return hsum(acc);
}

TT_AVX2 static float dotFloatAVX2(const float *a, const float *b, int64_t n) {
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    acc0 =
        _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8),
                           _mm256_loadu_ps(b + i + 8), acc1);
  }
  float sum = hsum(_mm256_add_ps(acc0, acc1));
  for (; i < n; ++i)
    sum += a[i] * b[i];
  return sum;
}

static const FormatKernels kAVX2Formats = {
    dotInt8AVX2, dotInt4AVX2, dotMXINT8AVX2, dotMXFP4AVX2,
    fp8RowAVX2,  fp8DotAVX2,  dotFloatAVX2};
#endif

/// The AVX2 kernels when the runtime chose AVX2 or better (TT_RT_ISA and
/// setKernelISA included), else the scalar ones.
static const FormatKernels &formatKernels() {
#if defined(__x86_64__) && defined(__GNUC__)
  if (std::strcmp(kernelISA(), "scalar") != 0)
    return kAVX2Formats;
#endif
  return kScalarFormats;
}

/// Weight rows per parallel chunk; each row is used by every activation row
/// while it is in cache.
constexpr int64_t kRowChunk = 4;

void tt::rt::matmulFormat(const void *w, int32_t wtype, int64_t N, int64_t K,
                          const float *x, int64_t M, float *y,
                          const float *bias) {
  const auto *wb = static_cast<const uint8_t *>(w);
  int64_t rowBytes = ttrt_row_bytes(wtype, K);
  const FormatKernels &kernels = formatKernels();
  if (wtype == TTRT_TYPE_FP8_E4M3 && M == 1) {
    parallelFor(N, kRowChunk, [&](int64_t n0, int64_t n1) {
      for (int64_t n = n0; n < n1; ++n)
        y[n] = kernels.fp8Dot(wb + n * rowBytes, x, K) + (bias ? bias[n] : 0);
    });
    return;
  }
  if (wtype == TTRT_TYPE_FP8_E4M3) {
    // Prefill: each row decoded once for all activation rows.
    parallelFor(N, kRowChunk, [&](int64_t n0, int64_t n1) {
      std::vector<float> row(K);
      for (int64_t n = n0; n < n1; ++n) {
        kernels.fp8Row(wb + n * rowBytes, K, row.data());
        float b = bias ? bias[n] : 0.0f;
        for (int64_t m = 0; m < M; ++m)
          y[m * N + n] = kernels.dot(row.data(), x + m * K, K) + b;
      }
    });
    return;
  }
  GroupedInt g{8, 32, false};
  RowDot dot = nullptr;
  if (decodeGroupedInt(wtype, g))
    dot = g.bits == 8 ? kernels.int8 : kernels.int4;
  else if (wtype == TTRT_TYPE_MXINT8)
    dot = kernels.mxint8;
  else if (wtype == TTRT_TYPE_MXFP4)
    dot = kernels.mxfp4;
  else
    fatal("matmul: %s (type id %d) is not one of tt's formats", typeName(wtype),
          wtype);
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
        y[m * N + n] =
            dot(wb + n * rowBytes, xq.data() + m * blocks, blocks, g) + b;
    }
  });
}
