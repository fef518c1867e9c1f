//===- Quantize.cpp - Reference encoders of weight storage formats --------===//

#include "tt/Support/Quantize.h"
#include "tt/Runtime/Formats.h"
#include "tt/Runtime/Kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace tt {

void quantizeQ8_0(const float *x, size_t n, void *out) {
  auto *o = static_cast<uint8_t *>(out);
  for (size_t b = 0; b < n / 32; ++b, x += 32, o += kQ8_0BlockBytes) {
    float amax = 0;
    for (int j = 0; j < 32; ++j)
      amax = std::max(amax, std::fabs(x[j]));
    float d = amax / 127.0f;
    float id = d ? 1.0f / d : 0.0f;
    uint16_t dh = rt::floatToHalf(d);
    std::memcpy(o, &dh, 2);
    for (int j = 0; j < 32; ++j)
      o[2 + j] = (uint8_t)(int8_t)std::roundf(x[j] * id);
  }
}

void quantizeQ4_0(const float *x, size_t n, void *out) {
  auto *o = static_cast<uint8_t *>(out);
  for (size_t b = 0; b < n / 32; ++b, x += 32, o += kQ4_0BlockBytes) {
    float amax = 0, max = 0;
    for (int j = 0; j < 32; ++j)
      if (amax < std::fabs(x[j])) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    float d = max / -8.0f;
    float id = d ? 1.0f / d : 0.0f;
    uint16_t dh = rt::floatToHalf(d);
    std::memcpy(o, &dh, 2);
    for (int j = 0; j < 16; ++j) {
      uint8_t q0 = std::min<int8_t>(15, (int8_t)(x[j] * id + 8.5f));
      uint8_t q1 = std::min<int8_t>(15, (int8_t)(x[16 + j] * id + 8.5f));
      o[2 + j] = q0 | (q1 << 4);
    }
  }
}

static void storeHalf(uint8_t *p, float f) {
  uint16_t h = rt::floatToHalf(f);
  std::memcpy(p, &h, 2);
}

static float roundHalf(float f) { return rt::halfToFloat(rt::floatToHalf(f)); }

// ggml_e8m0_to_fp32_half: 2^(e-128), with ggml's handling of e < 2.
static float e8m0Half(uint8_t e) {
  uint32_t bits = e < 2 ? 0x00200000u << e : static_cast<uint32_t>(e - 1) << 23;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

static uint8_t nearestE2M1(float x, float d) {
  int best = 0;
  float bestErr = std::fabs(rt::kE2M1Doubled[0] * d - x);
  for (int i = 1; i < 16; ++i) {
    float err = std::fabs(rt::kE2M1Doubled[i] * d - x);
    if (err < bestErr) {
      best = i;
      bestErr = err;
    }
  }
  return static_cast<uint8_t>(best);
}

void quantizeMXFP4(const float *x, size_t n, void *out) {
  auto *o = static_cast<uint8_t *>(out);
  for (size_t b = 0; b < n / 32; ++b, x += 32, o += 17) {
    float amax = 0;
    for (int j = 0; j < 32; ++j)
      if (amax < std::fabs(x[j]))
        amax = std::fabs(x[j]);
    // ggml casts this float to uint8_t; below 2^-125 that would be
    // undefined, so such blocks get the smallest scale.
    float ev = amax > 0 ? std::floor(std::log2(amax)) - 2 + 127 : 0;
    uint8_t e = ev > 0 ? static_cast<uint8_t>(ev) : 0;
    float d = e8m0Half(e);
    o[0] = e;
    for (int j = 0; j < 16; ++j)
      o[1 + j] = nearestE2M1(x[j], d) | (nearestE2M1(x[16 + j], d) << 4);
  }
}

void quantizeMXINT8(const float *x, size_t n, void *out) {
  auto *o = static_cast<uint8_t *>(out);
  for (size_t b = 0; b < n / 32; ++b, x += 32, o += 33) {
    float amax = 0;
    for (int j = 0; j < 32; ++j)
      amax = std::max(amax, std::fabs(x[j]));
    // The largest element's exponent becomes the shared scale (OCP MX:
    // emax of INT8's 1.6 fixed point is 0); E8M0 spans 2^-127 .. 2^127.
    int e = amax > 0 ? static_cast<int>(std::floor(std::log2(amax))) + 127 : 0;
    e = std::clamp(e, 0, 254);
    o[0] = static_cast<uint8_t>(e);
    float inv = 64.0f / rt::e8m0ToFloat(static_cast<uint8_t>(e));
    for (int j = 0; j < 32; ++j) {
      float q = std::nearbyint(x[j] * inv);
      o[1 + j] = static_cast<uint8_t>(
          static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f)));
    }
  }
}

uint8_t floatToE4M3(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint8_t sign = static_cast<uint8_t>((x >> 24) & 0x80);
  float a = std::fabs(f);
  if (std::isnan(f))
    return sign | 0x7f;
  if (a >= 448.0f)
    return sign | 0x7e;
  if (a < 0.015625f) // below 2^-6: subnormal, steps of 2^-9
    return sign | static_cast<uint8_t>(std::nearbyint(a * 512.0f));
  uint32_t ax;
  std::memcpy(&ax, &a, 4);
  ax += 0x7ffff + ((ax >> 20) & 1); // round 23 mantissa bits to 3, ties even
  int exp = static_cast<int>((ax >> 23) & 0xff) - 127 + 7;
  int man = (ax >> 20) & 7;
  if (exp > 15 || (exp == 15 && man == 7))
    return sign | 0x7e;
  return sign | static_cast<uint8_t>((exp << 3) | man);
}

void quantizeFP8E4M3(const float *x, size_t n, void *out) {
  auto *o = static_cast<uint8_t *>(out);
  for (size_t b = 0; b < n / 32; ++b, x += 32, o += 34) {
    float amax = 0;
    for (int j = 0; j < 32; ++j)
      amax = std::max(amax, std::fabs(x[j]));
    float d = roundHalf(amax / 448.0f);
    storeHalf(o, d);
    float id = d ? 1.0f / d : 0.0f;
    for (int j = 0; j < 32; ++j)
      o[2 + j] = floatToE4M3(x[j] * id);
  }
}

void quantizeGroupedInt(const float *x, size_t n, int bits, size_t group,
                        bool asym, void *out) {
  auto *o = static_cast<uint8_t *>(out);
  size_t codeBytes = bits == 8 ? group : group / 2;
  int levels = bits == 8 ? 255 : 15;
  std::vector<uint8_t> codes(group);
  for (size_t b = 0; b < n / group; ++b, x += group) {
    float lo = x[0], hi = x[0], amax = 0;
    for (size_t j = 0; j < group; ++j) {
      lo = std::min(lo, x[j]);
      hi = std::max(hi, x[j]);
      amax = std::max(amax, std::fabs(x[j]));
    }
    if (asym) {
      float d = roundHalf((hi - lo) / levels), m = roundHalf(lo);
      float id = d ? 1.0f / d : 0.0f;
      storeHalf(o, d);
      storeHalf(o + 2, m);
      for (size_t j = 0; j < group; ++j)
        codes[j] = static_cast<uint8_t>(std::clamp(
            std::nearbyint((x[j] - m) * id), 0.0f, static_cast<float>(levels)));
      o += 4;
    } else {
      int qmax = bits == 8 ? 127 : 7;
      float d = roundHalf(amax / qmax);
      float id = d ? 1.0f / d : 0.0f;
      storeHalf(o, d);
      for (size_t j = 0; j < group; ++j) {
        float q =
            std::clamp(std::nearbyint(x[j] * id), -1.0f * qmax, 1.0f * qmax);
        // int8 codes are two's complement; int4 codes are offset by 8.
        codes[j] = bits == 8 ? static_cast<uint8_t>(static_cast<int8_t>(q))
                             : static_cast<uint8_t>(q + 8);
      }
      o += 2;
    }
    if (bits == 8) {
      std::memcpy(o, codes.data(), group);
    } else {
      for (size_t s = 0; s < group / 32; ++s)
        for (int j = 0; j < 16; ++j)
          o[16 * s + j] = codes[32 * s + j] | (codes[32 * s + 16 + j] << 4);
    }
    o += codeBytes;
  }
}

bool quantizeRow(int32_t type, const float *x, size_t n, void *out) {
  rt::GroupedInt g;
  if (rt::decodeGroupedInt(type, g)) {
    quantizeGroupedInt(x, n, g.bits, g.group, g.asym, out);
    return true;
  }
  switch (type) {
  case TTRT_TYPE_Q8_0:
    quantizeQ8_0(x, n, out);
    return true;
  case TTRT_TYPE_Q4_0:
    quantizeQ4_0(x, n, out);
    return true;
  case TTRT_TYPE_MXFP4:
    quantizeMXFP4(x, n, out);
    return true;
  case TTRT_TYPE_MXINT8:
    quantizeMXINT8(x, n, out);
    return true;
  case TTRT_TYPE_FP8_E4M3:
    quantizeFP8E4M3(x, n, out);
    return true;
  default:
    return false;
  }
}

} // namespace tt
