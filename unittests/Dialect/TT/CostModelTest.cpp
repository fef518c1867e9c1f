//===- CostModelTest.cpp - Cost helpers of the tt dialect -----------------===//

#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace tt;

namespace {

TEST(FormatCount, MatchesModelCards) {
  EXPECT_EQ(formatCount(6738415616), "6.74B");
  EXPECT_EQ(formatCount(8030261248), "8.03B");
  EXPECT_EQ(formatCount(69502369792), "69.5B");
  EXPECT_EQ(formatCount(124439808), "124M");
  EXPECT_EQ(formatCount(260000), "260K");
  EXPECT_EQ(formatCount(1000000000), "1B");
  EXPECT_EQ(formatCount(671026419200), "671B");
  EXPECT_EQ(formatCount(999), "999");
}

TEST(AttendedPositions, DecodeIsContextCappedByWindow) {
  EXPECT_DOUBLE_EQ(CostPoint::decode(2048).attendedPositions(0, true), 2048);
  EXPECT_DOUBLE_EQ(CostPoint::decode(2048).attendedPositions(512, true), 512);
  EXPECT_DOUBLE_EQ(CostPoint::decode(100).attendedPositions(512, true), 100);
}

TEST(AttendedPositions, CausalPrefillAveragesTheTriangle) {
  // Queries 1..4 attend 1, 2, 3, 4 keys: 10 / 4.
  EXPECT_DOUBLE_EQ(CostPoint::prefill(4).attendedPositions(0, true), 2.5);
  // With a window of 2: 1, 2, 2, 2 keys: 7 / 4.
  EXPECT_DOUBLE_EQ(CostPoint::prefill(4).attendedPositions(2, true), 1.75);
  // Bidirectional: every query sees all 4.
  EXPECT_DOUBLE_EQ(CostPoint::prefill(4).attendedPositions(0, false), 4);
}

TEST(StorageBits, FloatsIntegersAndGGMLBlocks) {
  MLIRContext ctx;
  ctx.loadDialect<TTDialect>();
  Builder b(&ctx);
  EXPECT_DOUBLE_EQ(getStorageBitsPerElement(b.getBF16Type()), 16);
  EXPECT_DOUBLE_EQ(getStorageBitsPerElement(b.getF32Type()), 32);
  EXPECT_DOUBLE_EQ(getStorageBitsPerElement(b.getI8Type()), 8);
  // q4_0: 32 weights in 18 bytes; q4_k: 256 in 144; q6_k: 256 in 210.
  EXPECT_DOUBLE_EQ(
      getStorageBitsPerElement(QuantType::get(&ctx, QuantKind::q4_0)), 4.5);
  EXPECT_DOUBLE_EQ(
      getStorageBitsPerElement(QuantType::get(&ctx, QuantKind::q8_0)), 8.5);
  EXPECT_DOUBLE_EQ(
      getStorageBitsPerElement(QuantType::get(&ctx, QuantKind::q4_k)), 4.5);
  EXPECT_DOUBLE_EQ(
      getStorageBitsPerElement(QuantType::get(&ctx, QuantKind::q6_k)), 6.5625);
  auto q4k = RankedTensorType::get({4096, 4096},
                                   QuantType::get(&ctx, QuantKind::q4_k));
  EXPECT_DOUBLE_EQ(getStorageBytes(q4k), 4096.0 * 4096 / 256 * 144);
  EXPECT_EQ(getDtypeName(QuantType::get(&ctx, QuantKind::q5_k)), "q5_k");
  EXPECT_EQ(getDtypeName(b.getBF16Type()), "bf16");
}

} // namespace
