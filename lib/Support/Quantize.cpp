//===- Quantize.cpp - Reference encoders of weight storage formats --------===//

#include "tt/Support/Quantize.h"
#include "tt/Runtime/Kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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

} // namespace tt
