//===- ShardedWeightsTest.cpp - @shard on GGUF blocks and stacked experts -===//
//
// The runtime's side of tensor parallelism on stored layouts WeightRefTest's
// safetensors fixture cannot hold: q8_0 blocks cut along the row (a copy of
// whole blocks, or an error when the cut splits a block) and a stacked
// [experts, rows, cols] tensor cut along the experts (a view) and along the
// rows (a copy per expert).
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Context.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"
#include "tt/Runtime/WeightStore.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace tt;

namespace {

/// weights.gguf with q [4 rows, 128 cols] in q8_0 and e [4, 2, 8] in f32.
class ShardedWeights : public ::testing::Test {
protected:
  static constexpr int kRows = 4, kCols = 128, kBlocks = kRows * kCols / 32;

  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tt-sharded", dir));
    path = dir;
    llvm::sys::path::append(path, "weights.gguf");
    // q8_0 blocks: f16 scale, 32 int8.
    for (int b = 0; b < kBlocks; ++b) {
      uint16_t d = rt::floatToHalf(0.01f * (b + 1));
      qblocks.push_back(d & 0xff);
      qblocks.push_back(d >> 8);
      for (int i = 0; i < 32; ++i)
        qblocks.push_back(static_cast<uint8_t>((i * 7 + b * 3) % 255 - 127));
    }
    for (int i = 0; i < 4 * 2 * 8; ++i)
      experts.push_back(0.5f * i - 3);

    std::string out = "GGUF";
    auto u32 = [&](uint32_t v) { out.append(reinterpret_cast<char *>(&v), 4); };
    auto u64 = [&](uint64_t v) { out.append(reinterpret_cast<char *>(&v), 8); };
    auto str = [&](const std::string &s) {
      u64(s.size());
      out += s;
    };
    u32(3);
    u64(2); // tensors
    u64(0); // metadata
    str("q");
    u32(2);
    u64(kCols); // ggml order: innermost first
    u64(kRows);
    u32(TTRT_TYPE_Q8_0);
    u64(0);
    str("e");
    u32(3);
    u64(8);
    u64(2);
    u64(4);
    u32(TTRT_TYPE_F32);
    uint64_t eOffset = (qblocks.size() + 31) / 32 * 32;
    u64(eOffset);
    out.resize((out.size() + 31) / 32 * 32, '\0');
    size_t data = out.size();
    out.append(reinterpret_cast<const char *>(qblocks.data()), qblocks.size());
    out.resize(data + eOffset, '\0');
    out.append(reinterpret_cast<const char *>(experts.data()),
               experts.size() * 4);
    std::ofstream f(path.str().str(), std::ios::binary);
    f << out;
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::unique_ptr<ttrt_context> context(int64_t tpRank, int64_t tpSize) {
    auto store = WeightStore::open(path);
    EXPECT_TRUE(!!store) << (store ? "" : llvm::toString(store.takeError()));
    auto ctx = ttrt_context::create(std::move(*store), 0, {1, 1}, 4);
    EXPECT_TRUE(!!ctx);
    ParallelInfo info;
    info.tpRank = tpRank;
    info.tpSize = tpSize;
    (*ctx)->setParallel(info);
    return std::move(*ctx);
  }

  /// All of q as f32, [rows][cols].
  std::vector<float> wholeQ() {
    std::vector<float> out(kRows * kCols);
    ttrt_to_f32(qblocks.data(), TTRT_TYPE_Q8_0, kRows * kCols, out.data());
    return out;
  }

  llvm::SmallString<128> dir, path;
  std::vector<uint8_t> qblocks;
  std::vector<float> experts;
};

TEST_F(ShardedWeights, Q8ColumnsCutOnBlockBoundaries) {
  std::vector<float> whole = wholeQ();
  // 128 columns in 2 pieces: 64 each, two whole blocks per row.
  for (int64_t rank : {0, 1}) {
    auto c = context(rank, 2);
    if (llvm::Error err = c->bindAll(std::vector<std::string>{"q@shard(1,2)"}))
      FAIL() << llvm::toString(std::move(err));
    int32_t type = -1;
    const void *p = ttrt_weight(c.get(), "q@shard(1,2)", &type);
    ASSERT_EQ(type, TTRT_TYPE_Q8_0);
    std::vector<float> piece(kRows * 64);
    ttrt_to_f32(p, type, kRows * 64, piece.data());
    for (int r = 0; r < kRows; ++r)
      for (int j = 0; j < 64; ++j)
        ASSERT_EQ(piece[r * 64 + j], whole[r * kCols + rank * 64 + j])
            << "rank " << rank << " row " << r << " col " << j;
    // The blocks are copied as stored, not re-quantised.
    EXPECT_EQ(std::memcmp(p, qblocks.data() + rank * 2 * 34, 2 * 34), 0);
  }
}

TEST_F(ShardedWeights, Q8RowsAreAViewOfTheMapping) {
  auto c = context(1, 2);
  const void *whole = ttrt_weight(c.get(), "q", nullptr);
  EXPECT_EQ(ttrt_weight(c.get(), "q@shard(0,2)", nullptr),
            static_cast<const uint8_t *>(whole) +
                2 * ttrt_row_bytes(TTRT_TYPE_Q8_0, kCols));
  EXPECT_EQ(c->getDerivedWeightBytes(), 0u);
}

TEST_F(ShardedWeights, Q8CutInsideABlockIsAnError) {
  // 128 columns in 8 pieces: 16 columns, half a q8_0 block.
  auto c = context(3, 8);
  llvm::Error err = c->bindAll(std::vector<std::string>{"q@shard(1,8)"});
  ASSERT_TRUE(!!err);
  std::string m = llvm::toString(std::move(err));
  EXPECT_NE(m.find("weight 'q@shard(1,8)': a piece of 16 columns is not a "
                   "whole number of q8_0 blocks (32 elements each)"),
            std::string::npos)
      << m;
}

TEST_F(ShardedWeights, StackedExpertsSplitOrCutPerExpert) {
  auto c = context(1, 2);
  // Experts 2..3 of 4: a view.
  const auto *whole =
      static_cast<const float *>(ttrt_weight(c.get(), "e", nullptr));
  const auto *mine =
      static_cast<const float *>(ttrt_weight(c.get(), "e@shard(0,2)", nullptr));
  EXPECT_EQ(mine, whole + 2 * 2 * 8);
  // Row 1 of each expert's 2 rows: a copy, [4, 1, 8].
  const auto *rows =
      static_cast<const float *>(ttrt_weight(c.get(), "e@shard(1,2)", nullptr));
  for (int e = 0; e < 4; ++e)
    for (int j = 0; j < 8; ++j)
      ASSERT_EQ(rows[e * 8 + j], experts[e * 16 + 8 + j]) << e << "," << j;
  // Columns 4..7 of every row: [4, 2, 4].
  const auto *cols =
      static_cast<const float *>(ttrt_weight(c.get(), "e@shard(2,2)", nullptr));
  for (int r = 0; r < 8; ++r)
    for (int j = 0; j < 4; ++j)
      ASSERT_EQ(cols[r * 4 + j], experts[r * 8 + 4 + j]) << r << "," << j;
}

} // namespace
