//===- WeightStoreTest.cpp - WeightStore and ttrt_context -----------------===//
//
// GGUF: ../shared/models/stories260K/stories260K.gguf (skipped when absent).
// The expected values were read independently of tt with a few lines of
// Python's `struct` (parse the GGUF v3 header, metadata and tensor infos,
// align the data section to 32, unpack little-endian f32): data section at
// byte 14176; 48 tensors; token_embd.weight ne=(64, 512) f32 at data offset
// 0, blk.0.ffn_down.weight ne=(172, 64) at 355840.
//
// Safetensors: small files written by the test (single and sharded).
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/WeightStore.h"
#include "tt/Runtime/Context.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace tt;

namespace {

std::string sharedPath(const std::string &rel) {
  if (const char *dir = std::getenv("TT_SHARED_DIR"))
    return std::string(dir) + "/" + rel;
  if (const char *src = std::getenv("TT_SOURCE_DIR"))
    return std::string(src) + "/../shared/" + rel;
  return std::string(TT_SOURCE_DIR_DEFAULT) + "/../shared/" + rel;
}

std::string stories() {
  return sharedPath("models/stories260K/stories260K.gguf");
}

#define REQUIRE_STORIES()                                                      \
  if (!llvm::sys::fs::exists(stories()))                                       \
  GTEST_SKIP() << "stories260K not found at " << stories()                     \
               << " (set TT_SHARED_DIR)"

const float *f32(const Weight &w) { return static_cast<const float *>(w.data); }

TEST(WeightStoreGGUF, TensorsMatchAnIndependentReading) {
  REQUIRE_STORIES();
  auto store = WeightStore::open(stories());
  ASSERT_TRUE(!!store) << llvm::toString(store.takeError());
  EXPECT_EQ((*store)->size(), 48u);
  ASSERT_NE((*store)->getGGUF(), nullptr);
  EXPECT_EQ((*store)->getGGUF()->dataOffset, 14176u);

  auto embd = (*store)->lookup("token_embd.weight");
  ASSERT_TRUE(!!embd) << llvm::toString(embd.takeError());
  EXPECT_EQ(embd->type, TTRT_TYPE_F32);
  EXPECT_EQ(embd->shape, (llvm::SmallVector<int64_t, 4>{512, 64}));
  EXPECT_EQ(embd->bytes, 512u * 64 * 4);
  EXPECT_EQ(f32(*embd)[0], -0.29474878311157227f);
  EXPECT_EQ(f32(*embd)[1], 0.5618956089019775f);
  EXPECT_EQ(f32(*embd)[3 * 64], -0.294771671295166f);

  auto down = (*store)->lookup("blk.0.ffn_down.weight");
  ASSERT_TRUE(!!down);
  EXPECT_EQ(down->shape, (llvm::SmallVector<int64_t, 4>{64, 172}));
  EXPECT_EQ(f32(*down)[0], 0.13498419523239136f);
  EXPECT_EQ(f32(*down)[172], 0.03677805885672569f);

  auto norm = (*store)->lookup("output_norm.weight");
  ASSERT_TRUE(!!norm);
  EXPECT_EQ(norm->shape, (llvm::SmallVector<int64_t, 4>{64}));
  EXPECT_EQ(f32(*norm)[0], 2.4583089351654053f);

  // A row range points into the same mapping, whole rows further on.
  auto rows = (*store)->lookup("token_embd.weight[3:5]");
  ASSERT_TRUE(!!rows) << llvm::toString(rows.takeError());
  EXPECT_EQ(rows->shape, (llvm::SmallVector<int64_t, 4>{2, 64}));
  EXPECT_EQ(rows->data, f32(*embd) + 3 * 64);
  EXPECT_EQ(rows->bytes, 2u * 64 * 4);
  EXPECT_EQ(f32(*rows)[0], -0.294771671295166f);
}

TEST(WeightStoreGGUF, Errors) {
  REQUIRE_STORIES();
  auto store = WeightStore::open(stories());
  ASSERT_TRUE(!!store);
  auto missing = (*store)->lookup("blk.0.attn_qkv.weight");
  ASSERT_FALSE(!!missing);
  EXPECT_EQ(llvm::toString(missing.takeError()),
            "weight 'blk.0.attn_qkv.weight' is not in " + stories());
  auto beyond = (*store)->lookup("token_embd.weight[500:513]");
  ASSERT_FALSE(!!beyond);
  EXPECT_EQ(llvm::toString(beyond.takeError()),
            "weight 'token_embd.weight[500:513]': rows [500:513] exceed the "
            "512 rows of 'token_embd.weight'");
  auto bad = (*store)->lookup("token_embd.weight[4:2]");
  ASSERT_FALSE(!!bad);
  EXPECT_NE(llvm::toString(bad.takeError()).find("bad row range"),
            std::string::npos);
}

TEST(WeightStoreGGUF, TruncatedFileIsAnError) {
  REQUIRE_STORIES();
  std::ifstream in(stories(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("truncated", "gguf", path));
  {
    std::ofstream out(path.str().str(), std::ios::binary);
    out.write(bytes.data(), bytes.size() - 1000);
  }
  auto store = WeightStore::open(path);
  ASSERT_FALSE(!!store);
  std::string message = llvm::toString(store.takeError());
  EXPECT_NE(message.find(path.str().str()), std::string::npos) << message;
  llvm::sys::fs::remove(path);
}

TEST(RuntimeContext, WeightsCacheAndBinding) {
  REQUIRE_STORIES();
  auto store = WeightStore::open(stories());
  ASSERT_TRUE(!!store);
  const void *embdData = (*store)->lookup("token_embd.weight")->data;
  auto ctx = ttrt_context::create(std::move(*store), 5, {4, 8}, 16);
  ASSERT_TRUE(!!ctx) << llvm::toString(ctx.takeError());
  ttrt_context *c = ctx->get();
  EXPECT_EQ(c->getCacheBytes(), 5u * 2 * 16 * 4 * 8 * 4);

  llvm::Error err = c->bindAll({"token_embd.weight", "blk.0.attn_q.weight",
                                "blk.7.attn_q.weight", "output.weight[0:64]",
                                "output.weight[0:600]"});
  ASSERT_TRUE(!!err);
  std::string message = llvm::toString(std::move(err));
  EXPECT_NE(message.find("2 weight(s) the model uses cannot be bound"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("'blk.7.attn_q.weight' is not in"), std::string::npos);
  EXPECT_NE(message.find("rows [0:600] exceed the 512 rows"),
            std::string::npos);
  ASSERT_FALSE(!!c->bindAll({"token_embd.weight", "output.weight[0:64]"}));
  // A compiled model's m_weight_names() list.
  const char packed[] = "output_norm.weight\0blk.1.ffn_up.weight\0\0";
  EXPECT_EQ(
      ttrt_context::splitNames(packed),
      (std::vector<std::string>{"output_norm.weight", "blk.1.ffn_up.weight"}));
  EXPECT_TRUE(ttrt_context::splitNames("\0").empty());
  ASSERT_FALSE(!!c->bindAll(packed));
  llvm::Error packedErr = c->bindAll("blk.0.attn_q.weight\0nope\0\0");
  ASSERT_TRUE(!!packedErr);
  EXPECT_NE(llvm::toString(std::move(packedErr)).find("1 weight(s)"),
            std::string::npos);

  int32_t type = -1;
  EXPECT_EQ(ttrt_weight(c, "token_embd.weight", &type), embdData);
  EXPECT_EQ(type, TTRT_TYPE_F32);
  // The ABI path end to end: embed token 3 through the bound weight.
  std::vector<float> row(64);
  int32_t token = 3;
  ttrt_embedding(ttrt_weight(c, "token_embd.weight", nullptr), type, 512, 64,
                 &token, 1, row.data());
  EXPECT_EQ(row[0], -0.294771671295166f);

  float *k0 = ttrt_kv_cache(c, 0, 0), *v0 = ttrt_kv_cache(c, 0, 1);
  float *k4 = ttrt_kv_cache(c, 4, 0);
  EXPECT_NE(k0, v0);
  EXPECT_NE(k0, k4);
  for (int i = 0; i < 16 * 4 * 8; ++i)
    EXPECT_EQ(k4[i], 0.0f);
  k4[16 * 4 * 8 - 1] = 7.0f;
  v0[0] = 3.0f;
  c->resetCache();
  EXPECT_EQ(k4[16 * 4 * 8 - 1], 0.0f);
  EXPECT_EQ(v0[0], 0.0f);

  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(ttrt_weight(c, "blk.0.nothing", nullptr),
               "ttrt: weight 'blk.0.nothing' is not in");
  EXPECT_DEATH(ttrt_kv_cache(c, 5, 0), "layer 5, which 0 is out of range");
}

//===----------------------------------------------------------------------===//
// Safetensors written by the test
//===----------------------------------------------------------------------===//

struct TensorSpec {
  std::string name, dtype;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};

std::vector<uint8_t> bytesOf(const std::vector<float> &v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::vector<uint8_t> halves(const std::vector<float> &v, bool bf16) {
  std::vector<uint8_t> b;
  for (float f : v) {
    uint16_t h = bf16 ? rt::floatToBF16(f) : rt::floatToHalf(f);
    b.push_back(h & 0xff);
    b.push_back(h >> 8);
  }
  return b;
}

/// Writes a safetensors file; `truncateBy` bytes are cut off the end.
void writeSafetensors(const std::string &path,
                      const std::vector<TensorSpec> &tensors,
                      size_t truncateBy = 0) {
  std::string header = "{\"__metadata__\":{\"format\":\"pt\"}";
  std::vector<uint8_t> data;
  for (const TensorSpec &t : tensors) {
    header += ",\"" + t.name + "\":{\"dtype\":\"" + t.dtype + "\",\"shape\":[";
    for (size_t i = 0; i < t.shape.size(); ++i)
      header += (i ? "," : "") + std::to_string(t.shape[i]);
    header += "],\"data_offsets\":[" + std::to_string(data.size()) + "," +
              std::to_string(data.size() + t.data.size()) + "]}";
    data.insert(data.end(), t.data.begin(), t.data.end());
  }
  header += "}";
  while (header.size() % 8)
    header += ' ';
  std::string file(8, '\0');
  uint64_t len = header.size();
  for (int i = 0; i < 8; ++i)
    file[i] = static_cast<char>((len >> (8 * i)) & 0xff);
  file += header;
  file.append(reinterpret_cast<const char *>(data.data()), data.size());
  file.resize(file.size() - truncateBy);
  std::ofstream out(path, std::ios::binary);
  out.write(file.data(), file.size());
}

class SafetensorsStore : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tt-weights", dir));
    for (int i = 0; i < 18; ++i)
      fused.push_back(0.5f * i - 3);
    a = {1.5f, -2, 3.25f, 4, 5, 6, 7, 8, 9, 10, 11, -12};
    b = {0.5f, -1, 2, 65504, -0.25f, 1, 2, 3, 4, 5};
    c = {1, 2.5f, -3, 1e10f};
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }
  std::string file(const std::string &name) {
    llvm::SmallString<128> p(dir);
    llvm::sys::path::append(p, name);
    return p.str().str();
  }
  std::vector<TensorSpec> firstShard() {
    return {{"a", "F32", {3, 4}, bytesOf(a)},
            {"b", "F16", {2, 5}, halves(b, false)},
            {"c", "BF16", {4}, halves(c, true)},
            {"q", "I8", {2, 2}, {1, 2, 3, 4}}};
  }
  std::vector<TensorSpec> secondShard() {
    return {{"layers.0.qkv.weight", "F32", {6, 3}, bytesOf(fused)}};
  }
  void checkStore(WeightStore &store) {
    auto wa = store.lookup("a");
    ASSERT_TRUE(!!wa) << llvm::toString(wa.takeError());
    EXPECT_EQ(wa->type, TTRT_TYPE_F32);
    EXPECT_EQ(wa->shape, (llvm::SmallVector<int64_t, 4>{3, 4}));
    EXPECT_EQ(0, std::memcmp(wa->data, a.data(), 48));
    auto wb = store.lookup("b");
    ASSERT_TRUE(!!wb);
    EXPECT_EQ(wb->type, TTRT_TYPE_F16);
    std::vector<float> got(10);
    ttrt_to_f32(wb->data, wb->type, 10, got.data());
    EXPECT_EQ(got, b);
    auto wc = store.lookup("c");
    ASSERT_TRUE(!!wc);
    EXPECT_EQ(wc->type, TTRT_TYPE_BF16);
    ttrt_to_f32(wc->data, wc->type, 3, got.data());
    EXPECT_EQ(got[0], 1.0f);
    EXPECT_EQ(got[1], 2.5f);
    EXPECT_EQ(got[2], -3.0f);
    // Rows 2..4 of the fused [6, 3] tensor.
    auto part = store.lookup("layers.0.qkv.weight[2:5]");
    ASSERT_TRUE(!!part) << llvm::toString(part.takeError());
    EXPECT_EQ(part->shape, (llvm::SmallVector<int64_t, 4>{3, 3}));
    EXPECT_EQ(part->bytes, 36u);
    auto whole = store.lookup("layers.0.qkv.weight");
    ASSERT_TRUE(!!whole);
    EXPECT_EQ(part->data, f32(*whole) + 6);
    EXPECT_EQ(f32(*part)[0], fused[6]);
    EXPECT_EQ(f32(*part)[8], fused[14]);

    auto q = store.lookup("q");
    ASSERT_FALSE(!!q);
    std::string message = llvm::toString(q.takeError());
    EXPECT_NE(message.find("weight 'q' in "), std::string::npos) << message;
    EXPECT_NE(message.find("has type I8, which the runtime cannot use"),
              std::string::npos)
        << message;
    auto missing = store.lookup("layers.1.qkv.weight[0:3]");
    ASSERT_FALSE(!!missing);
    EXPECT_EQ(llvm::toString(missing.takeError()),
              "weight 'layers.1.qkv.weight' is not in " + dir.str().str());
  }

  llvm::SmallString<128> dir;
  std::vector<float> a, b, c, fused;
};

TEST_F(SafetensorsStore, SingleFile) {
  std::vector<TensorSpec> all = firstShard();
  for (TensorSpec &t : secondShard())
    all.push_back(t);
  writeSafetensors(file("model.safetensors"), all);
  auto store = WeightStore::open(dir);
  ASSERT_TRUE(!!store) << llvm::toString(store.takeError());
  EXPECT_EQ((*store)->size(), 5u);
  EXPECT_EQ((*store)->getGGUF(), nullptr);
  checkStore(**store);
}

TEST_F(SafetensorsStore, Sharded) {
  writeSafetensors(file("model-00001-of-00002.safetensors"), firstShard());
  writeSafetensors(file("model-00002-of-00002.safetensors"), secondShard());
  std::ofstream index(file("model.safetensors.index.json"));
  index << R"({"metadata": {}, "weight_map": {
    "a": "model-00001-of-00002.safetensors",
    "b": "model-00001-of-00002.safetensors",
    "c": "model-00001-of-00002.safetensors",
    "q": "model-00001-of-00002.safetensors",
    "layers.0.qkv.weight": "model-00002-of-00002.safetensors"}})";
  index.close();
  auto store = WeightStore::open(dir);
  ASSERT_TRUE(!!store) << llvm::toString(store.takeError());
  EXPECT_EQ((*store)->size(), 5u);
  checkStore(**store);
  // bindAll over a context reports the unusable and the missing together.
  auto ctx = ttrt_context::create(std::move(*store), 1, {1, 4}, 2);
  ASSERT_TRUE(!!ctx);
  llvm::Error err = (*ctx)->bindAll({"a", "q", "zzz"});
  ASSERT_TRUE(!!err);
  std::string message = llvm::toString(std::move(err));
  EXPECT_NE(message.find("2 weight(s)"), std::string::npos) << message;
  EXPECT_NE(message.find("'q'"), std::string::npos) << message;
  EXPECT_NE(message.find("'zzz'"), std::string::npos) << message;
}

TEST_F(SafetensorsStore, TruncatedFile) {
  writeSafetensors(file("model.safetensors"), firstShard(), /*truncateBy=*/3);
  auto store = WeightStore::open(dir);
  ASSERT_FALSE(!!store);
  std::string message = llvm::toString(store.takeError());
  EXPECT_NE(message.find("model.safetensors"), std::string::npos) << message;
  EXPECT_NE(message.find("lies outside"), std::string::npos) << message;
}

TEST_F(SafetensorsStore, EmptyDirectory) {
  auto store = WeightStore::open(dir);
  ASSERT_FALSE(!!store);
  EXPECT_NE(llvm::toString(store.takeError())
                .find("has neither model.safetensors nor "
                      "model.safetensors.index.json"),
            std::string::npos);
}

TEST(WeightStoreOpen, MissingFile) {
  auto store = WeightStore::open("/nonexistent/model.gguf");
  ASSERT_FALSE(!!store);
  EXPECT_NE(llvm::toString(store.takeError())
                .find("/nonexistent/model.gguf: cannot open"),
            std::string::npos);
}

} // namespace
