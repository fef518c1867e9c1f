//===- Quantize.cpp - Reference encoders of weight storage formats --------===//

#include "tt/Support/Quantize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tt {

uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  uint32_t exp = (x >> 23) & 0xff;
  uint32_t mant = x & 0x7fffff;
  if (exp == 0xff) // inf / nan
    return sign | 0x7c00 | (mant ? 0x200 : 0);
  int32_t e = (int32_t)exp - 127 + 15;
  if (e >= 0x1f)
    return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10)
      return sign;
    // Subnormal: shift the mantissa (with its implicit 1) into place.
    mant |= 0x800000;
    uint32_t shift = 14 - e;
    uint32_t half = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1)))
      ++half;
    return sign | half;
  }
  uint32_t half = sign | (e << 10) | (mant >> 13);
  uint32_t rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (half & 1)))
    ++half; // may carry into the exponent, which is right
  return half;
}

float halfToFloat(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t x;
  if (exp == 0) {
    if (!mant) {
      x = sign;
    } else {
      float f = std::ldexp((float)mant, -24);
      return sign ? -f : f;
    }
  } else if (exp == 0x1f) {
    x = sign | 0x7f800000 | (mant << 13);
  } else {
    x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

uint16_t floatToBF16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffff) > 0x7f800000)
    return (x >> 16) | 0x40;
  x += 0x7fff + ((x >> 16) & 1);
  return x >> 16;
}

void quantizeQ8_0(const float *x, size_t n, void *out) {
  auto *o = static_cast<uint8_t *>(out);
  for (size_t b = 0; b < n / 32; ++b, x += 32, o += kQ8_0BlockBytes) {
    float amax = 0;
    for (int j = 0; j < 32; ++j)
      amax = std::max(amax, std::fabs(x[j]));
    float d = amax / 127.0f;
    float id = d ? 1.0f / d : 0.0f;
    uint16_t dh = floatToHalf(d);
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
    uint16_t dh = floatToHalf(d);
    std::memcpy(o, &dh, 2);
    for (int j = 0; j < 16; ++j) {
      uint8_t q0 = std::min<int8_t>(15, (int8_t)(x[j] * id + 8.5f));
      uint8_t q1 = std::min<int8_t>(15, (int8_t)(x[16 + j] * id + 8.5f));
      o[2 + j] = q0 | (q1 << 4);
    }
  }
}

} // namespace tt
