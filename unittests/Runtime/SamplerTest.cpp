//===- SamplerTest.cpp - Greedy, temperature, top-k, top-p ----------------===//

#include "tt/Runtime/Sampler.h"

#include "gtest/gtest.h"

#include <cmath>
#include <vector>

using namespace tt;

namespace {

TEST(Sampler, RandomIsTheDocumentedGenerator) {
  // SplitMix64 from 0 first gives 0xe220a8397b1dcdaf (its published first
  // output); the xoshiro256** outputs below were computed by an independent
  // Python transcription of the two algorithms.
  Random r(0);
  EXPECT_EQ(r.next(), 0x99ec5f36cb75f2b4ull);
  EXPECT_EQ(r.next(), 0xbf6e1f784956452aull);
  EXPECT_EQ(r.next(), 0x1a5f849d4933e6e0ull);
  Random u(5);
  for (int i = 0; i < 1000; ++i) {
    double x = u.uniform();
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
  }
}

TEST(Sampler, GreedyTakesTheLowestIdOnTies) {
  std::vector<float> logits = {1, 3, 3, 2, NAN};
  EXPECT_EQ(argmax(logits.data(), logits.size()), 1);
  Sampler greedy({0.0f, 0, 1.0f, 123});
  EXPECT_EQ(greedy.sample(logits.data(), logits.size()), 1);
  std::vector<float> nanFirst = {NAN, -5, -7};
  EXPECT_EQ(greedy.sample(nanFirst.data(), 3), 1);
  // Top-k / top-p do not change greedy.
  Sampler greedyK({0.0f, 1, 0.1f, 0});
  EXPECT_EQ(greedyK.sample(logits.data(), logits.size()), 1);
}

TEST(Sampler, SameSeedSameTokens) {
  std::vector<float> logits(50);
  for (int i = 0; i < 50; ++i)
    logits[i] = std::sin(i * 0.7f) * 2;
  auto draw = [&](uint64_t seed) {
    Sampler s({1.0f, 0, 1.0f, seed});
    std::vector<int64_t> out;
    for (int i = 0; i < 40; ++i)
      out.push_back(s.sample(logits.data(), logits.size()));
    return out;
  };
  EXPECT_EQ(draw(42), draw(42));
  EXPECT_NE(draw(42), draw(43));
}

TEST(Sampler, FrequenciesFollowTheSoftmax) {
  std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  Sampler s({1.0f, 0, 1.0f, 7});
  std::vector<int> counts(3);
  const int n = 20000;
  for (int i = 0; i < n; ++i)
    ++counts[s.sample(logits.data(), 3)];
  EXPECT_NEAR(counts[0] / double(n), 0.5, 0.015);
  EXPECT_NEAR(counts[1] / double(n), 0.3, 0.015);
  EXPECT_NEAR(counts[2] / double(n), 0.2, 0.015);

  // Temperature 2 flattens: probabilities proportional to sqrt(p).
  Sampler hot({2.0f, 0, 1.0f, 7});
  auto c = hot.candidates(logits.data(), 3);
  double z = std::sqrt(0.5) + std::sqrt(0.3) + std::sqrt(0.2);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_NEAR(c[0].second, std::sqrt(0.5) / z, 1e-6);
  EXPECT_NEAR(c[2].second, std::sqrt(0.2) / z, 1e-6);
}

TEST(Sampler, TopK) {
  std::vector<float> logits = {0.1f, 2.0f, 1.0f, 2.0f, -1.0f};
  Sampler s({1.0f, 2, 1.0f, 3});
  auto c = s.candidates(logits.data(), logits.size());
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].first, 1); // tie at 2.0: lower id first
  EXPECT_EQ(c[1].first, 3);
  EXPECT_NEAR(c[0].second, 0.5, 1e-9);
  for (int i = 0; i < 500; ++i) {
    int64_t t = s.sample(logits.data(), logits.size());
    ASSERT_TRUE(t == 1 || t == 3) << t;
  }
}

TEST(Sampler, TopP) {
  std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.15f),
                               std::log(0.05f)};
  Sampler s({1.0f, 0, 0.75f, 3});
  auto c = s.candidates(logits.data(), logits.size());
  ASSERT_EQ(c.size(), 2u); // 0.5 + 0.3 >= 0.75
  EXPECT_EQ(c[0].first, 0);
  EXPECT_EQ(c[1].first, 1);
  EXPECT_NEAR(c[0].second, 0.5 / 0.8, 1e-6);
  Sampler wider({1.0f, 0, 0.85f, 3});
  EXPECT_EQ(wider.candidates(logits.data(), logits.size()).size(), 3u);
  Sampler tiny({1.0f, 0, 0.01f, 3});
  ASSERT_EQ(tiny.candidates(logits.data(), logits.size()).size(), 1u);
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(tiny.sample(logits.data(), logits.size()), 0);
  // Top-k first, then top-p over what is left.
  Sampler both({1.0f, 3, 0.9f, 3});
  auto cb = both.candidates(logits.data(), logits.size());
  // Within the top 3 (0.5, 0.3, 0.15 of 0.95), 0.526 + 0.316 < 0.9: all 3.
  EXPECT_EQ(cb.size(), 3u);
}

} // namespace
