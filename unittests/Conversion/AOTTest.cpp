//===- AOTTest.cpp - LLVM IR and object files from tt models --------------===//

#include "tt/Target/CPU/CPUTarget.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <map>

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

struct Parsed {
  Parsed() {
    mlir::DialectRegistry registry;
    registerCPUTargetDialects(registry);
    ctx.appendDialectRegistry(registry);
    ctx.loadAllAvailableDialects();
    module = mlir::parseSourceString<mlir::ModuleOp>(kModel, &ctx);
  }
  mlir::MLIRContext ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

TEST(CPUTarget, EmitsLLVMIR) {
  Parsed p;
  ASSERT_TRUE(p.module);
  std::string ir;
  llvm::raw_string_ostream os(ir);
  ASSERT_FALSE(bool(emitLLVMIR(*p.module, os)));
  EXPECT_NE(ir.find("void @tiny_prefill(ptr"), std::string::npos) << ir;
  EXPECT_NE(ir.find("void @tiny_decode(ptr"), std::string::npos);
  EXPECT_NE(ir.find("ptr @tiny_weight_names()"), std::string::npos);
  EXPECT_NE(ir.find("declare void @ttrt_matmul(ptr"), std::string::npos);
  EXPECT_NE(ir.find("c\"embed\\00norm\\00\\00\""), std::string::npos);
  // The host's triple and data layout are set.
  EXPECT_NE(ir.find("target triple"), std::string::npos);
  // The input is left as it was.
  EXPECT_FALSE(p.module->lookupSymbol("tiny_prefill"));
}

TEST(CPUTarget, EmitsObjectFileWithEntryPoints) {
  Parsed p;
  ASSERT_TRUE(p.module);
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  ASSERT_FALSE(bool(emitObjectFile(*p.module, os)));
  auto buffer = llvm::MemoryBuffer::getMemBuffer(bytes, "tiny.o", false);
  auto object = llvm::object::ObjectFile::createObjectFile(*buffer);
  ASSERT_TRUE(bool(object)) << llvm::toString(object.takeError());
  std::map<std::string, bool> defined;
  for (const auto &sym : (*object)->symbols()) {
    auto name = sym.getName();
    auto flags = sym.getFlags();
    if (!name || !flags)
      continue;
    defined[name->str()] = !(*flags & llvm::object::SymbolRef::SF_Undefined);
  }
  EXPECT_TRUE(defined["tiny_prefill"]);
  EXPECT_TRUE(defined["tiny_decode"]);
  EXPECT_TRUE(defined["tiny_weight_names"]);
  ASSERT_TRUE(defined.count("ttrt_weight"));
  EXPECT_FALSE(defined["ttrt_weight"]);
  EXPECT_FALSE(defined["ttrt_matmul"]);
}

TEST(CPUTarget, ReportsPipelineErrors) {
  mlir::DialectRegistry registry;
  registerCPUTargetDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @m(%t: tensor<?x?xi32>) -> tensor<?x?x4xf32> {
      %e = tt.weight "embed" : tensor<9x4xf32>
      %x = tt.embedding %t table(%e : tensor<9x4xf32>) : tensor<?x?xi32> -> tensor<?x?x4xf32>
      %w = tt.weight "mixer" : tensor<4x4xf32>
      %m = tt.unsupported "mamba_mixer" (%x : tensor<?x?x4xf32>) weights(%w : tensor<4x4xf32>) -> tensor<?x?x4xf32>
      return %m : tensor<?x?x4xf32>
    })mlir",
                                                        &ctx);
  ASSERT_TRUE(module);
  auto jit = JITModel::compile(*module);
  ASSERT_FALSE(bool(jit));
  std::string message = llvm::toString(jit.takeError());
  EXPECT_NE(message.find("tt.unsupported \"mamba_mixer\" cannot be compiled"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("loc(\"-\":6:"), std::string::npos) << message;
}

} // namespace

namespace {

TEST(CPUTarget, PicksTheNamedModel) {
  mlir::DialectRegistry registry;
  registerCPUTargetDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  std::string two = std::string(kModel) + R"mlir(
  func.func @other(%t: tensor<?x?xi32>) -> tensor<?x?x9xf32> {
    %e = tt.weight "other.embed" : tensor<9x4xf32>
    %x = tt.embedding %t table(%e : tensor<9x4xf32>) : tensor<?x?xi32> -> tensor<?x?x4xf32>
    %l = tt.lm_head %x weight(%e : tensor<9x4xf32>) : tensor<?x?x4xf32> -> tensor<?x?x9xf32>
    return %l : tensor<?x?x9xf32>
  })mlir";
  auto module = mlir::parseSourceString<mlir::ModuleOp>(two, &ctx);
  ASSERT_TRUE(module);
  auto ambiguous = describeModel(*module);
  ASSERT_FALSE(bool(ambiguous));
  EXPECT_EQ(llvm::toString(ambiguous.takeError()),
            "expected one model function in the module, found 2; name the "
            "one to compile");
  auto missing = describeModel(*module, "nope");
  ASSERT_FALSE(bool(missing));
  EXPECT_EQ(llvm::toString(missing.takeError()),
            "no model function named 'nope' in the module");

  JITOptions options;
  options.model = "other";
  auto jit = JITModel::compile(*module, options);
  ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());
  EXPECT_EQ((*jit)->layout().name, "other");
  EXPECT_EQ((*jit)->layout().vocabSize, 9);
  EXPECT_EQ((*jit)->compiledWeightNames(),
            std::vector<std::string>{"other.embed"});
}

} // namespace
