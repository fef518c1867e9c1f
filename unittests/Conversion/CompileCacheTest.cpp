//===- CompileCacheTest.cpp - Compiled models kept on disk ----------------===//

#include "tt/Target/CPU/CPUTarget.h"
#include "tt/Target/CPU/CompileCache.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace tt;

namespace {

const char *kModel = R"mlir(
  func.func @tiny(%t: tensor<?x?xi32>) -> tensor<?x?x9xf32> {
    %e = tt.weight "embed" : tensor<9x4xf32>
    %x = tt.embedding %t table(%e : tensor<9x4xf32>) : tensor<?x?xi32> -> tensor<?x?x4xf32>
    %w = tt.weight "norm" : tensor<4xf32>
    %n = tt.norm rms final %x eps(1.0e-05) weight(%w : tensor<4xf32>) : tensor<?x?x4xf32>
    %l = tt.lm_head %n weight(%e : tensor<9x4xf32>) : tensor<?x?x4xf32> -> tensor<?x?x9xf32>
    return %l : tensor<?x?x9xf32>
  })mlir";

std::string replaced(std::string text, llvm::StringRef from,
                     llvm::StringRef to) {
  size_t at = text.find(from.str());
  EXPECT_NE(at, std::string::npos) << from.str();
  if (at != std::string::npos)
    text.replace(at, from.size(), to.str());
  return text;
}

class CompileCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    mlir::DialectRegistry registry;
    registerCPUTargetDialects(registry);
    ctx.appendDialectRegistry(registry);
    ctx.loadAllAvailableDialects();
    llvm::SmallString<128> model, path;
    llvm::sys::path::system_temp_directory(/*erasedOnReboot=*/true, model);
    llvm::sys::path::append(model, "tt-cache-test");
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory(model, path));
    dir = std::string(path);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  mlir::OwningOpRef<mlir::ModuleOp> parse(const std::string &text,
                                          llvm::StringRef file = "model.mlir") {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(
        text, mlir::ParserConfig(&ctx), file);
    EXPECT_TRUE(module) << text;
    return module;
  }

  std::string key(const std::string &text, const CodegenTarget &target) {
    auto module = parse(text);
    return module ? compileCacheKey(*module, target) : "";
  }

  mlir::MLIRContext ctx;
  std::string dir;
};

TEST_F(CompileCacheTest, KeyCoversTheModuleAndTheTarget) {
  CodegenTarget target;
  target.triple = "x86_64-unknown-linux-gnu";
  target.cpu = "skylake-avx512";
  target.features = "+avx2,+avx512f,-amx-tile";
  target.optLevel = 3;
  std::string base = key(kModel, target);
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(key(kModel, target), base);

  // What the code depends on changes the key.
  EXPECT_NE(key(replaced(kModel, "eps(1.0e-05)", "eps(1.0e-06)"), target),
            base);
  EXPECT_NE(key(replaced(kModel, "tt.weight \"norm\"", "tt.weight \"norm2\""),
                target),
            base);
  CodegenTarget other = target;
  other.cpu = "znver4";
  EXPECT_NE(key(kModel, other), base);
  other = target;
  other.features = "+avx2,-avx512f,-amx-tile";
  EXPECT_NE(key(kModel, other), base);
  other = target;
  other.optLevel = 2;
  EXPECT_NE(key(kModel, other), base);
  other = target;
  other.triple = "aarch64-unknown-linux-gnu";
  EXPECT_NE(key(kModel, other), base);

  // What it does not depend on leaves the key alone: where the model came
  // from (locations), the order LLVM lists the features in.
  auto moved = parse(kModel, "/somewhere/else/model.gguf");
  ASSERT_TRUE(moved);
  EXPECT_EQ(compileCacheKey(*moved, target), base);
  other = target;
  other.features = "-amx-tile,+avx512f,+avx2";
  EXPECT_EQ(key(kModel, other), base);

  EXPECT_FALSE(ttBuildId().empty());
}

TEST_F(CompileCacheTest, StoresAndLoadsEntries) {
  CompileCache cache(dir + "/sub");
  std::string k(64, 'a');
  auto none = cache.load(k);
  ASSERT_TRUE(bool(none)) << llvm::toString(none.takeError());
  EXPECT_FALSE(none->has_value());

  const char raw[] = "\x7f"
                     "ELF object bytes\n\0with a NUL";
  std::string object(raw, sizeof(raw) - 1);
  auto stored = cache.store(k, {"m_prefill", "m_decode"}, object);
  ASSERT_TRUE(bool(stored)) << llvm::toString(stored.takeError());
  EXPECT_EQ(*stored, cache.entryPath(k));
  auto entry = cache.load(k);
  ASSERT_TRUE(bool(entry)) << llvm::toString(entry.takeError());
  ASSERT_TRUE(entry->has_value());
  EXPECT_EQ((*entry)->object->getBuffer(), object);
  EXPECT_EQ((*entry)->entryPoints,
            (std::vector<std::string>{"m_prefill", "m_decode"}));
  EXPECT_EQ((*entry)->path, *stored);

  // Another key's entry under this name is refused.
  std::string other(64, 'b');
  ASSERT_FALSE(llvm::sys::fs::copy_file(*stored, cache.entryPath(other)));
  auto wrong = cache.load(other);
  ASSERT_FALSE(bool(wrong));
  std::string message = llvm::toString(wrong.takeError());
  EXPECT_NE(message.find(cache.entryPath(other)), std::string::npos)
      << message;
  EXPECT_NE(message.find("written for key '" + k + "'"), std::string::npos)
      << message;

  // A truncated entry is refused, naming the file.
  auto bytes = llvm::MemoryBuffer::getFile(*stored);
  ASSERT_TRUE(bool(bytes));
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(*stored, ec);
    ASSERT_FALSE(ec);
    os << (*bytes)->getBuffer().drop_back(3);
  }
  auto truncated = cache.load(k);
  ASSERT_FALSE(bool(truncated));
  message = llvm::toString(truncated.takeError());
  EXPECT_NE(message.find(*stored + ": unusable compile cache entry "
                                   "(truncated: "),
            std::string::npos)
      << message;
}

TEST_F(CompileCacheTest, JITModelWritesThenLoads) {
  JITOptions options;
  options.cacheDir = dir;
  auto first = JITModel::compile(*parse(kModel), options);
  ASSERT_TRUE(bool(first)) << llvm::toString(first.takeError());
  EXPECT_FALSE((*first)->loadedFromCache());
  EXPECT_TRUE((*first)->cacheWarnings().empty());
  ASSERT_FALSE((*first)->cacheEntry().empty());
  EXPECT_TRUE(llvm::sys::fs::exists((*first)->cacheEntry()));
  EXPECT_GT((*first)->stats().codegen.wall, 0);

  // A model of the same shape under another name: the same entry, loaded.
  auto second =
      JITModel::compile(*parse(replaced(kModel, "@tiny", "@renamed")), options);
  ASSERT_TRUE(bool(second)) << llvm::toString(second.takeError());
  EXPECT_TRUE((*second)->loadedFromCache());
  EXPECT_EQ((*second)->cacheEntry(), (*first)->cacheEntry());
  EXPECT_EQ((*second)->stats().codegen.wall, 0);
  EXPECT_EQ((*second)->layout().name, "renamed");
  EXPECT_EQ((*second)->compiledWeightNames(),
            (std::vector<std::string>{"embed", "norm"}));
  EXPECT_NE((*second)->prefill(), nullptr);
  EXPECT_NE((*second)->decode(), nullptr);
  auto decode = (*second)->lookupEntryPoint("_decode");
  ASSERT_TRUE(bool(decode)) << llvm::toString(decode.takeError());
  EXPECT_EQ(*decode, reinterpret_cast<void *>((*second)->decode()));
  EXPECT_FALSE(bool((*second)->lookupEntryPoint("_nope")));

  // A damaged entry: a warning, compiled again, the entry rewritten.
  {
    std::error_code ec;
    llvm::raw_fd_ostream os((*first)->cacheEntry(), ec);
    ASSERT_FALSE(ec);
    os << "tt-compile-cache 1\n{}\n";
  }
  auto third = JITModel::compile(*parse(kModel), options);
  ASSERT_TRUE(bool(third)) << llvm::toString(third.takeError());
  EXPECT_FALSE((*third)->loadedFromCache());
  ASSERT_EQ((*third)->cacheWarnings().size(), 1u);
  EXPECT_NE((*third)->cacheWarnings()[0].find("compiling again"),
            std::string::npos);
  auto fourth = JITModel::compile(*parse(kModel), options);
  ASSERT_TRUE(bool(fourth)) << llvm::toString(fourth.takeError());
  EXPECT_TRUE((*fourth)->loadedFromCache());
}

TEST_F(CompileCacheTest, DefaultDirectoryFollowsTheEnvironment) {
  const char *saved = std::getenv("TT_CACHE_DIR");
  std::string restore = saved ? saved : "";
  ::setenv("TT_CACHE_DIR", "/some/cache", 1);
  EXPECT_EQ(defaultCompileCacheDir(), "/some/cache");
  ::unsetenv("TT_CACHE_DIR");
  std::string fallback = defaultCompileCacheDir();
  if (!fallback.empty())
    EXPECT_EQ(llvm::sys::path::filename(fallback), "tt");
  if (saved)
    ::setenv("TT_CACHE_DIR", restore.c_str(), 1);
}

} // namespace
