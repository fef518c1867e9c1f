//===- EstimateTest.cpp - Hardware profiles and the roofline estimate -----===//

#include "tt/Dialect/TT/Analysis/Estimate.h"
#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

#include <cstdlib>

using namespace tt;

namespace {

// Two dense layers and a tied embedding: vocab 100, hidden 16, 4 heads of 4
// with 2 KV heads, intermediate 32, f32.
//   layer: q 256 + k 128 + v 128 + o 256 + mlp 3*512 + norms 32 = 2336
//   total: 2*2336 + table 1600 (tied: once) + final norm 16 = 6288 params
constexpr const char *kTinyDense = R"mlir(
module {
  func.func @tiny(%t: tensor<?x?xi32>) -> tensor<?x?x100xf32> {
    %emb = tt.weight "embed" : tensor<100x16xf32>
    %x = tt.embedding %t table(%emb : tensor<100x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %y0 = tt.layer 0 (%h = %x) : tensor<?x?x16xf32> {
      %n1w = tt.weight "l0.n1" : tensor<16xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-06) weight(%n1w : tensor<16xf32>) : tensor<?x?x16xf32>
      %wq = tt.weight "l0.q" : tensor<16x16xf32>
      %wk = tt.weight "l0.k" : tensor<8x16xf32>
      %wv = tt.weight "l0.v" : tensor<8x16xf32>
      %wo = tt.weight "l0.o" : tensor<16x16xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) q(%wq : tensor<16x16xf32>) k(%wk : tensor<8x16xf32>) v(%wv : tensor<8x16xf32>) o(%wo : tensor<16x16xf32>) : tensor<?x?x16xf32>
      %r = tt.add %h, %a : tensor<?x?x16xf32>
      %n2w = tt.weight "l0.n2" : tensor<16xf32>
      %n2 = tt.norm rms pre %r eps(1.0e-06) weight(%n2w : tensor<16xf32>) : tensor<?x?x16xf32>
      %wu = tt.weight "l0.up" : tensor<32x16xf32>
      %wg = tt.weight "l0.gate" : tensor<32x16xf32>
      %wd = tt.weight "l0.down" : tensor<16x32xf32>
      %m = tt.mlp silu %n2 up(%wu : tensor<32x16xf32>) gate(%wg : tensor<32x16xf32>) down(%wd : tensor<16x32xf32>) : tensor<?x?x16xf32>
      %r2 = tt.add %r, %m : tensor<?x?x16xf32>
      tt.yield %r2 : tensor<?x?x16xf32>
    }
    %y1 = tt.layer 1 (%h = %y0) : tensor<?x?x16xf32> {
      %n1w = tt.weight "l1.n1" : tensor<16xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-06) weight(%n1w : tensor<16xf32>) : tensor<?x?x16xf32>
      %wq = tt.weight "l1.q" : tensor<16x16xf32>
      %wk = tt.weight "l1.k" : tensor<8x16xf32>
      %wv = tt.weight "l1.v" : tensor<8x16xf32>
      %wo = tt.weight "l1.o" : tensor<16x16xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) q(%wq : tensor<16x16xf32>) k(%wk : tensor<8x16xf32>) v(%wv : tensor<8x16xf32>) o(%wo : tensor<16x16xf32>) : tensor<?x?x16xf32>
      %r = tt.add %h, %a : tensor<?x?x16xf32>
      %n2w = tt.weight "l1.n2" : tensor<16xf32>
      %n2 = tt.norm rms pre %r eps(1.0e-06) weight(%n2w : tensor<16xf32>) : tensor<?x?x16xf32>
      %wu = tt.weight "l1.up" : tensor<32x16xf32>
      %wg = tt.weight "l1.gate" : tensor<32x16xf32>
      %wd = tt.weight "l1.down" : tensor<16x32xf32>
      %m = tt.mlp silu %n2 up(%wu : tensor<32x16xf32>) gate(%wg : tensor<32x16xf32>) down(%wd : tensor<16x32xf32>) : tensor<?x?x16xf32>
      %r2 = tt.add %r, %m : tensor<?x?x16xf32>
      tt.yield %r2 : tensor<?x?x16xf32>
    }
    %nfw = tt.weight "norm" : tensor<16xf32>
    %nf = tt.norm rms final %y1 eps(1.0e-06) weight(%nfw : tensor<16xf32>) : tensor<?x?x16xf32>
    %logits = tt.lm_head %nf weight(%emb : tensor<100x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x100xf32>
    return %logits : tensor<?x?x100xf32>
  }
}
)mlir";

// A profile with round numbers: 1 TFLOP/s f32, 1 GB/s, 1 MB, 0.5 GB/s link.
constexpr const char *kToyProfile = R"json({
  "name": "toy",
  "peak_tflops": {"f32": 1, "int8": 4},
  "memory_bandwidth_gb_per_s": 1,
  "memory_capacity_gb": 0.001,
  "interconnect": {"name": "wire", "gb_per_s_per_direction": 0.5},
  "max_devices": 4,
  "weight_dtypes": ["f32", "int8", "int4"],
  "source": "made up for the test"
})json";

class EstimateTest : public ::testing::Test {
protected:
  EstimateTest() { ctx.loadDialect<TTDialect, func::FuncDialect>(); }
  OwningOpRef<ModuleOp> parse(StringRef source) {
    return parseSourceString<ModuleOp>(source, &ctx);
  }
  HardwareProfile toy() {
    auto p = parseHardwareProfile(kToyProfile, "toy.json");
    EXPECT_TRUE(static_cast<bool>(p)) << llvm::toString(p.takeError());
    return *p;
  }
  MLIRContext ctx;
};

TEST(EstimateArithmetic, Roofline) {
  // 1e12 FLOPs at 1e12 FLOP/s: 1 s; 3e9 B at 1e9 B/s: 3 s -> memory-bound.
  EXPECT_DOUBLE_EQ(rooflineSeconds(1e12, 3e9, 1e12, 1e9), 3.0);
  EXPECT_DOUBLE_EQ(rooflineSeconds(5e12, 3e9, 1e12, 1e9), 5.0);
  EXPECT_DOUBLE_EQ(rooflineSeconds(0, 0, 1e12, 1e9), 0.0);
}

TEST(EstimateArithmetic, Collectives) {
  // Ring all-reduce: 2 (n-1)/n of the message.
  EXPECT_DOUBLE_EQ(ringAllReduceBytes(1000, 1), 0);
  EXPECT_DOUBLE_EQ(ringAllReduceBytes(1000, 2), 1000);
  EXPECT_DOUBLE_EQ(ringAllReduceBytes(1000, 4), 1500);
  EXPECT_DOUBLE_EQ(ringAllReduceBytes(1000, 8), 1750);
  // All-to-all: dispatch + combine of top-k copies, (n-1)/n remote.
  EXPECT_DOUBLE_EQ(allToAllBytes(1000, 2, 1), 0);
  EXPECT_DOUBLE_EQ(allToAllBytes(1000, 2, 2), 2000);
  EXPECT_DOUBLE_EQ(allToAllBytes(1000, 2, 8), 3500);
}

TEST(EstimateArithmetic, BalanceStages) {
  std::vector<double> uniform(32, 1.0);
  EXPECT_EQ(balanceStages(uniform, 0, 0, 1), std::vector<int64_t>{32});
  EXPECT_EQ(balanceStages(uniform, 0, 0, 4),
            (std::vector<int64_t>{8, 8, 8, 8}));
  // Llama-3-8B's shape: embedding and lm_head 2.36 layers each.
  EXPECT_EQ(balanceStages(uniform, 2.36, 2.36, 4),
            (std::vector<int64_t>{7, 9, 9, 7}));
  EXPECT_EQ(balanceStages(uniform, 2.36, 2.36, 2),
            (std::vector<int64_t>{16, 16}));
  // A heavy last stage pushes layers forward.
  EXPECT_EQ(balanceStages(uniform, 0, 4, 2), (std::vector<int64_t>{18, 14}));
  // Uneven layers: the heavy one gets a stage to itself.
  std::vector<double> uneven = {1, 1, 6, 1, 1};
  EXPECT_EQ(balanceStages(uneven, 0, 0, 3), (std::vector<int64_t>{2, 1, 2}));
  // As many stages as layers.
  EXPECT_EQ(balanceStages(uneven, 0, 0, 5),
            (std::vector<int64_t>{1, 1, 1, 1, 1}));
}

TEST_F(EstimateTest, ParsesProfile) {
  HardwareProfile p = toy();
  EXPECT_EQ(p.name, "toy");
  EXPECT_DOUBLE_EQ(p.memoryBandwidth, 1e9);
  EXPECT_DOUBLE_EQ(p.memoryCapacity, 1e6);
  EXPECT_DOUBLE_EQ(p.interconnectBandwidth, 0.5e9);
  EXPECT_EQ(p.maxDevices, 4);
  ASSERT_EQ(p.sources.size(), 1u);
  // Fallbacks: bf16 has no peak here, f32 is next along its chain; int4
  // falls to int8.
  std::string key;
  EXPECT_DOUBLE_EQ(p.peakFor("f32", &key), 1e12);
  EXPECT_EQ(key, "f32");
  EXPECT_DOUBLE_EQ(p.peakFor("bf16", &key), 1e12);
  EXPECT_EQ(key, "f32");
  EXPECT_DOUBLE_EQ(p.peakFor("int4", &key), 4e12);
  EXPECT_EQ(key, "int8");
}

TEST_F(EstimateTest, ProfileErrorsNameTheProblem) {
  // The second comma of line 2 is at column 14.
  auto syntax = parseHardwareProfile("{\n \"name\": \"x\",,\n}", "p.json");
  ASSERT_FALSE(static_cast<bool>(syntax));
  EXPECT_EQ(llvm::toString(syntax.takeError()),
            "p.json:2:14: invalid JSON: Expected object key");
  auto missing = parseHardwareProfile(
      R"({"name": "x", "peak_tflops": {"f32": 1},
          "memory_bandwidth_gb_per_s": 1, "memory_capacity_gb": 1,
          "source": "s"})",
      "p.json");
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_EQ(llvm::toString(missing.takeError()),
            "p.json: missing key 'interconnect'");
  auto typo = parseHardwareProfile(R"({"nmae": "x"})", "p.json");
  ASSERT_FALSE(static_cast<bool>(typo));
  EXPECT_NE(llvm::toString(typo.takeError()).find("unknown key 'nmae'"),
            std::string::npos);
}

TEST_F(EstimateTest, BundledProfilesParse) {
  std::string dir = getDefaultHardwareDir();
  if (!llvm::sys::fs::is_directory(dir))
    GTEST_SKIP() << "no hardware profiles at " << dir;
  std::vector<std::string> names = listHardwareProfiles(dir);
  EXPECT_GE(names.size(), 7u);
  for (const std::string &name : names) {
    auto p = loadHardwareProfile(name, dir);
    ASSERT_TRUE(static_cast<bool>(p))
        << name << ": " << llvm::toString(p.takeError());
    EXPECT_EQ(p->name, name);
    EXPECT_GT(p->memoryBandwidth, 0);
    EXPECT_FALSE(p->sources.empty()) << name;
  }
  auto unknown = loadHardwareProfile("no-such-device", dir);
  ASSERT_FALSE(static_cast<bool>(unknown));
  EXPECT_NE(llvm::toString(unknown.takeError()).find("h100-sxm"),
            std::string::npos);
}

TEST_F(EstimateTest, DtypeClasses) {
  Builder b(&ctx);
  EXPECT_EQ(getDtypeClass(b.getF32Type()), "f32");
  EXPECT_EQ(getDtypeClass(b.getBF16Type()), "bf16");
  EXPECT_EQ(getDtypeClass(b.getF16Type()), "f16");
  EXPECT_EQ(getDtypeClass(b.getType<Float8E4M3FNType>()), "fp8");
  EXPECT_EQ(getDtypeClass(b.getIntegerType(8)), "int8");
  EXPECT_EQ(getDtypeClass(QuantType::get(&ctx, QuantKind::q4_0)), "int4");
  EXPECT_EQ(getDtypeClass(QuantType::get(&ctx, QuantKind::q8_0)), "int8");
  EXPECT_DOUBLE_EQ(getDtypeClassBits("int4"), 4.5);
  EXPECT_DOUBLE_EQ(getDtypeClassBits("int8"), 8.5);
  EXPECT_DOUBLE_EQ(getDtypeClassBits("nope"), 0);
}

TEST_F(EstimateTest, TensorParallelWeights) {
  OwningOpRef<ModuleOp> m = parse(kTinyDense);
  ASSERT_TRUE(m);
  HardwareProfile p = toy();
  EstimateOptions o;
  o.batch = 2;
  o.seqLen = 8;
  o.context = 16;

  o.tp = 1;
  FailureOr<Estimate> e1 = estimateModel(*m, p, o);
  ASSERT_TRUE(succeeded(e1));
  EXPECT_EQ(e1->totalParams, 6288);
  EXPECT_DOUBLE_EQ(e1->totalWeightBytes, 6288 * 4);
  EXPECT_EQ(e1->paramsPerDevice, 6288);
  EXPECT_EQ(e1->replicatedExtraParams, 0);
  // KV: 2 layers * 2*2 heads*4 dims*2 B (f16) = 64 B per token, at
  // context 16 and batch 2.
  EXPECT_DOUBLE_EQ(e1->kvBytesPerDevice, 64.0 * 16 * 2);

  // tp=2: q 128, k 64, v 64, o 128, mlp 768, norms 32 per layer; table 50
  // rows = 800; final norm 16: 2*1184 + 800 + 16 = 3184.
  o.tp = 2;
  FailureOr<Estimate> e2 = estimateModel(*m, p, o);
  ASSERT_TRUE(succeeded(e2));
  EXPECT_EQ(e2->paramsPerDevice, 3184);
  EXPECT_EQ(e2->paramsAllDevices, 6288 + 80); // + the 5 norms once more
  EXPECT_EQ(e2->replicatedExtraParams, 80);
  EXPECT_DOUBLE_EQ(e2->kvBytesPerDevice, 64.0 * 16 * 2 / 2);
  // 5 all-reduces (embedding, 2 attention, 2 MLP) of 16 f32.
  EXPECT_EQ(e2->allReducesPerToken, 5);
  EXPECT_DOUBLE_EQ(e2->tpBytesPerToken, 5 * ringAllReduceBytes(64, 2));

  // tp=4 exceeds the 2 KV heads: each device keeps one (64 of K's 128
  // params), so K and V are stored twice over: 2 layers * 2 * 128 extra.
  o.tp = 4;
  FailureOr<Estimate> e4 = estimateModel(*m, p, o);
  ASSERT_TRUE(succeeded(e4));
  EXPECT_EQ(e4->paramsPerDevice, 2 * (64 + 64 + 64 + 64 + 384 + 32) + 400 + 16);
  EXPECT_EQ(e4->replicatedExtraParams, 3 * 80 + 2 * 2 * 128);
  EXPECT_EQ(e4->paramsAllDevices, e4->totalParams + e4->replicatedExtraParams);
  // KV heads are replicated too: per device 1 of 2 heads.
  EXPECT_DOUBLE_EQ(e4->kvBytesPerDevice, 64.0 * 16 * 2 / 2);
}

TEST_F(EstimateTest, PipelineReplicatesTiedWeights) {
  OwningOpRef<ModuleOp> m = parse(kTinyDense);
  ASSERT_TRUE(m);
  EstimateOptions o;
  o.pp = 2;
  FailureOr<Estimate> e = estimateModel(*m, toy(), o);
  ASSERT_TRUE(succeeded(e));
  ASSERT_EQ(e->stages.size(), 2u);
  EXPECT_EQ(e->stages[0].numLayers, 1);
  EXPECT_EQ(e->stages[1].numLayers, 1);
  // Stage 0: table + layer 0; stage 1: layer 1 + final norm + the tied
  // table again for the lm_head.
  EXPECT_EQ(e->stages[0].params, 1600 + 2336);
  EXPECT_EQ(e->stages[1].params, 2336 + 16 + 1600);
  EXPECT_EQ(e->largestStage, 1);
  EXPECT_EQ(e->replicatedExtraParams, 1600);
  // One boundary of 16 f32 per token.
  EXPECT_DOUBLE_EQ(e->ppBytesPerToken, 64);
}

TEST_F(EstimateTest, RooflineTimesAddUp) {
  OwningOpRef<ModuleOp> m = parse(kTinyDense);
  ASSERT_TRUE(m);
  EstimateOptions o;
  o.batch = 4;
  o.tp = 2;
  FailureOr<Estimate> e = estimateModel(*m, toy(), o);
  ASSERT_TRUE(succeeded(e));
  double prefill = 0, decode = 0;
  for (const LayerKindEstimate &k : e->layers) {
    prefill += k.prefillSeconds;
    decode += k.decodeSeconds;
    // Each kind's time is at least its memory time and its compute time.
    EXPECT_GE(k.decodeSeconds * (1 + 1e-12), k.decodeBytes / 1e9);
    EXPECT_GE(k.prefillSeconds * (1 + 1e-12), k.prefillFlops / 1e12);
  }
  EXPECT_DOUBLE_EQ(e->prefillComputeSeconds, prefill);
  EXPECT_DOUBLE_EQ(e->decodeComputeSeconds, decode);
  // Communication: all bytes per token over the 0.5 GB/s link.
  EXPECT_DOUBLE_EQ(e->decodeCommSeconds, e->tpBytesPerToken * 4 / 0.5e9);
  EXPECT_DOUBLE_EQ(e->decodeStepSeconds, decode + e->decodeCommSeconds);
  EXPECT_DOUBLE_EQ(e->decodeTokensPerSecond, 4 / e->decodeStepSeconds);
}

TEST_F(EstimateTest, FitPicksSmallestLayoutThenDtype) {
  OwningOpRef<ModuleOp> m = parse(kTinyDense);
  ASSERT_TRUE(m);
  EstimateOptions o;
  o.seqLen = 4;
  o.context = 4;
  FailureOr<Estimate> one = estimateModel(*m, toy(), o);
  ASSERT_TRUE(succeeded(one));
  // A budget just above one device's need: tp=1 pp=1.
  o.memoryBudget = one->totalBytesPerDevice + 1;
  FailureOr<FitResult> fit = fitModel(*m, toy(), o);
  ASSERT_TRUE(succeeded(fit));
  EXPECT_EQ(fit->estimate.devices, 1);
  // Just below: more devices.
  o.memoryBudget = one->totalBytesPerDevice - 1;
  fit = fitModel(*m, toy(), o);
  ASSERT_TRUE(succeeded(fit));
  EXPECT_GT(fit->estimate.devices, 1);
  EXPECT_TRUE(fit->estimate.fits);
  EXPECT_NE(fit->reason.find("no layout of fewer devices fits"),
            std::string::npos);
  // Nothing in f32 on up to 1 device, so int8 (8.5 bits per weight).
  fit = fitModel(*m, toy(), o, /*maxDevices=*/1);
  ASSERT_TRUE(succeeded(fit));
  EXPECT_EQ(fit->estimate.weightDtype, "int8");
  EXPECT_NE(fit->reason.find("weights the model's f32: no layout of up to 1 "
                             "devices fits"),
            std::string::npos);
  // Nothing at all: an error naming what was tried.
  o.memoryBudget = 100;
  std::string message;
  ScopedDiagnosticHandler h(&ctx, [&](Diagnostic &d) {
    message = d.str();
    return success();
  });
  EXPECT_TRUE(failed(fitModel(*m, toy(), o)));
  EXPECT_NE(message.find("nothing fits"), std::string::npos);
  EXPECT_NE(message.find("weights int4"), std::string::npos);
}

TEST_F(EstimateTest, RejectsLayoutsTheVerifierRejects) {
  OwningOpRef<ModuleOp> m = parse(kTinyDense);
  ASSERT_TRUE(m);
  std::vector<std::string> messages;
  ScopedDiagnosticHandler h(&ctx, [&](Diagnostic &d) {
    messages.push_back(d.str());
    return success();
  });
  EstimateOptions o;
  o.tp = 3; // divides neither 4 heads nor 2 KV heads
  EXPECT_TRUE(failed(estimateModel(*m, toy(), o)));
  ASSERT_GE(messages.size(), 2u);
  EXPECT_NE(messages[0].find("does not divide num_heads = 4"),
            std::string::npos);
  messages.clear();
  o.tp = 1;
  o.pp = 3; // more stages than the 2 layers
  EXPECT_TRUE(failed(estimateModel(*m, toy(), o)));
  ASSERT_GE(messages.size(), 1u);
  EXPECT_NE(messages[0].find("exceeds the model's 2 layers"),
            std::string::npos);
}

TEST_F(EstimateTest, SvgHasAPointPerKind) {
  OwningOpRef<ModuleOp> m = parse(kTinyDense);
  ASSERT_TRUE(m);
  HardwareProfile p = toy();
  FailureOr<Estimate> e = estimateModel(*m, p, EstimateOptions());
  ASSERT_TRUE(succeeded(e));
  std::string svg = renderRooflineSVG(*e, p);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<title>mlp prefill"), std::string::npos);
  EXPECT_NE(svg.find("<title>attention decode"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

} // namespace
