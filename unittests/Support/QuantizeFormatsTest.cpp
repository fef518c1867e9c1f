//===- QuantizeFormatsTest.cpp - tt-quantize's storage formats ------------===//
//
// The encoders of lib/Support/Quantize.cpp against known blocks (MXFP4:
// bytes ggml's reference quantiser wrote) and round-trip error bounds through
// the runtime's decoders, and the runtime's matmul for each format against a
// float product of the decoded weights, and the bind-time conversion
// (ConvertWeight) to each format.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/ConvertWeight.h"
#include "tt/Runtime/Formats.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Support/Quantize.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace tt;
using tt::rt::floatToHalf;
using tt::rt::halfToFloat;

namespace {

std::vector<float> randomRow(size_t n, unsigned seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> x(n);
  for (float &v : x)
    v = dist(rng);
  return x;
}

std::vector<uint8_t> encode(int32_t type, const std::vector<float> &x) {
  std::vector<uint8_t> out(ttrt_row_bytes(type, x.size()));
  EXPECT_TRUE(quantizeRow(type, x.data(), x.size(), out.data()))
      << rt::typeName(type);
  return out;
}

std::vector<float> decode(int32_t type, const std::vector<uint8_t> &q,
                          size_t n) {
  std::vector<float> y(n);
  rt::dequantizeRow(type, q.data(), n, y.data());
  return y;
}

/// Every format tt-quantize writes, as runtime type ids.
std::vector<int32_t> allFormats() {
  std::vector<int32_t> types = {TTRT_TYPE_Q8_0, TTRT_TYPE_Q4_0,
                                TTRT_TYPE_MXINT8, TTRT_TYPE_MXFP4,
                                TTRT_TYPE_FP8_E4M3};
  for (int bits : {8, 4})
    for (int64_t group : {32, 128})
      for (bool asym : {false, true})
        types.push_back(rt::groupedIntType(bits, group, asym));
  return types;
}

} // namespace

TEST(QuantizeFormats, TypeIdsAndNames) {
  EXPECT_EQ(rt::groupedIntType(4, 128, true),
            TTRT_TYPE_INT_GROUPED + 64 + 32 + 7);
  EXPECT_EQ(rt::groupedIntType(4, 48, false), -1);
  EXPECT_EQ(rt::groupedIntType(2, 64, false), -1);
  EXPECT_EQ(rt::groupedIntType(8, 8192, false), -1);
  EXPECT_STREQ(rt::typeName(rt::groupedIntType(4, 128, true)),
               "int4_g128_asym");
  EXPECT_STREQ(rt::typeName(rt::groupedIntType(8, 32, false)), "int8_g32");
  EXPECT_STREQ(rt::typeName(TTRT_TYPE_MXFP4), "mxfp4");
  EXPECT_STREQ(rt::typeName(TTRT_TYPE_MXINT8), "mxint8");
  EXPECT_STREQ(rt::typeName(TTRT_TYPE_FP8_E4M3), "fp8_e4m3");
  // Bytes per row: scales and codes.
  EXPECT_EQ(ttrt_row_bytes(rt::groupedIntType(8, 128, false), 256), 2 * 130);
  EXPECT_EQ(ttrt_row_bytes(rt::groupedIntType(8, 128, true), 256), 2 * 132);
  EXPECT_EQ(ttrt_row_bytes(rt::groupedIntType(4, 64, false), 256), 4 * 34);
  EXPECT_EQ(ttrt_row_bytes(rt::groupedIntType(4, 64, true), 256), 4 * 36);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_MXINT8, 64), 66);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_MXFP4, 64), 34);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_FP8_E4M3, 64), 68);
  // Not a whole number of groups.
  EXPECT_EQ(ttrt_row_bytes(rt::groupedIntType(4, 64, false), 96), 0);
  for (int32_t type : allFormats())
    EXPECT_TRUE(ttrt_type_supported(type)) << type;
}

// Golden blocks of ggml's quantize_row_mxfp4_ref (as published with
// candle's MXFP4 tests, which generated them with the C reference).
TEST(QuantizeFormats, MXFP4MatchesGGMLReference) {
  const float in0[32] = {
      -0.835388184f, -0.960388184f, -1.0680542f,   -0.445983887f, -1.15429688f,
      -1.93328857f,  -1.16522217f,  -0.382568359f, -0.77532959f,  -0.570251465f,
      -1.63549805f,  -0.967651367f, -0.876098633f, -1.50268555f,  -0.160827637f,
      -1.77832031f,  -0.683288574f, -1.34307861f,  -1.62945557f,  -0.65802002f,
      -0.162536621f, -1.73706055f,  -1.17883301f,  -0.301757812f, -1.18078613f,
      -1.93463135f,  -0.867736816f, -0.392028809f, -1.70367432f,  -0.194030762f,
      -1.03997803f,  -1.09802246f};
  const uint8_t out0[17] = {0x7d, 0xdd, 0xfe, 0xfe, 0xdc, 0x9e,
                            0xff, 0xee, 0xab, 0xed, 0xfc, 0xdf,
                            0xbe, 0xfe, 0xaf, 0xe9, 0xef};
  const float in1[32] = {
      0.194091797f,  -0.401489258f,  -0.336669922f, 0.383911133f,
      0.985534668f,  -0.794616699f,  0.955200195f,  0.940307617f,
      -0.512634277f, -0.33392334f,   -0.315612793f, 0.548034668f,
      0.80847168f,   0.579223633f,   -0.954284668f, -0.98034668f,
      -0.134216309f, 0.443725586f,   0.168823242f,  -0.544677734f,
      -0.984619141f, 0.12713623f,    -0.690002441f, 0.810180664f,
      0.102355957f,  -0.107421875f,  0.931091309f,  0.11529541f,
      0.615844727f,  -0.0777587891f, -0.147155762f, -0.212036133f};
  const uint8_t out1[17] = {0x7c, 0xa3, 0x6d, 0x3d, 0xe5, 0xf7,
                            0x2f, 0xf7, 0x77, 0x2e, 0xad, 0x7d,
                            0x26, 0x67, 0x96, 0xaf, 0xbf};
  uint8_t got[17];
  quantizeMXFP4(in0, 32, got);
  EXPECT_EQ(0, std::memcmp(got, out0, 17));
  quantizeMXFP4(in1, 32, got);
  EXPECT_EQ(0, std::memcmp(got, out1, 17));
  // Decoding: e = 0x7c is 2^-3, code 0x3 of element 0 is 1.5 (doubled 3).
  float y[32];
  rt::dequantizeRow(TTRT_TYPE_MXFP4, out1, 32, y);
  EXPECT_EQ(y[0], 0.125f * 1.5f);
  EXPECT_EQ(y[16], -0.125f * 1.0f); // high nibble of 0xa3: code 10, -1
  EXPECT_EQ(y[31], -0.125f * 1.5f); // high nibble of 0xbf: code 11, -1.5
}

TEST(QuantizeFormats, E4M3KnownCodes) {
  EXPECT_EQ(floatToE4M3(0.0f), 0x00);
  EXPECT_EQ(floatToE4M3(1.0f), 0x38);
  EXPECT_EQ(floatToE4M3(-2.0f), 0xc0);
  EXPECT_EQ(floatToE4M3(448.0f), 0x7e);
  EXPECT_EQ(floatToE4M3(1000.0f), 0x7e);      // saturates
  EXPECT_EQ(floatToE4M3(0.001953125f), 0x01); // 2^-9, smallest subnormal
  EXPECT_EQ(floatToE4M3(0.015625f), 0x08);    // 2^-6, smallest normal
  // 1.0625 is halfway between 1 and 1.125: ties to even (1).
  EXPECT_EQ(floatToE4M3(1.0625f), 0x38);
  EXPECT_EQ(floatToE4M3(1.1875f), 0x3a); // halfway 1.125/1.25 -> 1.25
  EXPECT_EQ(floatToE4M3(NAN) & 0x7f, 0x7f);
  // Every code decodes and encodes back.
  for (int q = 0; q < 256; ++q) {
    if ((q & 0x7f) == 0x7f)
      continue;
    EXPECT_EQ(floatToE4M3(rt::fp8E4M3ToFloat(q)), q) << q;
  }
}

TEST(QuantizeFormats, KnownBlocks) {
  // int8, symmetric, group 32: d = amax / 127.
  std::vector<float> x(32);
  for (int i = 0; i < 32; ++i)
    x[i] = (i - 16) * 0.5f; // amax 8 at i = 0
  int32_t i8 = rt::groupedIntType(8, 32, false);
  std::vector<uint8_t> b = encode(i8, x);
  uint16_t d;
  std::memcpy(&d, b.data(), 2);
  EXPECT_EQ(d, floatToHalf(8.0f / 127));
  EXPECT_EQ(static_cast<int8_t>(b[2]), -127);
  EXPECT_EQ(static_cast<int8_t>(b[2 + 16]), 0);

  // int4, asymmetric: m = min, d = (max - min) / 15, codes 0 and 15 at the
  // ends.
  for (int i = 0; i < 32; ++i)
    x[i] = 1.0f + i * 0.5f; // 1 .. 16.5
  int32_t i4a = rt::groupedIntType(4, 32, true);
  b = encode(i4a, x);
  uint16_t m;
  std::memcpy(&d, b.data(), 2);
  std::memcpy(&m, b.data() + 2, 2);
  EXPECT_EQ(d, floatToHalf(15.5f / 15));
  EXPECT_EQ(m, floatToHalf(1.0f));
  EXPECT_EQ(b[4] & 0xF, 0);      // element 0: the minimum
  EXPECT_EQ(b[4 + 15] >> 4, 15); // element 31: the maximum

  // int4, symmetric: codes are q + 8, q in [-7, 7].
  for (int i = 0; i < 32; ++i)
    x[i] = i == 5 ? -7.0f : 0.0f;
  int32_t i4 = rt::groupedIntType(4, 32, false);
  b = encode(i4, x);
  std::memcpy(&d, b.data(), 2);
  EXPECT_EQ(d, floatToHalf(1.0f));
  EXPECT_EQ(b[2 + 5] & 0xF, 1);
  EXPECT_EQ(b[2 + 0], 0x88);

  // MXINT8: amax 3 -> e = floor(log2 3) + 127 = 128, q = 64 x / 2.
  for (int i = 0; i < 32; ++i)
    x[i] = i == 0 ? 3.0f : i * 0.01f;
  b = encode(TTRT_TYPE_MXINT8, x);
  EXPECT_EQ(b[0], 128);
  EXPECT_EQ(static_cast<int8_t>(b[1]), 96);
  EXPECT_EQ(static_cast<int8_t>(b[2]), 0);       // 0.32 rounds to 0
  EXPECT_EQ(static_cast<int8_t>(b[1 + 31]), 10); // 9.92 -> 10

  // FP8: d = amax / 448, the largest value is code 0x7e.
  for (int i = 0; i < 32; ++i)
    x[i] = i == 7 ? -4.48f : 0.0f;
  b = encode(TTRT_TYPE_FP8_E4M3, x);
  std::memcpy(&d, b.data(), 2);
  EXPECT_EQ(d, floatToHalf(0.01f));
  EXPECT_EQ(b[2 + 7], 0xfe);
}

// Round trip: the largest error relative to the block's (group's) largest
// value stays within half a quantisation step, plus the f16 rounding of
// the scales.
TEST(QuantizeFormats, RoundTripErrorBounds) {
  struct Case {
    int32_t type;
    double bound; // max |x - y| / amax of the block
    double rms;   // relative RMS error on normal data
  };
  std::vector<Case> cases = {
      {TTRT_TYPE_Q8_0, 0.5 / 127 + 1e-3, 0.01},
      {TTRT_TYPE_Q4_0, 1.0 / 8 + 1e-3, 0.12}, // clamps at +7 of 8 steps
      {rt::groupedIntType(8, 32, false), 0.5 / 127 + 1e-3, 0.01},
      {rt::groupedIntType(8, 128, true), 0.5 * 2 / 255 + 2e-3, 0.01},
      {rt::groupedIntType(4, 32, false), 0.5 / 7 + 1e-3, 0.15},
      {rt::groupedIntType(4, 128, true), 0.5 * 2 / 15 + 2e-3, 0.15},
      // MXINT8: the scale is a power of two at most amax, steps of 1/64.
      {TTRT_TYPE_MXINT8, 0.5 / 64 + 1e-6, 0.02},
      // MXFP4: largest step 4 (of doubled codes) at d >= amax / 16.
      {TTRT_TYPE_MXFP4, 0.25 + 1e-6, 0.2},
      // E4M3: 3 mantissa bits, half an ulp relative to the value.
      {TTRT_TYPE_FP8_E4M3, 1.0 / 16 + 1e-3, 0.05},
  };
  std::vector<float> x = randomRow(4096, 1);
  for (const Case &c : cases) {
    std::vector<float> y = decode(c.type, encode(c.type, x), x.size());
    int64_t block = rt::blockElements(c.type);
    double worst = 0, sq = 0, ref = 0;
    for (size_t b = 0; b < x.size(); b += block) {
      float amax = 0;
      for (int64_t j = 0; j < block; ++j)
        amax = std::fmax(amax, std::fabs(x[b + j]));
      for (int64_t j = 0; j < block; ++j) {
        double e = std::fabs(x[b + j] - y[b + j]);
        worst = std::fmax(worst, e / amax);
        sq += e * e;
        ref += x[b + j] * x[b + j];
      }
    }
    EXPECT_LE(worst, c.bound) << rt::typeName(c.type);
    double rms = std::sqrt(sq / ref);
    EXPECT_LT(rms, c.rms) << rt::typeName(c.type);
    std::printf("%-16s max/amax %.5f  rms %.5f\n", rt::typeName(c.type), worst,
                rms);
  }
}

TEST(QuantizeFormats, ZeroBlocks) {
  std::vector<float> x(128, 0.0f);
  for (int32_t type : allFormats()) {
    std::vector<float> y = decode(type, encode(type, x), x.size());
    for (float v : y)
      EXPECT_EQ(v, 0.0f) << rt::typeName(type);
  }
}

// The runtime's matmul for each format equals the float product of the
// decoded weights, up to the int8 quantisation of the activations (the
// integer formats) or float reassociation (FP8).
TEST(QuantizeFormats, MatmulMatchesDecodedWeights) {
  const int64_t N = 19, K = 256;
  std::vector<float> w = randomRow(N * K, 2, 0.05f);
  std::string chosen = rt::kernelISA();
  for (const char *isa : {"scalar", "avx2"}) {
    if (!rt::setKernelISA(isa))
      continue; // this CPU lacks it
    for (int64_t M : {1, 5}) {
      std::vector<float> x = randomRow(M * K, 3);
      std::vector<float> bias = randomRow(N, 4);
      for (int32_t type : allFormats()) {
        int64_t rowBytes = ttrt_row_bytes(type, K);
        std::vector<uint8_t> q(N * rowBytes);
        std::vector<float> wd(N * K);
        for (int64_t n = 0; n < N; ++n) {
          ASSERT_TRUE(
              quantizeRow(type, w.data() + n * K, K, q.data() + n * rowBytes));
          rt::dequantizeRow(type, q.data() + n * rowBytes, K,
                            wd.data() + n * K);
        }
        std::vector<float> y(M * N);
        ttrt_matmul(q.data(), type, N, K, x.data(), M, y.data(), bias.data());
        for (int64_t m = 0; m < M; ++m) {
          for (int64_t n = 0; n < N; ++n) {
            double ref = bias[n], mag = 0;
            for (int64_t k = 0; k < K; ++k) {
              ref += double(wd[n * K + k]) * x[m * K + k];
              mag += std::fabs(double(wd[n * K + k]) * x[m * K + k]);
            }
            // int8 activations: relative error 1/254 per element at worst.
            double tol = type == TTRT_TYPE_FP8_E4M3 ? 1e-5 * mag + 1e-6
                                                    : mag / 254 + 1e-6;
            EXPECT_NEAR(y[m * N + n], ref, tol)
                << rt::typeName(type) << " " << isa << " M=" << M << " m=" << m
                << " n=" << n;
          }
        }
      }
    }
  }
  rt::setKernelISA(chosen.c_str());
}

// Bind-time conversion (tt-quantize's `@as(TYPE)`) gives the quantiser's
// blocks, from any readable source type, row by row.
TEST(QuantizeFormats, ConvertWeightToEveryFormat) {
  const int64_t rows = 3, cols = 128;
  std::vector<float> x = randomRow(rows * cols, 5, 0.1f);
  std::vector<uint16_t> half(x.size());
  std::vector<float> fromHalf(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    half[i] = floatToHalf(x[i]);
    fromHalf[i] = halfToFloat(half[i]);
  }
  for (int32_t type : allFormats()) {
    EXPECT_TRUE(rt::canEncode(type)) << rt::typeName(type);
    auto converted =
        rt::convertWeight(half.data(), TTRT_TYPE_F16, rows, cols, type);
    ASSERT_TRUE(!!converted) << llvm::toString(converted.takeError());
    int64_t rowBytes = ttrt_row_bytes(type, cols);
    ASSERT_EQ(converted->size(), static_cast<size_t>(rows * rowBytes));
    for (int64_t r = 0; r < rows; ++r) {
      std::vector<uint8_t> expected(rowBytes);
      quantizeRow(type, fromHalf.data() + r * cols, cols, expected.data());
      EXPECT_EQ(0, std::memcmp(converted->data() + r * rowBytes,
                               expected.data(), rowBytes))
          << rt::typeName(type) << " row " << r;
    }
  }
  // A row that is not a whole number of groups is an error naming both.
  auto bad = rt::convertWeight(x.data(), TTRT_TYPE_F32, 2, 64,
                               rt::groupedIntType(4, 128, false));
  ASSERT_FALSE(!!bad);
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "a row of 64 elements is not a whole number of int4_g128 blocks "
            "(128 elements each)");
}
