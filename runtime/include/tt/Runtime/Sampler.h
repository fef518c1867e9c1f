//===- Sampler.h - Choosing the next token from logits -----------*- C++
//-*-===//
//
// Greedy, temperature, top-k and top-p (nucleus) sampling, deterministic for
// a given seed on every platform.
//
// Order (as Hugging Face transformers' generate does it): logits / T, then
// keep the k highest (top-k, k > 0), then softmax over what is left and keep
// the smallest set of the most probable tokens whose probabilities sum to at
// least p (top-p, p < 1), renormalise and draw. Ties in logit order go to the
// lower token id. Temperature 0 (or below) is greedy: the arg-max, ties to the
// lowest id, with no random number drawn. NaN logits are never chosen.
//
// The random numbers: xoshiro256** (Blackman & Vigna) whose state is seeded
// by four successive outputs of SplitMix64 started at `seed`; each draw takes
// the top 53 bits of one xoshiro256** output as a double u in [0, 1) and
// picks the first token whose cumulative (renormalised) probability exceeds
// u.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_SAMPLER_H
#define TT_RUNTIME_SAMPLER_H

#include <cstdint>
#include <utility>
#include <vector>

namespace tt {

struct SamplerOptions {
  float temperature = 0.0f; ///< <= 0: greedy
  int64_t topK = 0;         ///< <= 0 or >= vocab: no limit
  float topP = 1.0f;        ///< >= 1: no limit
  uint64_t seed = 0;
};

/// The index of the largest of logits[0..n), the lowest on ties; NaNs are
/// skipped (-1 if n == 0 or all are NaN).
int64_t argmax(const float *logits, int64_t n);

/// xoshiro256** seeded through SplitMix64.
class Random {
public:
  explicit Random(uint64_t seed);
  uint64_t next();
  /// Uniform in [0, 1) with 53 random bits.
  double uniform();

private:
  uint64_t s[4];
};

class Sampler {
public:
  explicit Sampler(const SamplerOptions &options);

  /// The next token given the logits of a `vocab`-sized vocabulary.
  int64_t sample(const float *logits, int64_t vocab);

  /// The candidates sample() would draw from and their renormalised
  /// probabilities, most probable first (for tests and diagnostics).
  std::vector<std::pair<int64_t, double>> candidates(const float *logits,
                                                     int64_t vocab) const;

  const SamplerOptions &getOptions() const { return options; }

private:
  SamplerOptions options;
  Random rng;
};

} // namespace tt

#endif // TT_RUNTIME_SAMPLER_H
