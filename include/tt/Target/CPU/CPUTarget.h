//===- CPUTarget.h - Compile tt models for the host CPU ---------*- C++ -*-===//
//
// The CPU back end: a module holding a tt model goes through
// `tt-to-cpu-pipeline` to the LLVM dialect and from there to LLVM IR, an
// object file (AOT) or machine code in this process (JIT through
// mlir::ExecutionEngine). The compiled entry points are described in
// tt/Runtime/RuntimeABI.h ("Compiled model entry points").
//
//===----------------------------------------------------------------------===//

#ifndef TT_TARGET_CPU_CPUTARGET_H
#define TT_TARGET_CPU_CPUTARGET_H

#include "tt/Runtime/RuntimeABI.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace tt {

/// `<model>_prefill` / `<model>_decode`.
using ModelStepFn = void (*)(ttrt_context *ctx, const int32_t *tokens,
                             int64_t n, int64_t pos0, float *logits);

/// What a runtime needs to know about a model to run its compiled code,
/// read from the tt IR.
struct ModelLayout {
  std::string name;      ///< the model function's name (symbol prefix)
  int64_t vocabSize = 0; ///< logits per token
  int64_t hiddenSize = 0;
  int64_t maxPositions = 0; ///< tt.max_position_embeddings, 0 if absent
  /// Per layer (by tt.layer index): the KV cache row shape, 0 heads for a
  /// layer without attention, and its element type (TTRT_KV_*: the
  /// attention's KV-cache dtype, see tt-kv-cache).
  struct KVLayer {
    int64_t kvHeads = 0, headDim = 0;
    int32_t kvType = TTRT_KV_F32;
  };
  std::vector<KVLayer> layers;
  /// Every weight the model binds, in order of first use.
  std::vector<std::string> weightNames;
};

/// Describes the model function `name` of `module` (the only model
/// function when `name` is empty).
llvm::Expected<ModelLayout> describeModel(mlir::ModuleOp module,
                                          llvm::StringRef name = "");

/// Adds the dialects, interfaces and translations the CPU pipeline uses.
void registerCPUTargetDialects(mlir::DialectRegistry &registry);

/// Runs tt-to-cpu-pipeline on `module` in place (tt -> LLVM dialect).
/// Diagnostics go to the context's handler.
llvm::Error lowerToLLVMDialect(mlir::ModuleOp module);

/// Translates an LLVM-dialect module to LLVM IR, optimised at `optLevel`
/// for the host CPU (its features included).
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp llvmDialectModule, llvm::LLVMContext &ctx,
                  unsigned optLevel = 3);

/// AOT: lowers a copy of the tt module and writes LLVM IR text / a host
/// object file defining the entry points (the runtime's symbols stay
/// undefined, to be linked against TTRuntime and TTRuntimeKernels).
llvm::Error emitLLVMIR(mlir::ModuleOp module, llvm::raw_ostream &os,
                       unsigned optLevel = 3);
llvm::Error emitObjectFile(mlir::ModuleOp module, llvm::raw_ostream &os,
                           unsigned optLevel = 3);

struct JITOptions {
  unsigned optLevel = 3;
  /// The model function to compile (the only one when empty).
  std::string model;
  /// Symbols the compiled code resolves before the runtime's (TTRuntime and
  /// TTRuntimeKernels, which TTTargetCPU links) and the process's. Tests use
  /// it to bind a context of their own.
  llvm::StringMap<void *> symbols;
};

/// A model compiled into this process.
class JITModel {
public:
  /// Lowers a copy of `module` (left unchanged) and JIT-compiles it.
  static llvm::Expected<std::unique_ptr<JITModel>>
  compile(mlir::ModuleOp module, const JITOptions &options = {});
  ~JITModel();

  ModelStepFn prefill() const { return prefillFn; }
  ModelStepFn decode() const { return decodeFn; }
  const ModelLayout &layout() const { return modelLayout; }
  /// The list `<model>_weight_names` returns, as the compiled code has it.
  std::vector<std::string> compiledWeightNames() const;

private:
  JITModel() = default;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  ModelStepFn prefillFn = nullptr, decodeFn = nullptr;
  const char *(*weightNamesFn)() = nullptr;
  ModelLayout modelLayout;
};

} // namespace tt

#endif // TT_TARGET_CPU_CPUTARGET_H
