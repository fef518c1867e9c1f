//===- QuantizeGGMLTest.cpp - GGUF formats bit-identical to ggml ----------===//
//
// tt's Q8_0, Q4_0 and MXFP4 encoders on real trained weights (stories260K's
// F32 GGUF, ../shared/models; skipped when absent) against what ggml itself
// writes for them. The expected bytes and hashes come from ggml's
// ggml_quantize_chunk (quantize_row_*_ref) run on the same tensors by
// bench/ggml-quant-golden.sh (ggml from llama.cpp, not part of tt): the first
// block of token_embd.weight, and an FNV-1a 64 hash of every block of five
// tensors in the order listed.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/WeightStore.h"
#include "tt/Support/Quantize.h"

#include "llvm/Support/FileSystem.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <string>
#include <vector>

using namespace tt;

namespace {

std::string storiesPath() {
  std::string rel = "models/stories260K/stories260K.gguf";
  if (const char *dir = std::getenv("TT_SHARED_DIR"))
    return std::string(dir) + "/" + rel;
  if (const char *src = std::getenv("TT_SOURCE_DIR"))
    return std::string(src) + "/../shared/" + rel;
  return std::string(TT_SOURCE_DIR_DEFAULT) + "/../shared/" + rel;
}

uint64_t fnv(uint64_t h, const std::vector<uint8_t> &bytes) {
  for (uint8_t b : bytes) {
    h ^= b;
    h *= 1099511628211ull;
  }
  return h;
}

struct Golden {
  int32_t type;
  std::vector<uint8_t> firstBlock;
  uint64_t hash;
};

} // namespace

TEST(QuantizeGGML, BitIdenticalOnRealWeights) {
  std::string path = storiesPath();
  if (!llvm::sys::fs::exists(path))
    GTEST_SKIP() << "stories260K not found at " << path
                 << " (set TT_SHARED_DIR)";
  auto store = WeightStore::open(path);
  ASSERT_TRUE(!!store) << llvm::toString(store.takeError());
  const char *names[] = {"token_embd.weight", "blk.0.attn_q.weight",
                         "blk.0.attn_k.weight", "blk.2.ffn_up.weight",
                         "blk.4.attn_output.weight"};
  const Golden goldens[] = {
      {TTRT_TYPE_Q8_0,
       {0x1a, 0x1f, 0xd6, 0x51, 0x19, 0x31, 0xef, 0x21, 0x01, 0x04, 0x06, 0x1f,
        0xe6, 0xb8, 0x28, 0xd3, 0xe2, 0x29, 0xe2, 0x19, 0x81, 0x2a, 0x62, 0x9e,
        0x2d, 0x5b, 0xd2, 0x00, 0x94, 0x10, 0xe3, 0x19, 0xf8, 0xdf},
       16109277297543841026ull},
      {TTRT_TYPE_Q4_0,
       {0x0c, 0x2f, 0x65, 0xad, 0x0a, 0xbb, 0xe7, 0x2a, 0xb8, 0xe8, 0x58, 0x8a,
        0x16, 0x93, 0x6b, 0xa5, 0x86, 0x6b},
       17300892768598354176ull},
      {TTRT_TYPE_MXFP4,
       {0x7c, 0xbc, 0x36, 0xf3, 0x45, 0x7a, 0xf4, 0x40, 0x70, 0xd1, 0x03, 0xfb,
        0x2e, 0xb4, 0x3d, 0x9b, 0xc4},
       3086970191661618621ull},
  };
  for (const Golden &golden : goldens) {
    uint64_t hash = 14695981039346656037ull;
    for (const char *name : names) {
      auto w = (*store)->lookup(name);
      ASSERT_TRUE(!!w) << llvm::toString(w.takeError());
      ASSERT_EQ(w->type, TTRT_TYPE_F32) << name;
      int64_t cols = w->shape.back(), rows = 1;
      for (int64_t d : w->shape)
        rows *= d;
      rows /= cols;
      int64_t rowBytes = ttrt_row_bytes(golden.type, cols);
      std::vector<uint8_t> out(rows * rowBytes);
      const auto *x = static_cast<const float *>(w->data);
      for (int64_t r = 0; r < rows; ++r)
        ASSERT_TRUE(quantizeRow(golden.type, x + r * cols, cols,
                                out.data() + r * rowBytes));
      if (name == names[0]) {
        EXPECT_EQ(std::vector<uint8_t>(out.begin(),
                                       out.begin() + golden.firstBlock.size()),
                  golden.firstBlock)
            << rt::typeName(golden.type);
      }
      hash = fnv(hash, out);
    }
    EXPECT_EQ(hash, golden.hash) << rt::typeName(golden.type);
  }
}
