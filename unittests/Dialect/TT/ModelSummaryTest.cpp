//===- ModelSummaryTest.cpp - The model summary behind --tt-report --------===//

#include "tt/Dialect/TT/Analysis/ModelSummary.h"
#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

using namespace tt;

namespace {

// A one-layer MoE model with a tied embedding: vocab 100, hidden 16,
// 4 heads of 4 with 2 KV heads, 4 experts of intermediate 8, top-2.
constexpr const char *kTinyMoE = R"mlir(
module {
  func.func @tiny_moe(%t: tensor<?x?xi32>) -> tensor<?x?x100xf32> {
    %emb = tt.weight "embed" : tensor<100x16xf32>
    %x = tt.embedding %t table(%emb : tensor<100x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %y = tt.layer 0 (%h = %x) : tensor<?x?x16xf32> {
      %n1w = tt.weight "l0.n1" : tensor<16xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-06) weight(%n1w : tensor<16xf32>) : tensor<?x?x16xf32>
      %wq = tt.weight "l0.q" : tensor<16x16xf32>
      %wk = tt.weight "l0.k" : tensor<8x16xf32>
      %wv = tt.weight "l0.v" : tensor<8x16xf32>
      %wo = tt.weight "l0.o" : tensor<16x16xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) rope<theta = 10000.0> q(%wq : tensor<16x16xf32>) k(%wk : tensor<8x16xf32>) v(%wv : tensor<8x16xf32>) o(%wo : tensor<16x16xf32>) : tensor<?x?x16xf32>
      %r = tt.add %h, %a : tensor<?x?x16xf32>
      %n2w = tt.weight "l0.n2" : tensor<16xf32>
      %n2 = tt.norm rms pre %r eps(1.0e-06) weight(%n2w : tensor<16xf32>) : tensor<?x?x16xf32>
      %router = tt.weight "l0.router" : tensor<4x16xf32>
      %g = tt.weight "l0.experts.{e}.gate" : tensor<4x8x16xf32>
      %u = tt.weight "l0.experts.{e}.up" : tensor<4x8x16xf32>
      %d = tt.weight "l0.experts.{e}.down" : tensor<4x16x8xf32>
      %m = tt.moe silu %n2 experts(4) top_k(2) softmax_renorm router(%router : tensor<4x16xf32>) gate(%g : tensor<4x8x16xf32>) up(%u : tensor<4x8x16xf32>) down(%d : tensor<4x16x8xf32>) : tensor<?x?x16xf32>
      %r2 = tt.add %r, %m : tensor<?x?x16xf32>
      tt.yield %r2 : tensor<?x?x16xf32>
    }
    %nfw = tt.weight "norm" : tensor<16xf32>
    %nf = tt.norm rms final %y eps(1.0e-06) weight(%nfw : tensor<16xf32>) : tensor<?x?x16xf32>
    %logits = tt.lm_head %nf weight(%emb : tensor<100x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x100xf32>
    return %logits : tensor<?x?x100xf32>
  }
}
)mlir";

class ModelSummaryTest : public ::testing::Test {
protected:
  ModelSummaryTest() {
    ctx.loadDialect<TTDialect, func::FuncDialect>();
  }
  OwningOpRef<ModuleOp> parse(StringRef source) {
    return parseSourceString<ModuleOp>(source, &ctx);
  }
  MLIRContext ctx;
};

TEST_F(ModelSummaryTest, CountsATiedWeightOnceAndOnlyActiveExperts) {
  OwningOpRef<ModuleOp> module = parse(kTinyMoE);
  ASSERT_TRUE(module);
  FailureOr<ModelSummary> s = summarizeModel(*module, 8, 8);
  ASSERT_TRUE(succeeded(s));
  // embed 1600 + norms 3*16 + attention 256+128+128+256 + router 64
  // + experts 3*512; the tied lm_head adds nothing.
  EXPECT_EQ(s->totalParams, 1600 + 48 + 768 + 64 + 1536);
  // Per token only 2 of the 4 experts (384 parameters each) run.
  EXPECT_EQ(s->activeParams, 1600 + 48 + 768 + 64 + 2 * 384);
  EXPECT_EQ(s->numLayers, 1);
  EXPECT_EQ(s->hiddenSize, 16);
  EXPECT_EQ(s->vocabSize, 100);
  // K and V, 2 heads of 4, f16.
  EXPECT_EQ(s->kvCacheBytesPerToken, 2 * 2 * 4 * 2);
  EXPECT_DOUBLE_EQ(s->weightBytes, 4.0 * s->totalParams);

  bool sawMoE = false;
  for (const LayerTypeSummary &t : s->layerTypes) {
    if (t.name != "moe")
      continue;
    sawMoE = true;
    EXPECT_EQ(t.cls, "MoE");
    EXPECT_EQ(t.count, 1);
    EXPECT_EQ(t.parameterCount, 64 + 1536);
    EXPECT_EQ(*t.specs.getInteger("top_k"), 2);
    EXPECT_EQ(*t.specs.getInteger("active_parameter_count"), 64 + 2 * 384);
  }
  EXPECT_TRUE(sawMoE);
}

TEST_F(ModelSummaryTest, DecodeFlopsFollowTheFormula) {
  OwningOpRef<ModuleOp> module = parse(kTinyMoE);
  ASSERT_TRUE(module);
  FailureOr<ModelSummary> s = summarizeModel(*module, 8, 8);
  ASSERT_TRUE(succeeded(s));
  double matmuls = 2.0 * (768 + 64 + 2 * 384 + 1600);
  double attention = 4.0 * 4 * 4 * 8; // heads * head_dim * context
  EXPECT_DOUBLE_EQ(s->decodeFlopsPerToken, matmuls + attention);
  // Prefill over 8 tokens attends (8 + 1) / 2 positions on average.
  EXPECT_DOUBLE_EQ(s->prefillFlopsPerToken, matmuls + 4.0 * 4 * 4 * 4.5);
}

TEST_F(ModelSummaryTest, RejectsOneWeightNameWithTwoTypes) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%t: tensor<?xi32>) -> tensor<?x10xf32> {
      %a = tt.weight "shared" : tensor<10x4xf32>
      %x = tt.embedding %t table(%a : tensor<10x4xf32>) : tensor<?xi32> -> tensor<?x4xf32>
      %b = tt.weight "shared" : tensor<10x4xf16>
      %l = tt.lm_head %x weight(%b : tensor<10x4xf16>) : tensor<?x4xf32> -> tensor<?x10xf32>
      return %l : tensor<?x10xf32>
    })mlir");
  ASSERT_TRUE(module);
  std::string message;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  EXPECT_TRUE(failed(summarizeModel(*module, 1, 1)));
  EXPECT_NE(message.find("weight 'shared' has type"), std::string::npos)
      << message;
}

} // namespace
