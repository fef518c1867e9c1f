//===- FusedKernelsTest.cpp - tt-fuse's and tt-kv-cache's runtime pieces --===//
//
// ttrt_matmul_fused against separate ttrt_matmul calls plus a naive norm and
// residual add; ttrt_attention_kv over f16/bf16/i8/fp8 caches against
// ttrt_attention over an f32 cache; the cache formats' encodings.
//
// Bounds (measured here with random data, stated in docs/Fusion.md):
// - fused products use the same dot kernels on the same activation:
//   bit-identical to ttrt_matmul without a norm; with a norm the activation
//   is computed in float in the lowering's order, compared with a double
//   reference within 1e-5 relative.
// - typed caches, relative to the output's scale (max |out| of the f32
//   run): f16 2e-3, bf16 1.5e-2, i8 2e-2, e4m3 8e-2, e5m2 1.5e-1.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace tt::rt;

namespace {

std::vector<float> randomFloats(size_t n, std::mt19937 &rng, float scale = 1) {
  std::uniform_real_distribution<float> d(-scale, scale);
  std::vector<float> v(n);
  for (float &x : v)
    x = d(rng);
  return v;
}

/// N rows of K f32 values stored as `type` (f32, f16, q8_0).
std::vector<uint8_t> storeAs(int32_t type, const std::vector<float> &w,
                             int64_t N, int64_t K) {
  std::vector<uint8_t> out(N * ttrt_row_bytes(type, K));
  uint8_t *p = out.data();
  for (int64_t n = 0; n < N; ++n) {
    const float *row = w.data() + n * K;
    if (type == TTRT_TYPE_F32) {
      std::memcpy(p, row, 4 * K);
      p += 4 * K;
    } else if (type == TTRT_TYPE_F16) {
      for (int64_t k = 0; k < K; ++k, p += 2) {
        uint16_t h = floatToHalf(row[k]);
        std::memcpy(p, &h, 2);
      }
    } else { // q8_0
      for (int64_t b = 0; b < K / 32; ++b, p += 34) {
        float amax = 0;
        for (int j = 0; j < 32; ++j)
          amax = std::max(amax, std::fabs(row[32 * b + j]));
        float d = amax / 127;
        uint16_t h = floatToHalf(d);
        std::memcpy(p, &h, 2);
        for (int j = 0; j < 32; ++j)
          p[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(
              d ? std::lround(row[32 * b + j] / d) : 0));
      }
    }
  }
  return out;
}

struct FusedCase {
  int32_t type;
  int64_t M;
};

class FusedMatmul : public ::testing::TestWithParam<FusedCase> {};

TEST_P(FusedMatmul, EqualsSeparateProducts) {
  const FusedCase c = GetParam();
  std::mt19937 rng(11 + c.type + 7 * c.M);
  const int64_t K = 96, Ns[3] = {64, 32, 32};
  std::vector<float> x = randomFloats(c.M * K, rng);
  std::vector<std::vector<uint8_t>> ws;
  std::vector<std::vector<float>> bs;
  for (int i = 0; i < 3; ++i) {
    ws.push_back(storeAs(c.type, randomFloats(Ns[i] * K, rng, 0.2f), Ns[i], K));
    bs.push_back(randomFloats(Ns[i], rng));
  }
  std::vector<float> residual = randomFloats(c.M * Ns[0], rng);
  for (int threads : {1, 3}) {
    ttrt_set_num_threads(threads);
    // Separate calls, then the residual add, as the unfused lowering does.
    std::vector<std::vector<float>> want(3);
    for (int i = 0; i < 3; ++i) {
      want[i].resize(c.M * Ns[i]);
      ttrt_matmul(ws[i].data(), c.type, Ns[i], K, x.data(), c.M,
                  want[i].data(), bs[i].data());
    }
    for (size_t j = 0; j < want[0].size(); ++j)
      want[0][j] = want[0][j] + residual[j];
    std::vector<std::vector<float>> got(3);
    for (int i = 0; i < 3; ++i)
      got[i].assign(c.M * Ns[i], NAN);
    ttrt_matmul_fused(x.data(), c.M, K, TTRT_NORM_NONE, 0, nullptr, nullptr, 0,
                      residual.data(), 3, ws[0].data(), c.type, Ns[0],
                      got[0].data(), bs[0].data(), ws[1].data(), c.type, Ns[1],
                      got[1].data(), bs[1].data(), ws[2].data(), c.type, Ns[2],
                      got[2].data(), bs[2].data());
    for (int i = 0; i < 3; ++i)
      for (size_t j = 0; j < got[i].size(); ++j)
        ASSERT_EQ(got[i][j], want[i][j])
            << typeName(c.type) << " M=" << c.M << " product " << i << " at "
            << j << " threads " << threads;
  }
  ttrt_set_num_threads(1);
}

INSTANTIATE_TEST_SUITE_P(
    Types, FusedMatmul,
    ::testing::Values(FusedCase{TTRT_TYPE_F32, 1}, FusedCase{TTRT_TYPE_F32, 6},
                      FusedCase{TTRT_TYPE_F16, 1}, FusedCase{TTRT_TYPE_F16, 5},
                      FusedCase{TTRT_TYPE_Q8_0, 1},
                      FusedCase{TTRT_TYPE_Q8_0, 7}),
    [](const ::testing::TestParamInfo<FusedCase> &info) {
      return std::string(typeName(info.param.type)) + "_M" +
             std::to_string(info.param.M);
    });

/// The norm prologue against a double-precision RMSNorm / LayerNorm.
TEST(FusedMatmulNorm, NormThenProducts) {
  std::mt19937 rng(5);
  const int64_t K = 64, N = 16, M = 3;
  std::vector<float> x = randomFloats(M * K, rng, 3);
  std::vector<float> w = randomFloats(N * K, rng);
  std::vector<float> g = randomFloats(K, rng), beta = randomFloats(K, rng);
  for (int32_t kind : {TTRT_NORM_RMS, TTRT_NORM_LAYER})
    for (int zc : {0, 1}) {
      std::vector<float> y(M * N);
      const float *bias = kind == TTRT_NORM_LAYER ? beta.data() : nullptr;
      ttrt_matmul_fused(x.data(), M, K, kind, 1e-5f, g.data(), bias, zc,
                        nullptr, 1, w.data(), TTRT_TYPE_F32, N, y.data(),
                        nullptr, nullptr, 0, 0, nullptr, nullptr, nullptr, 0,
                        0, nullptr, nullptr);
      for (int64_t m = 0; m < M; ++m) {
        std::vector<double> xn(K);
        double mean = 0, ss = 0;
        if (kind == TTRT_NORM_LAYER)
          for (int64_t k = 0; k < K; ++k)
            mean += x[m * K + k] / double(K);
        for (int64_t k = 0; k < K; ++k)
          ss += (x[m * K + k] - mean) * (x[m * K + k] - mean);
        double s = 1 / std::sqrt(ss / K + 1e-5);
        for (int64_t k = 0; k < K; ++k)
          xn[k] = (x[m * K + k] - mean) * s * (g[k] + (zc ? 1.0 : 0.0)) +
                  (bias ? bias[k] : 0.0);
        for (int64_t n = 0; n < N; ++n) {
          double ref = 0, mag = 0;
          for (int64_t k = 0; k < K; ++k) {
            ref += xn[k] * w[n * K + k];
            mag += std::fabs(xn[k] * w[n * K + k]);
          }
          EXPECT_NEAR(y[m * N + n], ref, 1e-5 * mag + 1e-6)
              << "kind " << kind << " zero_centered " << zc;
        }
      }
    }
}

TEST(FusedMatmul, Errors) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::vector<float> x(64), y(64), w(64 * 64);
  EXPECT_DEATH(ttrt_matmul_fused(x.data(), 1, 64, 0, 0, nullptr, nullptr, 0,
                                 nullptr, 4, w.data(), 0, 1, y.data(), nullptr,
                                 nullptr, 0, 0, nullptr, nullptr, nullptr, 0,
                                 0, nullptr, nullptr),
               "matmul_fused: 4 products; 1 to 3 are supported");
  EXPECT_DEATH(ttrt_matmul_fused(x.data(), 1, 64, 0, 0, nullptr, nullptr, 0,
                                 nullptr, 1, w.data(), TTRT_TYPE_Q4_1, 1,
                                 y.data(), nullptr, nullptr, 0, 0, nullptr,
                                 nullptr, nullptr, 0, 0, nullptr, nullptr),
               "product 0: weight type q4_1");
  EXPECT_DEATH(ttrt_matmul_fused(x.data(), 1, 64, 7, 0, nullptr, nullptr, 0,
                                 nullptr, 1, w.data(), 0, 1, y.data(), nullptr,
                                 nullptr, 0, 0, nullptr, nullptr, nullptr, 0,
                                 0, nullptr, nullptr),
               "unknown norm kind 7");
}

//===----------------------------------------------------------------------===//
// Typed KV cache
//===----------------------------------------------------------------------===//

TEST(KVCache, Encodings) {
  const int64_t D = 8;
  float x[D] = {1.0f, -1.5f, 448.0f, 1000.0f, 0.001953125f, 0.0f, -0.3f, 2.0f};
  uint8_t e4[D];
  ttrt_kv_store(x, 1, D, TTRT_KV_F8E4M3, e4);
  // 1 = 2^0 (exp 7); -1.5 = -(1 + 4/8); 448 the max; 1000 saturates;
  // 2^-9 the smallest subnormal; -0.3 rounds to -0.3125 = -(1 + 2/8) * 2^-2.
  const uint8_t want4[D] = {0x38, 0xbc, 0x7e, 0x7e, 0x01, 0x00, 0xaa, 0x40};
  for (int i = 0; i < D; ++i)
    EXPECT_EQ(e4[i], want4[i]) << "e4m3 of " << x[i];
  uint8_t e5[D];
  ttrt_kv_store(x, 1, D, TTRT_KV_F8E5M2, e5);
  EXPECT_EQ(e5[0], 0x3c); // f16 1.0 = 0x3c00
  EXPECT_EQ(e5[7], 0x40);
  std::vector<uint8_t> i8(ttrt_kv_row_bytes(TTRT_KV_I8, D));
  ASSERT_EQ(i8.size(), static_cast<size_t>(D + 4));
  ttrt_kv_store(x, 1, D, TTRT_KV_I8, i8.data());
  float scale;
  std::memcpy(&scale, i8.data(), 4);
  EXPECT_FLOAT_EQ(scale, 1000.0f / 127);
  EXPECT_EQ(static_cast<int8_t>(i8[4 + 3]), 127);
  EXPECT_EQ(static_cast<int8_t>(i8[4 + 2]), 57); // round(448 / 7.874)
  EXPECT_EQ(ttrt_kv_row_bytes(TTRT_KV_F16, D), 2 * D);
  EXPECT_EQ(ttrt_kv_row_bytes(99, D), 0);
}

struct KVCase {
  int32_t type;
  const char *name;
  double bound; // relative to the output's scale
};

class TypedCache : public ::testing::TestWithParam<KVCase> {};

/// A prefill of 5 then 4 decode steps over a typed cache, against the same
/// steps over an f32 cache (ttrt_to_f32 appends + ttrt_attention).
TEST_P(TypedCache, AttentionMatchesF32Cache) {
  const KVCase c = GetParam();
  std::mt19937 rng(3);
  const int64_t H = 4, KVH = 2, D = 16, C = 12;
  std::vector<float> kf(C * KVH * D), vf(C * KVH * D);
  int64_t rowBytes = ttrt_kv_row_bytes(c.type, D);
  std::vector<uint8_t> kt(C * KVH * rowBytes), vt(C * KVH * rowBytes);
  double worst = 0, scale = 0;
  int64_t pos = 0;
  for (int64_t S : {5, 1, 1, 1, 1}) {
    std::vector<float> q = randomFloats(S * H * D, rng, 2);
    std::vector<float> k = randomFloats(S * KVH * D, rng, 2);
    std::vector<float> v = randomFloats(S * KVH * D, rng, 2);
    std::memcpy(kf.data() + pos * KVH * D, k.data(), k.size() * 4);
    std::memcpy(vf.data() + pos * KVH * D, v.data(), v.size() * 4);
    std::vector<float> want(S * H * D), got(S * H * D);
    ttrt_attention(q.data(), kf.data(), vf.data(), S, pos, H, KVH, D, 0, 0.25f,
                   0, want.data());
    ttrt_attention_kv(q.data(), k.data(), v.data(), kt.data(), vt.data(),
                      c.type, S, pos, H, KVH, D, 0, 0.25f, 0, nullptr, 0, 0,
                      got.data());
    for (size_t i = 0; i < got.size(); ++i) {
      worst = std::max(worst, std::fabs(double(got[i]) - want[i]));
      scale = std::max(scale, std::fabs(double(want[i])));
    }
    pos += S;
  }
  double rel = worst / scale;
  RecordProperty("max_rel_error", std::to_string(rel));
  EXPECT_LE(rel, c.bound) << c.name;
  if (c.type == TTRT_KV_F32)
    EXPECT_EQ(worst, 0.0);
  else
    EXPECT_GT(worst, 0.0) << c.name << " should lose some precision";
}

INSTANTIATE_TEST_SUITE_P(
    Types, TypedCache,
    ::testing::Values(KVCase{TTRT_KV_F32, "f32", 0},
                      KVCase{TTRT_KV_F16, "f16", 2e-3},
                      KVCase{TTRT_KV_BF16, "bf16", 1.5e-2},
                      KVCase{TTRT_KV_I8, "i8", 2e-2},
                      KVCase{TTRT_KV_F8E4M3, "f8E4M3", 8e-2},
                      KVCase{TTRT_KV_F8E5M2, "f8E5M2", 1.5e-1}),
    [](const ::testing::TestParamInfo<KVCase> &info) {
      return std::string(info.param.name);
    });

/// RoPE inside ttrt_attention_kv against rotating q and k first (a naive
/// double-precision rotation) and attending without it.
TEST(KVCache, RopeInsideAttention) {
  std::mt19937 rng(9);
  const int64_t H = 2, KVH = 1, D = 8, S = 3, pos0 = 4, rot = 6;
  std::vector<float> inv = {1.0f, 0.1f, 0.01f};
  for (int interleaved : {0, 1}) {
    std::vector<float> q = randomFloats(S * H * D, rng);
    std::vector<float> k = randomFloats(S * KVH * D, rng);
    std::vector<float> v = randomFloats(S * KVH * D, rng);
    auto rotate = [&](std::vector<float> x, int64_t heads) {
      for (int64_t s = 0; s < S; ++s)
        for (int64_t h = 0; h < heads; ++h) {
          float *r = x.data() + (s * heads + h) * D;
          std::vector<float> in(r, r + D);
          for (int64_t i = 0; i < rot / 2; ++i) {
            double a = double(pos0 + s) * inv[i];
            int64_t lo = interleaved ? 2 * i : i;
            int64_t hi = interleaved ? 2 * i + 1 : i + rot / 2;
            r[lo] = in[lo] * std::cos(a) - in[hi] * std::sin(a);
            r[hi] = in[hi] * std::cos(a) + in[lo] * std::sin(a);
          }
        }
      return x;
    };
    std::vector<float> qr = rotate(q, H), kr = rotate(k, KVH);
    // Earlier positions already in both caches (their keys as stored).
    std::vector<float> kc1((pos0 + S) * KVH * D), vc1(kc1.size());
    std::vector<float> kc2(kc1.size()), vc2(kc1.size());
    std::vector<float> early = randomFloats(pos0 * KVH * D, rng);
    for (size_t i = 0; i < early.size(); ++i)
      kc1[i] = kc2[i] = vc1[i] = vc2[i] = early[i];
    std::vector<float> want(S * H * D), got(S * H * D);
    ttrt_attention_kv(qr.data(), kr.data(), v.data(), kc1.data(), vc1.data(),
                      TTRT_KV_F32, S, pos0, H, KVH, D, 0, 0.3f, 0, nullptr, 0,
                      0, want.data());
    ttrt_attention_kv(q.data(), k.data(), v.data(), kc2.data(), vc2.data(),
                      TTRT_KV_F32, S, pos0, H, KVH, D, 0, 0.3f, 0, inv.data(),
                      rot, interleaved, got.data());
    for (size_t i = 0; i < got.size(); ++i)
      EXPECT_NEAR(got[i], want[i], 1e-5) << "interleaved " << interleaved;
    for (size_t i = 0; i < kc1.size(); ++i)
      EXPECT_NEAR(kc2[i], kc1[i], 1e-5) << "cached key " << i;
  }
}

TEST(KVCache, Errors) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::vector<float> x(64), y(64);
  EXPECT_DEATH(ttrt_attention_kv(x.data(), x.data(), x.data(), y.data(),
                                 y.data(), 42, 1, 0, 2, 1, 4, 0, 1, 0, nullptr,
                                 0, 0, y.data()),
               "unknown KV cache type 42");
  EXPECT_DEATH(ttrt_attention_kv(x.data(), x.data(), x.data(), y.data(),
                                 y.data(), TTRT_KV_F16, 1, 0, 2, 1, 4, 0, 1, 0,
                                 x.data(), 3, 0, y.data()),
               "rotary dimensions 3 must be even");
  EXPECT_DEATH(ttrt_kv_store(x.data(), 1, 4, 17, y.data()),
               "unknown KV cache type 17");
}

} // namespace
