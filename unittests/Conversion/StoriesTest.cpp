//===- StoriesTest.cpp - stories260K end to end through the JIT -----------===//
//
// llama2.c's stories260K (f32, 5 layers, GQA, interleaved rope), imported
// from GGUF, compiled by tt-to-cpu-pipeline and run through the JIT: greedy
// decoding from BOS must reproduce llama2.c's reference text, and prefill
// must agree with step-by-step decoding. Weights and KV cache come from the
// runtime (WeightStore over the mmap'd GGUF, ttrt_context).
//
//===----------------------------------------------------------------------===//

#include "SharedPath.h"

#include "tt/Import/GGUFImporter.h"
#include "tt/Import/GGUFReader.h"
#include "tt/Runtime/Context.h"
#include "tt/Runtime/Tokenizer.h"
#include "tt/Runtime/WeightStore.h"
#include "tt/Target/CPU/CPUTarget.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace tt;
using namespace tt::test;

namespace {

int32_t argmax(const float *v, int64_t n) {
  return static_cast<int32_t>(std::max_element(v, v + n) - v);
}

class Stories260K : public ::testing::Test {
protected:
  void SetUp() override {
    path = sharedPath("models/stories260K/stories260K.gguf");
    if (!llvm::sys::fs::exists(path))
      GTEST_SKIP() << "no " << path;
    mlir::DialectRegistry registry;
    registerCPUTargetDialects(registry);
    ctx.appendDialectRegistry(registry);
    ctx.loadAllAvailableDialects();
    module = importGGUF(ctx, path, sourceDir() + "/data/families");
    ASSERT_TRUE(module) << "import of " << path << " failed";

    auto buffer = llvm::MemoryBuffer::getFile(path);
    ASSERT_TRUE(bool(buffer));
    file = std::move(*buffer);
    auto gguf = parseGGUF(file->getMemBufferRef());
    ASSERT_TRUE(bool(gguf)) << llvm::toString(gguf.takeError());
    info = std::move(*gguf);

    auto jit = JITModel::compile(*module);
    ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());
    model = std::move(*jit);
  }

  std::unique_ptr<ttrt_context> newContext(int64_t contextLength) {
    auto store = WeightStore::open(path);
    EXPECT_TRUE(bool(store)) << llvm::toString(store.takeError());
    std::vector<KVCacheShape> shapes;
    for (const ModelLayout::KVLayer &l : model->layout().layers)
      shapes.push_back({l.kvHeads, l.headDim});
    auto c = ttrt_context::create(std::move(*store), shapes, contextLength);
    EXPECT_TRUE(bool(c)) << llvm::toString(c.takeError());
    // Every name the compiled code asks for is bound up front.
    llvm::Error bound = (*c)->bindAll(model->compiledWeightNames());
    EXPECT_FALSE(bool(bound)) << llvm::toString(std::move(bound));
    return std::move(*c);
  }

  std::string path;
  mlir::MLIRContext ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<llvm::MemoryBuffer> file;
  GGUFFile info;
  std::unique_ptr<JITModel> model;
};

TEST_F(Stories260K, Layout) {
  const ModelLayout &layout = model->layout();
  EXPECT_EQ(layout.vocabSize, 512);
  EXPECT_EQ(layout.hiddenSize, 64);
  ASSERT_EQ(layout.layers.size(), 5u);
  EXPECT_EQ(layout.layers[0].kvHeads, 4);
  EXPECT_EQ(layout.layers[0].headDim, 8);
  // The compiled list and the IR agree, and every name is in the file.
  EXPECT_EQ(model->compiledWeightNames(), layout.weightNames);
  EXPECT_EQ(layout.weightNames.size(), 2u + 5u * 9u + 1u);
  for (const std::string &name : layout.weightNames)
    EXPECT_NE(info.findTensor(name), nullptr) << name;
}

TEST_F(Stories260K, GreedyMatchesLlama2c) {
  std::string expectedPath =
      sharedPath("models/stories260K/expected/greedy_no_prompt_256.txt");
  auto expected = llvm::MemoryBuffer::getFile(expectedPath);
  ASSERT_TRUE(bool(expected)) << expectedPath;
  auto tokenizer = rt::Tokenizer::fromGGUFFile(path);
  ASSERT_TRUE(bool(tokenizer)) << llvm::toString(tokenizer.takeError());

  const int64_t vocab = model->layout().vocabSize;
  auto c = newContext(256);
  std::vector<float> logits(vocab);
  std::vector<int32_t> ids{1};
  int32_t token = 1;
  for (int64_t pos = 0; pos < 256; ++pos) {
    model->decode()(c.get(), &token, 1, pos, logits.data());
    token = argmax(logits.data(), vocab);
    if (token == 1) // llama2.c stops at BOS
      break;
    ids.push_back(token);
  }
  EXPECT_EQ(ids.size(), 257u) << "generation stopped early at a BOS";
  std::string text = (*tokenizer)->decode(ids);
  std::string want = (*expected)->getBuffer().str();
  // The reference ends with a newline the generation does not hold.
  while (!want.empty() && want.back() == '\n' &&
         (text.empty() || text.back() != '\n'))
    want.pop_back();
  EXPECT_EQ(text, want);
}

TEST_F(Stories260K, PrefillAgreesWithDecode) {
  const int64_t vocab = model->layout().vocabSize;
  const int64_t n = 13;
  // Decode token by token, feeding back the greedy choice.
  auto c = newContext(64);
  std::vector<int32_t> tokens{1};
  std::vector<float> stepLogits(n * vocab);
  for (int64_t pos = 0; pos < n; ++pos) {
    model->decode()(c.get(), &tokens[pos], 1, pos,
                    stepLogits.data() + pos * vocab);
    tokens.push_back(argmax(stepLogits.data() + pos * vocab, vocab));
  }
  // The same tokens in one prefill of 5 and one of 8 on a fresh cache.
  auto p = newContext(64);
  std::vector<float> prefillLogits(n * vocab);
  model->prefill()(p.get(), tokens.data(), 5, 0, prefillLogits.data());
  model->prefill()(p.get(), tokens.data() + 5, 8, 5,
                   prefillLogits.data() + 5 * vocab);
  for (int64_t i = 0; i < n * vocab; ++i)
    ASSERT_NEAR(prefillLogits[i], stepLogits[i],
                1e-4f * (1.0f + std::fabs(stepLogits[i])))
        << "token " << i / vocab << " logit " << i % vocab;
  // Both paths wrote the same KV cache.
  const ModelLayout &layout = model->layout();
  for (size_t l = 0; l < layout.layers.size(); ++l)
    for (int which = 0; which < 2; ++which) {
      const float *want = c->kvCache(l, which), *got = p->kvCache(l, which);
      for (int64_t i = 0;
           i < 64 * layout.layers[l].kvHeads * layout.layers[l].headDim; ++i)
        ASSERT_NEAR(got[i], want[i], 1e-4f)
            << "layer " << l << (which ? " V " : " K ") << "element " << i;
    }
}

} // namespace
