//===- BatchTest.cpp - The batched decode step against sequential runs ----===//
//
// A two-layer model (GQA, rotary or learned positions, a sliding window and
// a softcap in the second layer, a gated MLP) compiled with tt.decode_batch,
// so it has m_decode_batch besides prefill and decode. Three sequences with
// prompts of different lengths run one after the other (prefill, then decode
// token by token over their own KV cache) and together: each prompt
// prefilled into its own slot, then batched steps where row b is sequence
// b's next token at its own position; a sequence that ends leaves the batch
// (the last slot takes its place). Every batched row's logits must match the
// sequential run's for that token. Variants: partial interleaved rope with
// learned position embeddings, dynamic NTK (reads the sequence length), an
// f16 KV cache with the rope fused into the attention call (tt-kv-cache,
// tt-fuse), ALiBi over an int8 cache; and stories260K (rotary, GQA) through the runtime's own context
// when ../shared is there.
//
//===----------------------------------------------------------------------===//

#include "SharedPath.h"

#include "tt/Conversion/TTToLinalg/TTToLinalg.h"
#include "tt/Import/GGUFImporter.h"
#include "tt/Runtime/Context.h"
#include "tt/Runtime/WeightStore.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"
#include "tt/Target/CPU/CPUTarget.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

using namespace tt;

namespace {

using Vec = std::vector<float>;

Vec randomVec(size_t n, unsigned seed, float scale = 0.5f) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-scale, scale);
  Vec v(n);
  for (float &x : v)
    x = dist(gen);
  return v;
}

/// Weights by name, and `slots` KV caches per layer (rows of the cache
/// type), as the runtime's ttrt_context holds them: what ttrt_weight,
/// ttrt_kv_cache (the current slot) and ttrt_kv_cache_slots return.
struct SlotContext {
  std::map<std::string, Vec> weights;
  std::vector<std::vector<uint8_t>> storage;
  /// [2 * layer + which][slot]
  std::vector<std::vector<void *>> slotCaches;
  int64_t slot = 0, numSlots = 0;

  SlotContext(const ModelLayout &layout, int64_t context, int64_t slots)
      : numSlots(slots) {
    storage.reserve(layout.layers.size() * 2 * slots);
    for (const ModelLayout::KVLayer &l : layout.layers)
      for (int which = 0; which < 2; ++which) {
        slotCaches.emplace_back();
        for (int64_t s = 0; s < slots; ++s) {
          storage.emplace_back(context * l.kvHeads *
                                   ttrt_kv_row_bytes(l.kvType, l.headDim),
                               0);
          slotCaches.back().push_back(storage.back().data());
        }
      }
  }
  ttrt_context *get() { return reinterpret_cast<ttrt_context *>(this); }
  static SlotContext &of(ttrt_context *c) {
    return *reinterpret_cast<SlotContext *>(c);
  }
  void swapSlots(int64_t a, int64_t b) {
    for (auto &perSlot : slotCaches)
      std::swap(perSlot[a], perSlot[b]);
  }

  static const void *weight(ttrt_context *c, const char *name, int32_t *type) {
    auto it = of(c).weights.find(name);
    if (it == of(c).weights.end()) {
      std::fprintf(stderr, "slot context: no weight '%s'\n", name);
      std::abort();
    }
    if (type)
      *type = TTRT_TYPE_F32;
    return it->second.data();
  }
  static float *kvCache(ttrt_context *c, int64_t layer, int32_t which) {
    SlotContext &s = of(c);
    return static_cast<float *>(s.slotCaches.at(2 * layer + which)[s.slot]);
  }
  static void *const *kvCacheSlots(ttrt_context *c, int64_t layer,
                                   int32_t which, int64_t count) {
    SlotContext &s = of(c);
    if (count > s.numSlots)
      std::abort();
    return s.slotCaches.at(2 * layer + which).data();
  }
  static int64_t logitRows(ttrt_context *, int64_t n) { return n; }

  static JITOptions jitOptions() {
    JITOptions options;
    options.optLevel = 1; // the same code for both runs; compiles faster
    options.symbols["ttrt_weight"] = reinterpret_cast<void *>(&weight);
    options.symbols["ttrt_kv_cache"] = reinterpret_cast<void *>(&kvCache);
    options.symbols["ttrt_kv_cache_slots"] =
        reinterpret_cast<void *>(&kvCacheSlots);
    options.symbols["ttrt_logit_rows"] = reinterpret_cast<void *>(&logitRows);
    return options;
  }
};

constexpr int64_t kVocab = 19, kHidden = 16, kInter = 24, kContext = 32;

struct Variant {
  const char *name;
  std::string rope;      ///< the attention's rope (empty: none)
  std::string attrs;     ///< attributes of the attention ops
  bool positions = false; ///< learned position embeddings
};

std::string modelSource(const Variant &v) {
  std::string embedding =
      v.positions
          ? "%p = tt.weight \"pos\" : tensor<32x16xf32>\n"
            "%x = tt.embedding %t table(%e : tensor<19x16xf32>) positions(%p "
            ": tensor<32x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>\n"
          : "%x = tt.embedding %t table(%e : tensor<19x16xf32>) : "
            "tensor<?x?xi32> -> tensor<?x?x16xf32>\n";
  auto layer = [&](int i, const std::string &extra) {
    std::string l = std::to_string(i);
    return "%y" + std::to_string(i + 1) + " = tt.layer " + l + " (%h = %y" +
           l + R"mlir() : tensor<?x?x16xf32> {
        %nw = tt.weight "n)mlir" + l + R"mlir(" : tensor<16xf32>
        %n = tt.norm rms pre %h eps(1.0e-05) weight(%nw : tensor<16xf32>) : tensor<?x?x16xf32>
        %wq = tt.weight "q)mlir" + l + R"mlir(" : tensor<16x16xf32>
        %wk = tt.weight "k)mlir" + l + R"mlir(" : tensor<8x16xf32>
        %wv = tt.weight "v)mlir" + l + R"mlir(" : tensor<8x16xf32>
        %wo = tt.weight "o)mlir" + l + R"mlir(" : tensor<16x16xf32>
        %a = tt.attention %n heads(4) kv_heads(2) )mlir" +
           extra + " " + v.rope + R"mlir( q(%wq : tensor<16x16xf32>) k(%wk : tensor<8x16xf32>) v(%wv : tensor<8x16xf32>) o(%wo : tensor<16x16xf32>) )mlir" +
           v.attrs + R"mlir( : tensor<?x?x16xf32>
        %r = tt.add %h, %a : tensor<?x?x16xf32>
        %mw = tt.weight "m)mlir" + l + R"mlir(" : tensor<16xf32>
        %m = tt.norm rms pre %r eps(1.0e-05) weight(%mw : tensor<16xf32>) : tensor<?x?x16xf32>
        %wg = tt.weight "g)mlir" + l + R"mlir(" : tensor<24x16xf32>
        %wu = tt.weight "u)mlir" + l + R"mlir(" : tensor<24x16xf32>
        %wd = tt.weight "d)mlir" + l + R"mlir(" : tensor<16x24xf32>
        %f = tt.mlp silu %m up(%wu : tensor<24x16xf32>) gate(%wg : tensor<24x16xf32>) down(%wd : tensor<16x24xf32>) : tensor<?x?x16xf32>
        %r2 = tt.add %r, %f : tensor<?x?x16xf32>
        tt.yield %r2 : tensor<?x?x16xf32>
      }
)mlir";
  };
  return "module attributes {tt.decode_batch} {\n"
         "func.func @m(%t: tensor<?x?xi32>) -> tensor<?x?x19xf32> {\n"
         "%e = tt.weight \"embed\" : tensor<19x16xf32>\n" +
         embedding + "%y0 = tt.add %x, %x : tensor<?x?x16xf32>\n" +
         layer(0, "") + layer(1, "window(3) softcap(20.0)") + R"mlir(
      %fw = tt.weight "final" : tensor<16xf32>
      %z = tt.norm rms final %y2 eps(1.0e-05) weight(%fw : tensor<16xf32>) : tensor<?x?x16xf32>
      %hw = tt.weight "head" : tensor<19x16xf32>
      %l = tt.lm_head %z weight(%hw : tensor<19x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x19xf32>
      return %l : tensor<?x?x19xf32>
    }
  })mlir";
}

class BatchedDecode : public ::testing::TestWithParam<Variant> {};

TEST_P(BatchedDecode, RowsMatchSequentialRuns) {
  mlir::MLIRContext mctx;
  mlir::DialectRegistry registry;
  registerCPUTargetDialects(registry);
  mctx.appendDialectRegistry(registry);
  mctx.loadAllAvailableDialects();
  std::string source = modelSource(GetParam());
  auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &mctx);
  ASSERT_TRUE(module) << source;
  auto jit = JITModel::compile(*module, SlotContext::jitOptions());
  ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());
  JITModel &model = **jit;
  auto entry = model.lookupEntryPoint("_decode_batch");
  ASSERT_TRUE(bool(entry)) << llvm::toString(entry.takeError());
  using BatchFn = void (*)(ttrt_context *, const int32_t *, int64_t,
                           const int64_t *, float *);
  auto decodeBatch = reinterpret_cast<BatchFn>(*entry);

  // Weights: random, shared by both contexts.
  std::map<std::string, Vec> weights;
  unsigned seed = 1;
  auto add = [&](const std::string &name, size_t n, float scale = 0.5f) {
    weights[name] = randomVec(n, seed++, scale);
  };
  add("embed", kVocab * kHidden);
  add("pos", kContext * kHidden);
  for (int l = 0; l <= 1; ++l) {
    std::string s = std::to_string(l);
    add("n" + s, kHidden);
    add("m" + s, kHidden);
    add("q" + s, kHidden * kHidden);
    add("k" + s, 8 * kHidden);
    add("v" + s, 8 * kHidden);
    add("o" + s, kHidden * kHidden);
    add("g" + s, kInter * kHidden);
    add("u" + s, kInter * kHidden);
    add("d" + s, kHidden * kInter);
  }
  add("final", kHidden);
  add("head", kVocab * kHidden);

  // Prompts of different lengths, then the tokens each sequence is fed
  // (fixed, not sampled, so both runs see the same inputs).
  std::vector<std::vector<int32_t>> prompts{
      {1, 5, 9, 2, 11}, {3, 18}, {7, 7, 0, 14, 6, 12, 4}};
  std::vector<std::vector<int32_t>> fed{
      {4, 8, 15, 16, 2, 1}, {10, 3, 3, 9}, {17, 1, 5, 6, 0, 8, 13, 2}};

  // Sequential: each sequence alone, prefill then one decode per token.
  std::vector<std::vector<Vec>> want(prompts.size());
  std::vector<Vec> wantPrefill(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    SlotContext c(model.layout(), kContext, 1);
    c.weights = weights;
    int64_t n = prompts[i].size();
    Vec logits(n * kVocab);
    model.prefill()(c.get(), prompts[i].data(), n, 0, logits.data());
    wantPrefill[i] = Vec(logits.end() - kVocab, logits.end());
    for (size_t t = 0; t < fed[i].size(); ++t) {
      Vec step(kVocab);
      model.decode()(c.get(), &fed[i][t], 1, n + t, step.data());
      want[i].push_back(step);
    }
  }

  // Batched: prefill each into its slot, then steps over the live ones.
  SlotContext c(model.layout(), kContext, 3);
  c.weights = weights;
  std::vector<size_t> rowSeq; // row b holds sequence rowSeq[b]
  std::vector<size_t> step(prompts.size(), 0);
  for (size_t i = 0; i < prompts.size(); ++i) {
    c.slot = i;
    int64_t n = prompts[i].size();
    Vec logits(n * kVocab);
    model.prefill()(c.get(), prompts[i].data(), n, 0, logits.data());
    for (int64_t v = 0; v < kVocab; ++v)
      ASSERT_EQ(logits[(n - 1) * kVocab + v], wantPrefill[i][v]);
    rowSeq.push_back(i);
  }
  int64_t batchedRows = 0;
  while (!rowSeq.empty()) {
    const int64_t B = rowSeq.size();
    std::vector<int32_t> tokens;
    std::vector<int64_t> positions;
    for (size_t i : rowSeq) {
      tokens.push_back(fed[i][step[i]]);
      positions.push_back(prompts[i].size() + step[i]);
    }
    Vec logits(B * kVocab, std::nanf(""));
    decodeBatch(c.get(), tokens.data(), B, positions.data(), logits.data());
    for (int64_t b = 0; b < B; ++b) {
      size_t i = rowSeq[b];
      const Vec &w = want[i][step[i]];
      for (int64_t v = 0; v < kVocab; ++v)
        ASSERT_NEAR(logits[b * kVocab + v], w[v], 1e-5f * (1 + std::fabs(w[v])))
            << "sequence " << i << " step " << step[i] << " (row " << b
            << " of " << B << ") logit " << v;
      ++step[i];
      ++batchedRows;
    }
    // Finished sequences leave; the last row's slot takes the place.
    for (int64_t b = B - 1; b >= 0; --b)
      if (step[rowSeq[b]] == fed[rowSeq[b]].size()) {
        int64_t last = rowSeq.size() - 1;
        c.swapSlots(b, last);
        std::swap(rowSeq[b], rowSeq[last]);
        rowSeq.pop_back();
      }
  }
  EXPECT_EQ(batchedRows, 6 + 4 + 8);
}

INSTANTIATE_TEST_SUITE_P(
    Variants, BatchedDecode,
    ::testing::Values(
        Variant{"partial_interleaved_rope_and_learned_positions",
                "rope<theta = 500.0, partial = 0.5, interleaved = true>", "",
                true},
        Variant{"dynamic_ntk",
                "rope<theta = 10000.0, scaling = dynamic, factor = 2.0, "
                "original_max_position = 6>",
                "", false},
        Variant{"f16_cache_fused_rope", "rope<theta = 10000.0>",
                "{tt.fuse = [\"rope\"], tt.kv_cache_dtype = f16}", false},
        Variant{"alibi_i8_cache", "alibi", "{tt.kv_cache_dtype = i8}",
                false}),
    [](const auto &info) { return std::string(info.param.name); });

//===----------------------------------------------------------------------===//
// stories260K through the runtime's own context (slots, swapSlots)
//===----------------------------------------------------------------------===//

TEST(BatchedDecodeStories260K, RowsMatchSequentialRuns) {
  std::string path = test::sharedPath("models/stories260K/stories260K.gguf");
  if (!llvm::sys::fs::exists(path))
    GTEST_SKIP() << "no " << path;
  mlir::MLIRContext mctx;
  mlir::DialectRegistry registry;
  registerCPUTargetDialects(registry);
  mctx.appendDialectRegistry(registry);
  mctx.loadAllAvailableDialects();
  auto module = importGGUF(mctx, path, test::sourceDir() + "/data/families");
  ASSERT_TRUE(module);
  (*module)->setAttr(kDecodeBatchAttrName, mlir::UnitAttr::get(&mctx));
  JITOptions options;
  options.optLevel = 1;
  auto jit = JITModel::compile(*module, options);
  ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());
  JITModel &model = **jit;
  auto entry = model.lookupEntryPoint("_decode_batch");
  ASSERT_TRUE(bool(entry)) << llvm::toString(entry.takeError());
  using BatchFn = void (*)(ttrt_context *, const int32_t *, int64_t,
                           const int64_t *, float *);
  auto decodeBatch = reinterpret_cast<BatchFn>(*entry);
  const int64_t vocab = model.layout().vocabSize;
  auto newContext = [&](int64_t slots) {
    auto store = WeightStore::open(path);
    EXPECT_TRUE(bool(store));
    std::vector<KVCacheShape> shapes;
    for (const ModelLayout::KVLayer &l : model.layout().layers)
      shapes.push_back({l.kvHeads, l.headDim, l.kvType});
    auto c = ttrt_context::create(std::move(*store), shapes, 64, slots);
    EXPECT_TRUE(bool(c)) << llvm::toString(c.takeError());
    llvm::Error bound = (*c)->bindAll(model.compiledWeightNames());
    EXPECT_FALSE(bool(bound)) << llvm::toString(std::move(bound));
    return std::move(*c);
  };

  std::vector<std::vector<int32_t>> prompts{
      {1, 403, 407, 261, 378}, {1, 16}, {1, 67, 300, 12, 9, 200, 411}};
  std::vector<std::vector<int32_t>> fed{
      {44, 80, 150, 16, 2, 1}, {10, 3, 3, 9}, {17, 1, 5, 6, 0, 8, 13, 2}};
  std::vector<std::vector<Vec>> want(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    auto c = newContext(1);
    int64_t n = prompts[i].size();
    Vec logits(n * vocab);
    model.prefill()(c.get(), prompts[i].data(), n, 0, logits.data());
    for (size_t t = 0; t < fed[i].size(); ++t) {
      Vec step(vocab);
      model.decode()(c.get(), &fed[i][t], 1, n + t, step.data());
      want[i].push_back(step);
    }
  }
  auto c = newContext(3);
  EXPECT_EQ(c->getNumSlots(), 3);
  EXPECT_EQ(c->getCacheBytes(), 3 * newContext(1)->getCacheBytes());
  {
    auto store = WeightStore::open(path);
    ASSERT_TRUE(bool(store));
    auto none = ttrt_context::create(std::move(*store), {{4, 8}}, 16, 0);
    ASSERT_FALSE(bool(none));
    EXPECT_EQ(llvm::toString(none.takeError()),
              "runtime context: 0 sequence slots; at least one is needed");
  }
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(c->setSlot(3), "slot 3 does not exist \\(3 slots\\)");
  EXPECT_DEATH(ttrt_kv_cache_slots(c.get(), 0, 0, 4),
               "a batch of 4 sequences, but the context has 3 KV-cache slots");
  // As tt-run runs it: prefill logits for the last row only.
  c->setLastLogitsOnly(true);
  std::vector<size_t> rowSeq;
  std::vector<size_t> step(prompts.size(), 0);
  for (size_t i = 0; i < prompts.size(); ++i) {
    c->setSlot(i);
    int64_t n = prompts[i].size();
    Vec logits(n * vocab);
    model.prefill()(c.get(), prompts[i].data(), n, 0, logits.data());
    rowSeq.push_back(i);
  }
  while (!rowSeq.empty()) {
    const int64_t B = rowSeq.size();
    std::vector<int32_t> tokens;
    std::vector<int64_t> positions;
    for (size_t i : rowSeq) {
      tokens.push_back(fed[i][step[i]]);
      positions.push_back(prompts[i].size() + step[i]);
    }
    Vec logits(B * vocab, std::nanf(""));
    decodeBatch(c.get(), tokens.data(), B, positions.data(), logits.data());
    for (int64_t b = 0; b < B; ++b) {
      size_t i = rowSeq[b];
      const Vec &w = want[i][step[i]];
      for (int64_t v = 0; v < vocab; ++v)
        ASSERT_NEAR(logits[b * vocab + v], w[v], 1e-5f * (1 + std::fabs(w[v])))
            << "sequence " << i << " step " << step[i] << " (row " << b
            << " of " << B << ") logit " << v;
      ++step[i];
    }
    for (int64_t b = B - 1; b >= 0; --b)
      if (step[rowSeq[b]] == fed[rowSeq[b]].size()) {
        int64_t last = rowSeq.size() - 1;
        c->swapSlots(b, last);
        std::swap(rowSeq[b], rowSeq[last]);
        rowSeq.pop_back();
      }
  }
}

} // namespace
