//===- Sampler.cpp - Greedy, temperature, top-k, top-p --------------------===//

#include "tt/Runtime/Sampler.h"

#include <algorithm>
#include <cmath>

using namespace tt;

int64_t tt::argmax(const float *logits, int64_t n) {
  int64_t best = -1;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(logits[i]))
      continue;
    if (best < 0 || logits[i] > logits[best])
      best = i;
  }
  return best;
}

static uint64_t splitMix64(uint64_t &x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

Random::Random(uint64_t seed) {
  for (uint64_t &word : s)
    word = splitMix64(seed);
}

uint64_t Random::next() {
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double Random::uniform() {
  return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
}

Sampler::Sampler(const SamplerOptions &options)
    : options(options), rng(options.seed) {}

std::vector<std::pair<int64_t, double>>
Sampler::candidates(const float *logits, int64_t vocab) const {
  std::vector<std::pair<int64_t, double>> result;
  if (options.temperature <= 0) {
    int64_t best = argmax(logits, vocab);
    if (best >= 0)
      result.push_back({best, 1.0});
    return result;
  }
  std::vector<int64_t> ids;
  ids.reserve(vocab);
  for (int64_t i = 0; i < vocab; ++i)
    if (!std::isnan(logits[i]))
      ids.push_back(i);
  auto higher = [&](int64_t a, int64_t b) {
    return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
  };
  int64_t keep = static_cast<int64_t>(ids.size());
  if (options.topK > 0 && options.topK < keep) {
    keep = options.topK;
    std::partial_sort(ids.begin(), ids.begin() + keep, ids.end(), higher);
    ids.resize(keep);
  } else {
    std::sort(ids.begin(), ids.end(), higher);
  }
  if (ids.empty())
    return result;
  double inv = 1.0 / options.temperature;
  double top = static_cast<double>(logits[ids[0]]) * inv, sum = 0;
  std::vector<double> probs(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    probs[i] = std::exp(static_cast<double>(logits[ids[i]]) * inv - top);
    sum += probs[i];
  }
  size_t n = ids.size();
  if (options.topP < 1.0f) {
    double cumulative = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      cumulative += probs[i] / sum;
      if (cumulative >= options.topP) {
        n = i + 1;
        break;
      }
    }
  }
  double kept = 0;
  for (size_t i = 0; i < n; ++i)
    kept += probs[i];
  for (size_t i = 0; i < n; ++i)
    result.push_back({ids[i], probs[i] / kept});
  return result;
}

int64_t Sampler::sample(const float *logits, int64_t vocab) {
  if (options.temperature <= 0)
    return argmax(logits, vocab);
  std::vector<std::pair<int64_t, double>> c = candidates(logits, vocab);
  if (c.empty())
    return -1;
  double u = rng.uniform(), cumulative = 0;
  for (const auto &[id, p] : c) {
    cumulative += p;
    if (u < cumulative)
      return id;
  }
  return c.back().first; // rounding left u just above the total
}
