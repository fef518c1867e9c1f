//===- OpsTest.cpp - Lowered tt ops against naive references --------------===//
//
// Tiny models around one op each, compiled through tt-to-cpu-pipeline and
// the JIT, run with weights the test owns (some stored as f16 / bf16) and
// compared with plain loops written here. Every model ends in an lm_head
// whose weight is the identity, so its logits are the op's output.
//
//===----------------------------------------------------------------------===//

#include "TestContext.h"

#include "tt/Runtime/Kernels.h"
#include "tt/Target/CPU/CPUTarget.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <list>
#include <random>

using namespace tt;
using namespace tt::test;

namespace {

using Vec = std::vector<float>;

Vec randomVec(size_t n, unsigned seed, float scale = 1.0f) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-scale, scale);
  Vec v(n);
  for (float &x : v)
    x = dist(gen);
  return v;
}

Vec identity(int64_t n) {
  Vec v(n * n, 0.0f);
  for (int64_t i = 0; i < n; ++i)
    v[i * n + i] = 1.0f;
  return v;
}

/// y = W x + b for W [out][in].
Vec linear(const Vec &w, const Vec &x, int64_t out, int64_t in,
           const Vec *b = nullptr) {
  Vec y(out);
  for (int64_t o = 0; o < out; ++o) {
    double acc = 0;
    for (int64_t i = 0; i < in; ++i)
      acc += static_cast<double>(w[o * in + i]) * x[i];
    y[o] = static_cast<float>(acc) + (b ? (*b)[o] : 0.0f);
  }
  return y;
}

/// A model compiled with its weights and a KV cache.
class Harness {
public:
  explicit Harness(const std::string &source, int64_t contextLength = 32) {
    mlir::DialectRegistry registry;
    registerCPUTargetDialects(registry);
    ctx.appendDialectRegistry(registry);
    ctx.loadAllAvailableDialects();
    module = mlir::parseSourceString<mlir::ModuleOp>(source, &ctx);
    EXPECT_TRUE(module) << "cannot parse:\n" << source;
    if (!module)
      return;
    auto jit = JITModel::compile(*module, TestContext::jitOptions());
    EXPECT_TRUE(bool(jit)) << llvm::toString(jit.takeError());
    if (!jit)
      return;
    model = std::move(*jit);
    context = std::make_unique<TestContext>(model->layout(), contextLength);
  }
  bool ok() const { return model != nullptr; }

  /// Binds `name` to f32 data (kept alive here), stored as `type`.
  void bind(const std::string &name, const Vec &data,
            int32_t type = TTRT_TYPE_F32) {
    if (type == TTRT_TYPE_F32) {
      f32.push_back(data);
      context->weights[name] = {f32.back().data(), type};
      return;
    }
    std::vector<uint16_t> halves;
    for (float x : data)
      halves.push_back(type == TTRT_TYPE_F16 ? rt::floatToHalf(x)
                                             : rt::floatToBF16(x));
    f16.push_back(std::move(halves));
    context->weights[name] = {f16.back().data(), type};
  }

  /// Runs `tokens` at pos0 (decode when there is one, else prefill).
  Vec run(const std::vector<int32_t> &tokens, int64_t pos0) {
    int64_t vocab = model->layout().vocabSize;
    Vec logits(tokens.size() * vocab);
    ModelStepFn fn = tokens.size() == 1 ? model->decode() : model->prefill();
    fn(context->get(), tokens.data(), static_cast<int64_t>(tokens.size()), pos0,
       logits.data());
    return logits;
  }

  mlir::MLIRContext ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<JITModel> model;
  std::unique_ptr<TestContext> context;
  std::list<Vec> f32;
  std::list<std::vector<uint16_t>> f16;
};

void expectClose(const Vec &got, const Vec &want, float tol = 1e-4f) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tol * (1.0f + std::fabs(want[i])))
        << "element " << i;
}

/// Rounds through the storage type the way the runtime reads it.
Vec stored(const Vec &v, int32_t type) {
  Vec out;
  for (float x : v)
    out.push_back(type == TTRT_TYPE_F16    ? rt::halfToFloat(rt::floatToHalf(x))
                  : type == TTRT_TYPE_BF16 ? rt::bf16ToFloat(rt::floatToBF16(x))
                                           : x);
  return out;
}

//===----------------------------------------------------------------------===//
// Norms
//===----------------------------------------------------------------------===//

constexpr int64_t kVocab = 11, kHidden = 7;

TEST(LoweredOps, RMSNormWithF16ScaleZeroCentered) {
  Harness h(R"mlir(
    func.func @m(%t: tensor<?x?xi32>) -> tensor<?x?x7xf32> {
      %e = tt.weight "embed" : tensor<11x7xf32>
      %x = tt.embedding %t table(%e : tensor<11x7xf32>) : tensor<?x?xi32> -> tensor<?x?x7xf32>
      %w = tt.weight "scale" : tensor<7xf16>
      %n = tt.norm rms final %x eps(0.001) zero_centered weight(%w : tensor<7xf16>) : tensor<?x?x7xf32>
      %i = tt.weight "eye" : tensor<7x7xf32>
      %l = tt.lm_head %n weight(%i : tensor<7x7xf32>) : tensor<?x?x7xf32> -> tensor<?x?x7xf32>
      return %l : tensor<?x?x7xf32>
    })mlir");
  ASSERT_TRUE(h.ok());
  Vec embed = randomVec(kVocab * kHidden, 1, 2.0f);
  Vec scale = randomVec(kHidden, 2);
  h.bind("embed", embed);
  h.bind("scale", scale, TTRT_TYPE_F16);
  h.bind("eye", identity(kHidden));
  Vec w = stored(scale, TTRT_TYPE_F16);

  std::vector<int32_t> tokens{3, 0, 10, 3, 7};
  Vec got = h.run(tokens, 0);
  Vec want;
  for (int32_t t : tokens) {
    const float *x = &embed[t * kHidden];
    double ss = 0;
    for (int64_t i = 0; i < kHidden; ++i)
      ss += x[i] * x[i];
    float r = 1.0f / std::sqrt(static_cast<float>(ss / kHidden) + 0.001f);
    for (int64_t i = 0; i < kHidden; ++i)
      want.push_back(x[i] * r * (1.0f + w[i]));
  }
  expectClose(got, want);
  // Decode (static shapes) computes the same rows.
  expectClose(h.run({tokens[2]}, 2),
              Vec(want.begin() + 2 * kHidden, want.begin() + 3 * kHidden));
}

TEST(LoweredOps, LayerNormWithBF16ScaleAndBias) {
  Harness h(R"mlir(
    func.func @m(%t: tensor<?x?xi32>) -> tensor<?x?x7xf32> {
      %e = tt.weight "embed" : tensor<11x7xf32>
      %x = tt.embedding %t table(%e : tensor<11x7xf32>) : tensor<?x?xi32> -> tensor<?x?x7xf32>
      %w = tt.weight "scale" : tensor<7xbf16>
      %b = tt.weight "bias" : tensor<7xf32>
      %n = tt.norm layer final %x eps(1.0e-05) weight(%w : tensor<7xbf16>) bias(%b : tensor<7xf32>) : tensor<?x?x7xf32>
      %i = tt.weight "eye" : tensor<7x7xf32>
      %l = tt.lm_head %n weight(%i : tensor<7x7xf32>) : tensor<?x?x7xf32> -> tensor<?x?x7xf32>
      return %l : tensor<?x?x7xf32>
    })mlir");
  ASSERT_TRUE(h.ok());
  Vec embed = randomVec(kVocab * kHidden, 3, 3.0f);
  Vec scale = randomVec(kHidden, 4), bias = randomVec(kHidden, 5);
  h.bind("embed", embed);
  h.bind("scale", scale, TTRT_TYPE_BF16);
  h.bind("bias", bias);
  h.bind("eye", identity(kHidden));
  Vec w = stored(scale, TTRT_TYPE_BF16);

  std::vector<int32_t> tokens{1, 9, 4};
  Vec got = h.run(tokens, 0);
  Vec want;
  for (int32_t t : tokens) {
    const float *x = &embed[t * kHidden];
    double mean = 0, var = 0;
    for (int64_t i = 0; i < kHidden; ++i)
      mean += x[i];
    mean /= kHidden;
    for (int64_t i = 0; i < kHidden; ++i)
      var += (x[i] - mean) * (x[i] - mean);
    var /= kHidden;
    for (int64_t i = 0; i < kHidden; ++i)
      want.push_back(static_cast<float>((x[i] - mean) / std::sqrt(var + 1e-5)) *
                         w[i] +
                     bias[i]);
  }
  expectClose(got, want);
}

//===----------------------------------------------------------------------===//
// MLP
//===----------------------------------------------------------------------===//

float gelu(float x) {
  return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f)));
}
float geluTanh(float x) {
  return 0.5f * x *
         (1.0f + std::tanh(std::sqrt(2.0f / static_cast<float>(M_PI)) *
                           (x + 0.044715f * x * x * x)));
}
float silu(float x) { return x / (1.0f + std::exp(-x)); }

struct MLPCase {
  const char *activation;
  bool gated;
  float (*fn)(float);
};

class LoweredMLP : public ::testing::TestWithParam<MLPCase> {};

TEST_P(LoweredMLP, MatchesReference) {
  const MLPCase &c = GetParam();
  constexpr int64_t inter = 13;
  std::string gate = c.gated ? "gate(%g : tensor<13x7xf32>) " : "";
  std::string gateBias = c.gated ? "gate_bias(%gb : tensor<13xf32>) " : "";
  Harness h(
      std::string(R"mlir(
    func.func @m(%t: tensor<?x?xi32>) -> tensor<?x?x7xf32> {
      %e = tt.weight "embed" : tensor<11x7xf32>
      %x = tt.embedding %t table(%e : tensor<11x7xf32>) : tensor<?x?xi32> -> tensor<?x?x7xf32>
      %y = tt.layer 0 (%h = %x) : tensor<?x?x7xf32> {
        %u = tt.weight "up" : tensor<13x7xf32>
        %g = tt.weight "gate" : tensor<13x7xf32>
        %d = tt.weight "down" : tensor<7x13xf32>
        %ub = tt.weight "up_bias" : tensor<13xf16>
        %gb = tt.weight "gate_bias" : tensor<13xf32>
        %db = tt.weight "down_bias" : tensor<7xf32>
        %m = tt.mlp )mlir") +
      c.activation + R"mlir( %h up(%u : tensor<13x7xf32>) )mlir" + gate +
      R"mlir(down(%d : tensor<7x13xf32>) up_bias(%ub : tensor<13xf16>) )mlir" +
      gateBias + R"mlir(down_bias(%db : tensor<7xf32>) : tensor<?x?x7xf32>
        %r = tt.add %h, %m : tensor<?x?x7xf32>
        tt.yield %r : tensor<?x?x7xf32>
      }
      %i = tt.weight "eye" : tensor<7x7xf32>
      %l = tt.lm_head %y weight(%i : tensor<7x7xf32>) : tensor<?x?x7xf32> -> tensor<?x?x7xf32>
      return %l : tensor<?x?x7xf32>
    })mlir");
  ASSERT_TRUE(h.ok());
  Vec embed = randomVec(kVocab * kHidden, 11, 1.5f);
  Vec up = randomVec(inter * kHidden, 12),
      gateW = randomVec(inter * kHidden, 13);
  Vec down = randomVec(kHidden * inter, 14);
  Vec ub = randomVec(inter, 15), gb = randomVec(inter, 16),
      db = randomVec(kHidden, 17);
  h.bind("embed", embed);
  h.bind("up", up);
  h.bind("gate", gateW);
  h.bind("down", down);
  h.bind("up_bias", ub, TTRT_TYPE_F16);
  h.bind("gate_bias", gb);
  h.bind("down_bias", db);
  h.bind("eye", identity(kHidden));
  Vec ubStored = stored(ub, TTRT_TYPE_F16);

  std::vector<int32_t> tokens{2, 5, 8, 10};
  Vec want;
  for (int32_t t : tokens) {
    Vec x(&embed[t * kHidden], &embed[t * kHidden] + kHidden);
    Vec u = linear(up, x, inter, kHidden, &ubStored);
    Vec act(inter);
    if (c.gated) {
      Vec g = linear(gateW, x, inter, kHidden, &gb);
      for (int64_t i = 0; i < inter; ++i)
        act[i] = c.fn(g[i]) * u[i];
    } else {
      for (int64_t i = 0; i < inter; ++i)
        act[i] = c.fn(u[i]);
    }
    Vec y = linear(down, act, kHidden, inter, &db);
    for (int64_t i = 0; i < kHidden; ++i)
      want.push_back(x[i] + y[i]);
  }
  expectClose(h.run(tokens, 0), want);
  expectClose(h.run({tokens[3]}, 4),
              Vec(want.begin() + 3 * kHidden, want.end()));
}

INSTANTIATE_TEST_SUITE_P(
    Activations, LoweredMLP,
    ::testing::Values(MLPCase{"silu", true, silu}, MLPCase{"gelu", true, gelu},
                      MLPCase{"gelu_tanh", true, geluTanh},
                      MLPCase{"relu", false,
                              [](float x) { return x > 0 ? x : 0.0f; }},
                      MLPCase{"gelu", false, gelu}),
    [](const auto &info) {
      return std::string(info.param.activation) +
             (info.param.gated ? "_gated" : "_plain");
    });

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

struct AttentionCase {
  const char *name;
  int64_t window;   ///< 0: none
  bool interleaved; ///< rope pairing
  double partial;   ///< rotated fraction of a head
  double softcap;   ///< 0: none
  /// Extra #tt.rope parameters (", scaling = yarn, ..."); "" for none.
  const char *scaling = "";
};

/// Rotary inverse frequencies for `rot` rotated dimensions when the
/// sequence holds `len` positions, written from HuggingFace's
/// _compute_*_parameters (modeling_rope_utils.py), and the factor cos and sin
/// are scaled by. `scaling` is "", "yarn" (factor 4, original 64, beta_fast
/// 32, beta_slow 1) or "dynamic" (factor 2, original 4).
std::pair<std::vector<float>, float> refFrequencies(const std::string &scaling,
                                                    int64_t rot, double theta,
                                                    int64_t len) {
  std::vector<float> inv;
  float mscale = 1.0f;
  double base = theta;
  if (scaling == "dynamic" && len > 4) {
    double factor = 2.0, orig = 4;
    base = theta * std::pow(factor * len / orig - (factor - 1),
                            static_cast<double>(rot) / (rot - 2));
  }
  for (int64_t i = 0; i < rot / 2; ++i)
    inv.push_back(1.0f / std::pow(static_cast<float>(base),
                                  static_cast<float>(2 * i) / rot));
  if (scaling == "yarn") {
    double factor = 4.0, orig = 64;
    auto correction = [&](double rotations) {
      return rot * std::log(orig / (rotations * 2 * M_PI)) /
             (2 * std::log(theta));
    };
    double low = std::max(std::floor(correction(32)), 0.0);
    double high = std::min(std::ceil(correction(1)), rot - 1.0);
    if (low == high)
      high += 0.001;
    for (int64_t i = 0; i < rot / 2; ++i) {
      double ramp = std::min(std::max((i - low) / (high - low), 0.0), 1.0);
      double extrapolationFactor = 1 - ramp;
      inv[i] = static_cast<float>(inv[i] / factor * (1 - extrapolationFactor) +
                                  inv[i] * extrapolationFactor);
    }
    mscale = static_cast<float>(0.1 * std::log(factor) + 1);
  }
  return {inv, mscale};
}

class LoweredAttention : public ::testing::TestWithParam<AttentionCase> {};

/// Rotates x [heads][D] in place at position `pos` as tt.attention's rope.
void ropeRef(Vec &x, int64_t heads, int64_t d, int64_t pos, double theta,
             double partial, bool interleaved,
             const std::string &scaling = "", int64_t len = 0) {
  int64_t rot = static_cast<int64_t>(std::floor(d * partial));
  auto [inv, mscale] = refFrequencies(scaling, rot, theta, len);
  for (int64_t h = 0; h < heads; ++h) {
    float *v = &x[h * d];
    Vec orig(v, v + d);
    for (int64_t i = 0; i < rot / 2; ++i) {
      float angle = static_cast<float>(pos) * inv[i];
      float c = std::cos(angle) * mscale, s = std::sin(angle) * mscale;
      int64_t a = interleaved ? 2 * i : i;
      int64_t b = interleaved ? 2 * i + 1 : i + rot / 2;
      v[a] = orig[a] * c - orig[b] * s;
      v[b] = orig[b] * c + orig[a] * s;
    }
  }
}

TEST_P(LoweredAttention, MatchesReference) {
  const AttentionCase &c = GetParam();
  // GQA: 4 query heads over 2 KV heads of 6; hidden 10 (not heads * D).
  constexpr int64_t hidden = 10, heads = 4, kvHeads = 2, d = 6, vocab = 13;
  std::string window =
      c.window ? "window(" + std::to_string(c.window) + ") " : "";
  std::string softcap =
      c.softcap ? "softcap(" + std::to_string(c.softcap) + ") " : "";
  std::string rope =
      "rope<theta = 100.0, partial = " + std::to_string(c.partial) +
      (c.interleaved ? ", interleaved = true" : "") + c.scaling + "> ";
  std::string scaling = std::string(c.scaling).find("yarn") != std::string::npos
                            ? "yarn"
                        : std::string(c.scaling).find("dynamic") !=
                                std::string::npos
                            ? "dynamic"
                            : "";
  Harness h(
      R"mlir(
    func.func @m(%t: tensor<?x?xi32>) -> tensor<?x?x10xf32> {
      %e = tt.weight "embed" : tensor<13x10xf32>
      %x = tt.embedding %t table(%e : tensor<13x10xf32>) : tensor<?x?xi32> -> tensor<?x?x10xf32>
      %y = tt.layer 0 (%h = %x) : tensor<?x?x10xf32> {
        %wq = tt.weight "q" : tensor<24x10xf32>
        %wk = tt.weight "k" : tensor<12x10xf32>
        %wv = tt.weight "v" : tensor<12x10xf32>
        %wo = tt.weight "o" : tensor<10x24xf16>
        %bq = tt.weight "bq" : tensor<24xf32>
        %bk = tt.weight "bk" : tensor<12xf32>
        %bv = tt.weight "bv" : tensor<12xbf16>
        %bo = tt.weight "bo" : tensor<10xf32>
        %a = tt.attention %h heads(4) kv_heads(2) head_dim(6) )mlir" +
      window + softcap + rope +
      R"mlir(q(%wq : tensor<24x10xf32>) k(%wk : tensor<12x10xf32>) v(%wv : tensor<12x10xf32>) o(%wo : tensor<10x24xf16>) q_bias(%bq : tensor<24xf32>) k_bias(%bk : tensor<12xf32>) v_bias(%bv : tensor<12xbf16>) o_bias(%bo : tensor<10xf32>) : tensor<?x?x10xf32>
        %r = tt.add %h, %a : tensor<?x?x10xf32>
        tt.yield %r : tensor<?x?x10xf32>
      }
      %i = tt.weight "eye" : tensor<10x10xf32>
      %l = tt.lm_head %y weight(%i : tensor<10x10xf32>) : tensor<?x?x10xf32> -> tensor<?x?x10xf32>
      return %l : tensor<?x?x10xf32>
    })mlir");
  ASSERT_TRUE(h.ok());
  Vec embed = randomVec(vocab * hidden, 21);
  Vec wq = randomVec(heads * d * hidden, 22),
      wk = randomVec(kvHeads * d * hidden, 23);
  Vec wv = randomVec(kvHeads * d * hidden, 24),
      wo = randomVec(hidden * heads * d, 25);
  Vec bq = randomVec(heads * d, 26), bk = randomVec(kvHeads * d, 27);
  Vec bv = randomVec(kvHeads * d, 28), bo = randomVec(hidden, 29);
  h.bind("embed", embed);
  h.bind("q", wq);
  h.bind("k", wk);
  h.bind("v", wv);
  h.bind("o", wo, TTRT_TYPE_F16);
  h.bind("bq", bq);
  h.bind("bk", bk);
  h.bind("bv", bv, TTRT_TYPE_BF16);
  h.bind("bo", bo);
  h.bind("eye", identity(hidden));
  Vec woS = stored(wo, TTRT_TYPE_F16), bvS = stored(bv, TTRT_TYPE_BF16);

  // Reference: token by token over its own cache.
  std::vector<int32_t> tokens{4, 12, 0, 7, 7, 3, 9, 1};
  std::vector<Vec> kc, vc;
  Vec want;
  float scale = 1.0f / std::sqrt(static_cast<float>(d));
  for (size_t p = 0; p < tokens.size(); ++p) {
    Vec x(&embed[tokens[p] * hidden], &embed[tokens[p] * hidden] + hidden);
    Vec q = linear(wq, x, heads * d, hidden, &bq);
    Vec k = linear(wk, x, kvHeads * d, hidden, &bk);
    Vec v = linear(wv, x, kvHeads * d, hidden, &bvS);
    // The sequence length a step sees: the 5-token prefill sees 5, each
    // later decode step p sees p + 1 (dynamic scaling depends on it).
    int64_t len = p < 5 ? 5 : p + 1;
    ropeRef(q, heads, d, p, 100.0, c.partial, c.interleaved, scaling, len);
    ropeRef(k, kvHeads, d, p, 100.0, c.partial, c.interleaved, scaling, len);
    kc.push_back(k);
    vc.push_back(v);
    Vec out(heads * d, 0.0f);
    int64_t first = c.window ? std::max<int64_t>(0, p - c.window + 1) : 0;
    for (int64_t hd = 0; hd < heads; ++hd) {
      int64_t kvh = hd / (heads / kvHeads);
      std::vector<double> scores;
      for (int64_t j = first; j <= static_cast<int64_t>(p); ++j) {
        double s = 0;
        for (int64_t i = 0; i < d; ++i)
          s += q[hd * d + i] * kc[j][kvh * d + i];
        s *= scale;
        if (c.softcap)
          s = c.softcap * std::tanh(s / c.softcap);
        scores.push_back(s);
      }
      double mx = *std::max_element(scores.begin(), scores.end()), sum = 0;
      for (double &s : scores)
        sum += (s = std::exp(s - mx));
      for (int64_t j = first; j <= static_cast<int64_t>(p); ++j)
        for (int64_t i = 0; i < d; ++i)
          out[hd * d + i] +=
              static_cast<float>(scores[j - first] / sum) * vc[j][kvh * d + i];
    }
    Vec o = linear(woS, out, hidden, heads * d, &bo);
    for (int64_t i = 0; i < hidden; ++i)
      want.push_back(x[i] + o[i]);
  }

  // Prefill 5 (odd), then decode 3 on the same cache.
  Vec got = h.run(std::vector<int32_t>(tokens.begin(), tokens.begin() + 5), 0);
  for (int64_t p = 5; p < 8; ++p) {
    Vec row = h.run({tokens[p]}, p);
    got.insert(got.end(), row.begin(), row.end());
  }
  expectClose(got, want, 2e-4f);
}

INSTANTIATE_TEST_SUITE_P(
    Variants, LoweredAttention,
    ::testing::Values(AttentionCase{"rotate_half", 0, false, 1.0, 0.0},
                      AttentionCase{"interleaved_window3", 3, true, 1.0, 0.0},
                      AttentionCase{"partial_window2_softcap", 2, false,
                                    2.0 / 3, 5.0},
                      AttentionCase{"yarn", 0, false, 1.0, 0.0,
                                    ", scaling = yarn, factor = 4.0, "
                                    "original_max_position = 64"},
                      AttentionCase{"dynamic_ntk", 0, false, 1.0, 0.0,
                                    ", scaling = dynamic, factor = 2.0, "
                                    "original_max_position = 4"}),
    [](const auto &info) { return std::string(info.param.name); });

//===----------------------------------------------------------------------===//
// Embedding and lm_head
//===----------------------------------------------------------------------===//

TEST(LoweredOps, ScaledEmbeddingWithPositionsAndTiedSoftcappedHead) {
  Harness h(R"mlir(
    func.func @m(%t: tensor<?x?xi32>) -> tensor<?x?x11xf32> {
      %e = tt.weight "embed" : tensor<11x7xf16>
      %p = tt.weight "positions" : tensor<16x7xf32>
      %x = tt.embedding %t scale(2.5) table(%e : tensor<11x7xf16>) positions(%p : tensor<16x7xf32>) : tensor<?x?xi32> -> tensor<?x?x7xf32>
      %b = tt.weight "head_bias" : tensor<11xf32>
      %l = tt.lm_head %x softcap(3.0) weight(%e : tensor<11x7xf16>) bias(%b : tensor<11xf32>) : tensor<?x?x7xf32> -> tensor<?x?x11xf32>
      return %l : tensor<?x?x11xf32>
    })mlir");
  ASSERT_TRUE(h.ok());
  Vec embed = randomVec(kVocab * kHidden, 31),
      positions = randomVec(16 * kHidden, 32);
  Vec bias = randomVec(kVocab, 33);
  h.bind("embed", embed, TTRT_TYPE_F16);
  h.bind("positions", positions);
  h.bind("head_bias", bias);
  Vec e = stored(embed, TTRT_TYPE_F16);
  // Tied: one weight, bound once, read by both ops.
  EXPECT_EQ(h.model->compiledWeightNames(),
            (std::vector<std::string>{"embed", "positions", "head_bias"}));

  std::vector<int32_t> tokens{6, 0, 10};
  const int64_t pos0 = 3;
  Vec want;
  for (size_t s = 0; s < tokens.size(); ++s) {
    Vec x(kHidden);
    for (int64_t i = 0; i < kHidden; ++i)
      x[i] = e[tokens[s] * kHidden + i] * 2.5f +
             positions[(pos0 + s) * kHidden + i];
    Vec logits = linear(e, x, kVocab, kHidden, &bias);
    for (float l : logits)
      want.push_back(3.0f * std::tanh(l / 3.0f));
  }
  expectClose(h.run(tokens, pos0), want);
  expectClose(h.run({tokens[1]}, pos0 + 1),
              Vec(want.begin() + kVocab, want.begin() + 2 * kVocab));
}

//===----------------------------------------------------------------------===//
// Mixture of experts
//===----------------------------------------------------------------------===//

struct MoECase {
  const char *name;
  const char *routerNorm;
  bool bias, shared;
};

class LoweredMoE : public ::testing::TestWithParam<MoECase> {};

TEST_P(LoweredMoE, MatchesReference) {
  const MoECase &c = GetParam();
  // 5 experts, top 2, hidden 8, expert intermediate 6; gate stacked f32,
  // up one tensor per expert ({e}), down stacked f16 (rows found through
  // ttrt_row_bytes).
  constexpr int64_t experts = 5, topK = 2, hidden = 8, inter = 6, vocab = 9;
  std::string bias = c.bias ? "router_bias(%rb : tensor<5xf32>) " : "";
  std::string shared =
      c.shared ? "shared_gate(%sg : tensor<4x8xf32>) shared_up(%su : "
                 "tensor<4x8xf32>) shared_down(%sd : tensor<8x4xf32>) "
                 "shared_router(%sr : tensor<1x8xf32>) "
               : "";
  std::string sharedCount = c.shared ? "shared_experts(1) " : "";
  Harness h(
      std::string(R"mlir(
    func.func @m(%t: tensor<?x?xi32>) -> tensor<?x?x8xf32> {
      %e = tt.weight "embed" : tensor<9x8xf32>
      %x = tt.embedding %t table(%e : tensor<9x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
      %y = tt.layer 0 (%h = %x) : tensor<?x?x8xf32> {
        %r = tt.weight "router" : tensor<5x8xf32>
        %rb = tt.weight "router_bias" : tensor<5xf32>
        %g = tt.weight "gate" : tensor<5x6x8xf32>
        %u = tt.weight "experts.{e}.up" : tensor<5x6x8xf32>
        %d = tt.weight "down" : tensor<5x8x6xf16>
        %sg = tt.weight "shared_gate" : tensor<4x8xf32>
        %su = tt.weight "shared_up" : tensor<4x8xf32>
        %sd = tt.weight "shared_down" : tensor<8x4xf32>
        %sr = tt.weight "shared_router" : tensor<1x8xf32>
        %m = tt.moe silu %h experts(5) top_k(2) )mlir") +
      sharedCount + c.routerNorm + R"mlir( router(%r : tensor<5x8xf32>) )mlir" +
      bias +
      R"mlir(gate(%g : tensor<5x6x8xf32>) up(%u : tensor<5x6x8xf32>) down(%d : tensor<5x8x6xf16>) )mlir" +
      shared + R"mlir(: tensor<?x?x8xf32>
        %a = tt.add %h, %m : tensor<?x?x8xf32>
        tt.yield %a : tensor<?x?x8xf32>
      }
      %i = tt.weight "eye" : tensor<8x8xf32>
      %l = tt.lm_head %y weight(%i : tensor<8x8xf32>) : tensor<?x?x8xf32> -> tensor<?x?x8xf32>
      return %l : tensor<?x?x8xf32>
    })mlir");
  ASSERT_TRUE(h.ok());
  Vec embed = randomVec(vocab * hidden, 41);
  Vec router = randomVec(experts * hidden, 42, 2.0f);
  Vec rb = randomVec(experts, 43, 0.5f);
  Vec gate = randomVec(experts * inter * hidden, 44);
  Vec down = randomVec(experts * hidden * inter, 45);
  std::vector<Vec> up;
  for (int64_t e = 0; e < experts; ++e) {
    up.push_back(randomVec(inter * hidden, 50 + e));
    h.bind("experts." + std::to_string(e) + ".up", up.back());
  }
  Vec sg = randomVec(4 * hidden, 61), su = randomVec(4 * hidden, 62);
  Vec sd = randomVec(hidden * 4, 63), sr = randomVec(hidden, 64);
  h.bind("embed", embed);
  h.bind("router", router);
  h.bind("gate", gate);
  h.bind("down", down, TTRT_TYPE_F16);
  h.bind("eye", identity(hidden));
  if (c.bias)
    h.bind("router_bias", rb);
  if (c.shared) {
    h.bind("shared_gate", sg);
    h.bind("shared_up", su);
    h.bind("shared_down", sd);
    h.bind("shared_router", sr);
  }
  Vec downS = stored(down, TTRT_TYPE_F16);
  std::string norm = c.routerNorm;
  bool softmax = norm.rfind("softmax", 0) == 0;
  bool renorm = norm.find("renorm") != std::string::npos;

  std::vector<int32_t> tokens{3, 8, 0, 5, 5, 1, 7};
  Vec want;
  for (int32_t t : tokens) {
    Vec x(&embed[t * hidden], &embed[t * hidden] + hidden);
    Vec logits = linear(router, x, experts, hidden);
    Vec p(experts);
    if (softmax) {
      float mx = *std::max_element(logits.begin(), logits.end());
      double sum = 0;
      for (int64_t e = 0; e < experts; ++e)
        sum += (p[e] = std::exp(logits[e] - mx));
      for (float &v : p)
        v = static_cast<float>(v / sum);
    } else {
      for (int64_t e = 0; e < experts; ++e)
        p[e] = 1.0f / (1.0f + std::exp(-logits[e]));
    }
    Vec sel = p;
    if (c.bias)
      for (int64_t e = 0; e < experts; ++e)
        sel[e] += rb[e];
    std::vector<int64_t> order(experts);
    for (int64_t e = 0; e < experts; ++e)
      order[e] = e;
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return sel[a] > sel[b]; });
    Vec w(experts, 0.0f);
    double total = 0;
    for (int64_t j = 0; j < topK; ++j)
      total += (w[order[j]] = p[order[j]]);
    if (renorm)
      for (float &v : w)
        v = static_cast<float>(v / total);
    Vec y(hidden, 0.0f);
    for (int64_t e = 0; e < experts; ++e) {
      if (w[e] == 0.0f)
        continue;
      Vec ge = linear(
          Vec(&gate[e * inter * hidden], &gate[(e + 1) * inter * hidden]), x,
          inter, hidden);
      Vec ue = linear(up[e], x, inter, hidden);
      Vec act(inter);
      for (int64_t i = 0; i < inter; ++i)
        act[i] = silu(ge[i]) * ue[i];
      Vec de = linear(
          Vec(&downS[e * hidden * inter], &downS[(e + 1) * hidden * inter]),
          act, hidden, inter);
      for (int64_t i = 0; i < hidden; ++i)
        y[i] += w[e] * de[i];
    }
    if (c.shared) {
      Vec g = linear(sg, x, 4, hidden), u = linear(su, x, 4, hidden);
      Vec act(4);
      for (int64_t i = 0; i < 4; ++i)
        act[i] = silu(g[i]) * u[i];
      Vec s = linear(sd, act, hidden, 4);
      float gateS = 1.0f / (1.0f + std::exp(-linear(sr, x, 1, hidden)[0]));
      for (int64_t i = 0; i < hidden; ++i)
        y[i] += s[i] * gateS;
    }
    for (int64_t i = 0; i < hidden; ++i)
      want.push_back(x[i] + y[i]);
  }
  expectClose(h.run(tokens, 0), want, 2e-4f);
  // Decode, one token: only its experts run.
  expectClose(h.run({tokens[4]}, 4),
              Vec(want.begin() + 4 * hidden, want.begin() + 5 * hidden), 2e-4f);
  // The per-expert names are what the compiled code binds.
  auto names = h.model->compiledWeightNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "experts.4.up"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "experts.{e}.up"),
            names.end());
}

INSTANTIATE_TEST_SUITE_P(
    Routing, LoweredMoE,
    ::testing::Values(MoECase{"softmax_renorm", "softmax_renorm", false, false},
                      MoECase{"softmax", "softmax", false, true},
                      MoECase{"sigmoid_renorm_bias", "sigmoid_renorm", true,
                              false},
                      MoECase{"sigmoid_shared", "sigmoid", false, true}),
    [](const auto &info) { return std::string(info.param.name); });

} // namespace
