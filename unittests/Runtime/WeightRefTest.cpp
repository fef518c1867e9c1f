//===- WeightRefTest.cpp - Bind keys and the tensors derived from them ----===//
//
// Parsing of bind keys (tt/Runtime/WeightRef.h) and what ttrt_context binds
// for `@shard`, `@partial` and `@as` suffixes, on a safetensors file written
// here; the expected tensors are computed by plain loops over the values
// the test wrote.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Context.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"
#include "tt/Runtime/WeightRef.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <fstream>

using namespace tt;

namespace {

std::string errorOf(llvm::Expected<WeightRef> r) {
  if (r)
    return "";
  return llvm::toString(r.takeError());
}

TEST(WeightRef, ParseAndPrint) {
  auto plain = WeightRef::parse("blk.0.attn_q.weight");
  ASSERT_TRUE(!!plain);
  EXPECT_TRUE(plain->isPlain());
  EXPECT_EQ(plain->str(), "blk.0.attn_q.weight");

  auto all = WeightRef::parse("qkv.weight[0:64]@shard(1,4)@partial@as(q8_0)");
  ASSERT_TRUE(!!all) << llvm::toString(all.takeError());
  EXPECT_EQ(all->tensor, "qkv.weight[0:64]");
  EXPECT_EQ(all->shardDim, 1);
  EXPECT_EQ(all->shardParts, 4);
  EXPECT_TRUE(all->partial);
  EXPECT_EQ(all->asType, TTRT_TYPE_Q8_0);
  EXPECT_EQ(all->str(), "qkv.weight[0:64]@shard(1,4)@partial@as(q8_0)");
  EXPECT_EQ(runtimeTypeFromName("bf16"), TTRT_TYPE_BF16);
  EXPECT_EQ(runtimeTypeFromName("nope"), -1);

  EXPECT_NE(errorOf(WeightRef::parse("w@bogus")).find(
                "weight key 'w@bogus': unknown suffix '@bogus'"),
            std::string::npos);
  EXPECT_NE(errorOf(WeightRef::parse("w@as(q9_9)")).find("unknown type 'q9_9'"),
            std::string::npos);
  EXPECT_NE(errorOf(WeightRef::parse("w@shard(1,0)")).find("P >= 1"),
            std::string::npos);
  EXPECT_NE(errorOf(WeightRef::parse("w@as(f16)@shard(0,2)"))
                .find("'@shard' must come before"),
            std::string::npos);
  EXPECT_NE(errorOf(WeightRef::parse("w@")).find("unknown suffix '@'"),
            std::string::npos);
  EXPECT_NE(errorOf(WeightRef::parse("@as(f16)")).find("no tensor name"),
            std::string::npos);
}

/// A directory with model.safetensors holding w [4, 64] and b [4] (f32).
class DerivedWeights : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tt-weightref", dir));
    for (int i = 0; i < 4 * 64; ++i)
      w.push_back(std::sin(0.37f * i) * (1 + i % 5));
    b = {1, -2, 3, -4};
    std::string header =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4,64],\"data_offsets\":[0," +
        std::to_string(w.size() * 4) + "]},\"b\":{\"dtype\":\"F32\","
        "\"shape\":[4],\"data_offsets\":[" + std::to_string(w.size() * 4) +
        "," + std::to_string(w.size() * 4 + 16) + "]}}";
    while (header.size() % 8)
      header += ' ';
    uint64_t len = header.size();
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, "model.safetensors");
    std::ofstream out(path.str().str(), std::ios::binary);
    out.write(reinterpret_cast<const char *>(&len), 8);
    out << header;
    out.write(reinterpret_cast<const char *>(w.data()), w.size() * 4);
    out.write(reinterpret_cast<const char *>(b.data()), b.size() * 4);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::unique_ptr<ttrt_context> context(int64_t tpRank, int64_t tpSize) {
    auto store = WeightStore::open(dir);
    EXPECT_TRUE(!!store);
    auto ctx = ttrt_context::create(std::move(*store), 0, {1, 1}, 4);
    EXPECT_TRUE(!!ctx);
    ParallelInfo info;
    info.tpRank = tpRank;
    info.tpSize = tpSize;
    (*ctx)->setParallel(info);
    return std::move(*ctx);
  }
  std::vector<float> f32Of(ttrt_context *c, const char *key, int64_t n,
                           int32_t expectType = TTRT_TYPE_F32) {
    int32_t type = -1;
    const void *p = ttrt_weight(c, key, &type);
    EXPECT_EQ(type, expectType) << key;
    std::vector<float> out(n);
    ttrt_to_f32(p, type, n, out.data());
    return out;
  }

  llvm::SmallString<128> dir;
  std::vector<float> w, b;
};

TEST_F(DerivedWeights, RowShardsAreViewsColumnShardsCopies) {
  auto c = context(/*tpRank=*/1, /*tpSize=*/2);
  ASSERT_FALSE(!!c->bindAll({"w@shard(0,2)", "w@shard(1,2)", "w"}));
  // Rows 2..3: a view into the mapping.
  const void *whole = ttrt_weight(c.get(), "w", nullptr);
  EXPECT_EQ(ttrt_weight(c.get(), "w@shard(0,2)", nullptr),
            static_cast<const float *>(whole) + 2 * 64);
  // Columns 32..63 of every row: a copy.
  std::vector<float> cols = f32Of(c.get(), "w@shard(1,2)", 4 * 32);
  for (int r = 0; r < 4; ++r)
    for (int j = 0; j < 32; ++j)
      ASSERT_EQ(cols[r * 32 + j], w[r * 64 + 32 + j]) << r << "," << j;
  EXPECT_EQ(c->getDerivedWeightBytes(), 4u * 32 * 4);
}

TEST_F(DerivedWeights, ReplicatedPiecesWhenFewerPartsThanRanks) {
  // 2 pieces over a group of 4: ranks 2 and 3 both hold rows 2..3.
  for (int64_t rank : {2, 3}) {
    auto c = context(rank, 4);
    std::vector<float> rows = f32Of(c.get(), "w@shard(0,2)", 2 * 64);
    EXPECT_EQ(rows[0], w[2 * 64]);
    EXPECT_EQ(rows[2 * 64 - 1], w[4 * 64 - 1]);
  }
}

TEST_F(DerivedWeights, TransposedRows) {
  // w is stored [4, 64]; as a Conv1D weight it is the [64, 4] matrix w^T,
  // and rows 8..15 of that are w's columns 8..15.
  auto c = context(0, 1);
  std::vector<float> t = f32Of(c.get(), "w@transpose", 64 * 4);
  for (int o = 0; o < 64; ++o)
    for (int i = 0; i < 4; ++i)
      ASSERT_EQ(t[o * 4 + i], w[i * 64 + o]) << o << "," << i;
  std::vector<float> r = f32Of(c.get(), "w@transpose@rows(8,16)", 8 * 4);
  for (int o = 0; o < 8; ++o)
    for (int i = 0; i < 4; ++i)
      ASSERT_EQ(r[o * 4 + i], w[i * 64 + 8 + o]);
  llvm::Error err = c->bindAll({"w@transpose@rows(60,65)", "b@transpose",
                                "w@as(q8_0)", "w@transpose@rows(0,2)@as(f16)"});
  ASSERT_TRUE(!!err);
  std::string m = llvm::toString(std::move(err));
  EXPECT_NE(m.find("2 weight(s)"), std::string::npos) << m;
  EXPECT_NE(m.find("rows [60:65] exceed the 64 rows"), std::string::npos) << m;
  EXPECT_NE(m.find("only a matrix can be transposed, but the tensor has "
                   "rank 1"),
            std::string::npos)
      << m;
  EXPECT_NE(errorOf(WeightRef::parse("w@rows(2,1)")).find("0 <= a < b"),
            std::string::npos);
  EXPECT_NE(errorOf(WeightRef::parse("w@rows(0,1)@transpose"))
                .find("'@transpose' must come first"),
            std::string::npos);
  // A fused QKV of 4 rows read as one group of [q = 2; kv = 1; kv = 1]:
  // K is row 2, V row 3. (The interleaved gather of several groups is
  // checked end to end against transformers' layout in
  // test/Tools/reference-falcon-qkv.test.)
  EXPECT_EQ(f32Of(c.get(), "w@qkv(1,2,3)", 64)[0], w[2 * 64]);
  EXPECT_EQ(f32Of(c.get(), "w@qkv(1,3,4)", 64)[5], w[3 * 64 + 5]);
  llvm::Error qkvErr = c->bindAll(std::vector<std::string>{"w@qkv(2,2,3)"});
  ASSERT_TRUE(!!qkvErr);
  EXPECT_NE(llvm::toString(std::move(qkvErr))
                .find("rows [2:3] of 4 are not the Q, K or V part of 2 "
                      "groups"),
            std::string::npos);
  auto ref = WeightRef::parse("h.0.attn.c_attn.weight@transpose@rows(32,64)");
  ASSERT_TRUE(!!ref);
  EXPECT_EQ(ref->str(), "h.0.attn.c_attn.weight@transpose@rows(32,64)");
}

TEST_F(DerivedWeights, PartialIsZeroExceptOnRankZero) {
  auto c0 = context(0, 2), c1 = context(1, 2);
  EXPECT_EQ(f32Of(c0.get(), "b@partial", 4), b);
  EXPECT_EQ(f32Of(c1.get(), "b@partial", 4), std::vector<float>(4, 0.0f));
}

TEST_F(DerivedWeights, ConversionAtBindTime) {
  auto c = context(0, 1);
  // q8_0: each block of 32 scaled by d = max|x| / 127, stored as f16, so
  // every value is within half a step of the original plus the scale's
  // rounding (|q| <= 127 times d * 2^-11, i.e. max|x| * 2^-11).
  std::vector<float> q = f32Of(c.get(), "w@as(q8_0)", 4 * 64, TTRT_TYPE_Q8_0);
  for (int blk = 0; blk < 8; ++blk) {
    float amax = 0;
    for (int i = 0; i < 32; ++i)
      amax = std::max(amax, std::fabs(w[blk * 32 + i]));
    float step = amax / 127;
    for (int i = 0; i < 32; ++i)
      ASSERT_NEAR(q[blk * 32 + i], w[blk * 32 + i],
                  (0.5f * step + amax / 2048) * 1.01f);
  }
  std::vector<float> h = f32Of(c.get(), "w@as(f16)", 4 * 64, TTRT_TYPE_F16);
  for (int i = 0; i < 4 * 64; ++i)
    ASSERT_EQ(h[i], rt::halfToFloat(rt::floatToHalf(w[i])));
  // Shard, then convert: columns 0..31 of rank 0 as q4_0.
  auto c2 = context(0, 2);
  int32_t type = -1;
  ttrt_weight(c2.get(), "w@shard(1,2)@as(q4_0)", &type);
  EXPECT_EQ(type, TTRT_TYPE_Q4_0);
}

TEST_F(DerivedWeights, Errors) {
  auto one = context(0, 1);
  llvm::Error err =
      one->bindAll({"w@shard(0,2)", "w@shard(1,128)", "w@as(q8_0)", "b@as(q8_0)",
                    "nope@partial"});
  ASSERT_TRUE(!!err);
  std::string m = llvm::toString(std::move(err));
  EXPECT_NE(m.find("4 weight(s)"), std::string::npos) << m;
  EXPECT_NE(m.find("weight 'w@shard(0,2)': cut into 2 pieces, but this "
                   "process is rank 0 of a tensor-parallel group of 1"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("b@as(q8_0)': a row of 4 elements is not a whole number "
                   "of q8_0 blocks"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("'nope' is not in"), std::string::npos) << m;
  auto two = context(1, 2);
  llvm::Error err2 = two->bindAll({"w@shard(1,2)@as(q8_0)", "w@shard(1,4)@as(q8_0)"});
  ASSERT_TRUE(!!err2);
  std::string m2 = llvm::toString(std::move(err2));
  EXPECT_NE(m2.find("1 weight(s)"), std::string::npos) << m2;
}

} // namespace
