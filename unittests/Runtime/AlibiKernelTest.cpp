//===- AlibiKernelTest.cpp - ttrt_attention_alibi and its slopes ----------===//
//
// ttrt_alibi_slopes against the two published formulas, written here from
// transformers: modeling_bloom.build_alibi_tensor (maximum bias 8) and
// modeling_mpt.build_mpt_alibi_tensor / gen_slopes (any alibi_bias_max), for
// every head count 1..64. ttrt_attention_alibi against naive loops in double
// (a prefill, then decode steps appending to the same cache; GQA, a sliding
// window, an f16 cache), and against ttrt_attention_kv: the bias changes
// every row but the first (which attends only to itself).
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <vector>

namespace {

/// transformers' build_alibi_tensor slopes (BLOOM).
std::vector<double> bloomSlopes(int n) {
  int closest = 1 << static_cast<int>(std::floor(std::log2(n)));
  double base = std::pow(2.0, -std::pow(2.0, -(std::log2(closest) - 3)));
  std::vector<double> s;
  for (int p = 1; p <= closest; ++p)
    s.push_back(std::pow(base, p));
  if (closest != n) {
    double extra = std::pow(2.0, -std::pow(2.0, -(std::log2(2 * closest) - 3)));
    int remaining = std::min(closest, n - closest);
    for (int p = 1; p < 1 + 2 * remaining; p += 2)
      s.push_back(std::pow(extra, p));
  }
  return s;
}

/// transformers' gen_slopes (MPT): over the next power of two, odd entries
/// first, then even ones, the first n kept.
std::vector<double> mptSlopes(int n, double biasMax) {
  int n2 = 1 << static_cast<int>(std::ceil(std::log2(n)));
  std::vector<double> all;
  for (int m = 1; m <= n2; ++m)
    all.push_back(1.0 / std::pow(2.0, m * (biasMax / n2)));
  if (n2 == n)
    return all;
  std::vector<double> s;
  for (int i = 1; i < n2; i += 2)
    s.push_back(all[i]);
  for (int i = 0; i < n2; i += 2)
    s.push_back(all[i]);
  s.resize(n);
  return s;
}

TEST(AlibiSlopes, MatchTransformers) {
  for (int n = 1; n <= 64; ++n) {
    std::vector<float> got(n);
    ttrt_alibi_slopes(n, 8.0f, got.data());
    std::vector<double> bloom = bloomSlopes(n), mpt = mptSlopes(n, 8.0);
    for (int h = 0; h < n; ++h) {
      EXPECT_NEAR(got[h], bloom[h], 1e-7 * bloom[h]) << "heads " << n << " h " << h;
      EXPECT_NEAR(got[h], mpt[h], 1e-7 * mpt[h]) << "heads " << n << " h " << h;
    }
    ttrt_alibi_slopes(n, 16.0f, got.data());
    mpt = mptSlopes(n, 16.0);
    for (int h = 0; h < n; ++h)
      EXPECT_NEAR(got[h], mpt[h], 1e-7 * mpt[h]) << "heads " << n << " h " << h;
  }
}

TEST(AlibiSlopes, RejectsBadArguments) {
  float out[4];
  EXPECT_DEATH(ttrt_alibi_slopes(0, 8.0f, out), "heads 0 and max bias 8");
  EXPECT_DEATH(ttrt_alibi_slopes(4, 0.0f, out), "must be positive");
}

/// Naive causal attention with ALiBi over positions 0..p in double.
void naive(const std::vector<float> &q, const std::vector<float> &keys,
           const std::vector<float> &values, int64_t S, int64_t pos0,
           int64_t H, int64_t KVH, int64_t D, int64_t window, double scale,
           double maxBias, std::vector<double> &out) {
  std::vector<double> slopes = mptSlopes(H, maxBias);
  out.assign(S * H * D, 0.0);
  for (int64_t s = 0; s < S; ++s)
    for (int64_t h = 0; h < H; ++h) {
      int64_t p = pos0 + s, kvh = h / (H / KVH);
      int64_t lo = window > 0 ? std::max<int64_t>(0, p - window + 1) : 0;
      std::vector<double> sc;
      double mx = -INFINITY;
      for (int64_t j = lo; j <= p; ++j) {
        double d = 0;
        for (int64_t i = 0; i < D; ++i)
          d += double(q[(s * H + h) * D + i]) * keys[(j * KVH + kvh) * D + i];
        sc.push_back(d * scale + slopes[h] * double(j - p));
        mx = std::max(mx, sc.back());
      }
      double sum = 0;
      for (double &x : sc)
        sum += (x = std::exp(x - mx));
      for (int64_t j = lo; j <= p; ++j)
        for (int64_t i = 0; i < D; ++i)
          out[(s * H + h) * D + i] +=
              sc[j - lo] / sum * values[(j * KVH + kvh) * D + i];
    }
}

struct Case {
  int64_t H, KVH, D, window;
  int32_t kvtype;
  float maxBias;
  double tol;
};

TEST(AlibiAttention, MatchesNaive) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1, 1);
  // 6 heads (not a power of two) over 2 KV heads; 5 heads MHA with a window;
  // 12 heads, maximum bias 16, f16 cache (values rounded to f16 first).
  for (Case c : {Case{6, 2, 16, 0, TTRT_KV_F32, 8.0f, 2e-6},
                 Case{5, 5, 8, 4, TTRT_KV_F32, 8.0f, 2e-6},
                 Case{12, 4, 8, 0, TTRT_KV_F16, 16.0f, 2e-6}}) {
    const int64_t C = 16, S0 = 7, steps = 5;
    int64_t row = ttrt_kv_row_bytes(c.kvtype, c.D);
    std::vector<uint8_t> kc(C * c.KVH * row), vc(C * c.KVH * row);
    std::vector<float> allK, allV;
    double scale = 1.0 / std::sqrt(double(c.D));
    int64_t pos = 0;
    for (int64_t step = 0; step <= steps; ++step) {
      int64_t S = step == 0 ? S0 : 1;
      std::vector<float> q(S * c.H * c.D), k(S * c.KVH * c.D),
          v(S * c.KVH * c.D), out(S * c.H * c.D);
      for (float &x : q) x = 3 * u(rng);
      for (float &x : k) x = u(rng);
      for (float &x : v) x = u(rng);
      ttrt_attention_alibi(q.data(), k.data(), v.data(), kc.data(), vc.data(),
                           c.kvtype, S, pos, c.H, c.KVH, c.D, c.window,
                           float(scale), 0.0f, c.maxBias, out.data());
      // The naive reference reads the cache's values as stored.
      for (float x : k)
        allK.push_back(c.kvtype == TTRT_KV_F16
                           ? tt::rt::halfToFloat(tt::rt::floatToHalf(x))
                           : x);
      for (float x : v)
        allV.push_back(c.kvtype == TTRT_KV_F16
                           ? tt::rt::halfToFloat(tt::rt::floatToHalf(x))
                           : x);
      std::vector<double> ref;
      naive(q, allK, allV, S, pos, c.H, c.KVH, c.D, c.window, scale,
            c.maxBias, ref);
      for (size_t i = 0; i < out.size(); ++i)
        ASSERT_NEAR(out[i], ref[i], c.tol)
            << "heads " << c.H << " step " << step << " element " << i;
      pos += S;
    }
  }
}

TEST(AlibiAttention, BiasChangesTheResult) {
  // The same inputs through ttrt_attention_kv (no bias) differ: the bias is
  // applied (a kernel ignoring it would pass a test with tiny slopes only).
  const int64_t H = 4, D = 8, S = 6;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> q(S * H * D), k(S * H * D), v(S * H * D), a(S * H * D),
      b(S * H * D);
  for (float &x : q) x = u(rng);
  for (float &x : k) x = u(rng);
  for (float &x : v) x = u(rng);
  std::vector<float> kc(S * H * D), vc(S * H * D), kc2(S * H * D),
      vc2(S * H * D);
  ttrt_attention_alibi(q.data(), k.data(), v.data(), kc.data(), vc.data(),
                       TTRT_KV_F32, S, 0, H, H, D, 0, 0.35f, 0.0f, 8.0f,
                       a.data());
  ttrt_attention_kv(q.data(), k.data(), v.data(), kc2.data(), vc2.data(),
                    TTRT_KV_F32, S, 0, H, H, D, 0, 0.35f, 0.0f, nullptr, 0, 0,
                    b.data());
  double diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff = std::max(diff, double(std::fabs(a[i] - b[i])));
  EXPECT_GT(diff, 1e-2);
  // The first query sees only itself: no bias to add, identical rows.
  for (int64_t i = 0; i < H * D; ++i)
    EXPECT_EQ(a[i], b[i]);
}

} // namespace
