//===- QuantizeTest.cpp - f16/bf16 conversion and Q8_0/Q4_0 encoders -----===//

#include "tt/Runtime/Kernels.h"
#include "tt/Support/Quantize.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace tt;
using tt::rt::floatToBF16;
using tt::rt::floatToHalf;
using tt::rt::halfToFloat;

TEST(Quantize, HalfKnownValues) {
  EXPECT_EQ(floatToHalf(0.0f), 0x0000);
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);   // largest finite
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);   // rounds to infinity
  EXPECT_EQ(floatToHalf(5.960464477539063e-08f), 0x0001); // smallest subnormal
  EXPECT_EQ(floatToHalf(std::numeric_limits<float>::infinity()), 0x7c00);
  // 1 + 2^-11 is halfway between 1 and the next half: ties to even (1).
  EXPECT_EQ(floatToHalf(1.0f + 1.0f / 2048), 0x3c00);
  EXPECT_EQ(floatToHalf(1.0f + 3.0f / 2048), 0x3c02);
  EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(NAN))));
}

TEST(Quantize, HalfRoundTripsEveryHalf) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff))
      continue; // NaNs
    EXPECT_EQ(floatToHalf(halfToFloat(h)), h) << std::hex << h;
  }
}

TEST(Quantize, BF16) {
  EXPECT_EQ(floatToBF16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBF16(-1.5f), 0xbfc0);
  // 1 + 2^-8 is halfway between bf16 1 and its successor: ties to even.
  EXPECT_EQ(floatToBF16(1.0f + 1.0f / 256), 0x3f80);
  EXPECT_EQ(floatToBF16(1.0f + 3.0f / 256), 0x3f82);
}

TEST(Quantize, Q8_0Block) {
  float x[32];
  for (int i = 0; i < 32; ++i)
    x[i] = (i - 16) * 0.25f; // max |x| = 4 at i = 0
  uint8_t b[kQ8_0BlockBytes];
  quantizeQ8_0(x, 32, b);
  uint16_t d;
  std::memcpy(&d, b, 2);
  EXPECT_EQ(d, floatToHalf(4.0f / 127));
  EXPECT_EQ((int8_t)b[2 + 0], -127);
  EXPECT_EQ((int8_t)b[2 + 16], 0);
  EXPECT_EQ((int8_t)b[2 + 17], 8); // 0.25 * 127 / 4 = 7.94 -> 8
  for (int i = 0; i < 32; ++i)
    EXPECT_NEAR(halfToFloat(d) * (int8_t)b[2 + i], x[i], 4.0f / 127);
}

TEST(Quantize, Q4_0Block) {
  float x[32];
  for (int i = 0; i < 32; ++i)
    x[i] = (i % 2 ? 1 : -1) * (float)i / 31; // the signed max is +1 at i = 31
  uint8_t b[kQ4_0BlockBytes];
  quantizeQ4_0(x, 32, b);
  uint16_t dh;
  std::memcpy(&dh, b, 2);
  float d = halfToFloat(dh);
  EXPECT_EQ(dh, floatToHalf(-1.0f / 8)); // d = max / -8
  auto q = [&](int j) { return j < 16 ? b[2 + j] & 15 : b[2 + j - 16] >> 4; };
  EXPECT_EQ(q(31), 0);  // +1 / d = -8 -> 0
  EXPECT_EQ(q(0), 8);   // 0 -> 8
  // Codes 0..15 give d * (q - 8) in [-7|d|, 8|d|] for d < 0: values
  // beyond -7|d| clamp to code 15, within |d| of the value here.
  for (int i = 0; i < 32; ++i)
    EXPECT_NEAR(d * (q(i) - 8), x[i], std::fabs(x[i]) > 7 * std::fabs(d)
                                          ? std::fabs(d)
                                          : std::fabs(d) / 2 + 1e-6f)
        << i;
  // A zero block has d = 0 and every nibble 8.
  float z[32] = {};
  quantizeQ4_0(z, 32, b);
  EXPECT_EQ((b[0] | b[1] << 8) & 0x7fff, 0); // d = -0 (max / -8), as in ggml
  for (int j = 0; j < 16; ++j)
    EXPECT_EQ(b[2 + j], 0x88);
}
