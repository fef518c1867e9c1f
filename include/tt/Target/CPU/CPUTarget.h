//===- CPUTarget.h - Compile tt models for the host CPU ---------*- C++ -*-===//
//
// The CPU back end: a module holding a tt model goes through
// `tt-to-cpu-pipeline` to the LLVM dialect and from there to LLVM IR, an
// object file (AOT) or machine code in this process (JIT through
// mlir::ExecutionEngine, or an object file linked by ORC, kept in a compile
// cache: CompileCache.h). The compiled entry points are described in
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
class MemoryBuffer;
class Module;
namespace orc {
class LLJIT;
} // namespace orc
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
  /// A compile cache directory (CompileCache.h): the code is loaded from it
  /// when an entry for this model exists, and written to it otherwise. Empty:
  /// no cache, the model is compiled through mlir::ExecutionEngine.
  std::string cacheDir;
  /// Time the lowering's passes (JITModel::passTimingReport).
  bool passTiming = false;
};

/// Where JITModel::compile spent its time (zero: not done).
struct CompileStats {
  struct Time {
    double wall = 0; ///< seconds
    double cpu = 0;  ///< seconds of this process's CPU time
  };
  Time cacheKey;  ///< printing and hashing the module
  Time lower;     ///< tt-to-cpu-pipeline
  Time translate; ///< LLVM dialect to LLVM IR
  Time optimize;  ///< LLVM's optimisation pipeline
  Time codegen;   ///< LLVM IR to machine code (and, without a cache, the
                  ///< optimisation and translation: ExecutionEngine does all)
  Time load;      ///< reading the cache entry, linking the object
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
  /// The address of the entry point `<model><suffix>` (e.g. "_decode").
  /// With a cache the model is compiled under a fixed name, so look entry
  /// points up through this, not by the model's name.
  llvm::Expected<void *> lookupEntryPoint(llvm::StringRef suffix) const;

  /// With JITOptions::cacheDir: the entry the code was loaded from or
  /// written to (empty when writing it failed), and whether it was loaded.
  const std::string &cacheEntry() const { return cachePath; }
  bool loadedFromCache() const { return cacheHit; }
  /// Problems with the cache that did not stop compilation (an unusable
  /// entry, an unwritable directory), one line each.
  const std::vector<std::string> &cacheWarnings() const { return warnings; }
  const CompileStats &stats() const { return compileStats; }
  /// With JITOptions::passTiming, MLIR's timing report of the lowering's
  /// passes (empty when the code came from the cache).
  const std::string &passTimingReport() const { return timingReport; }

private:
  JITModel() = default;
  llvm::Error compileThroughCache(mlir::ModuleOp module,
                                  const JITOptions &options,
                                  const llvm::StringMap<void *> &symbols);
  llvm::Error loadObject(std::unique_ptr<llvm::MemoryBuffer> object,
                         const llvm::StringMap<void *> &symbols);
  llvm::Error resolveEntryPoints();

  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::unique_ptr<llvm::orc::LLJIT> objectJIT; ///< code from an object file
  std::shared_ptr<std::string> linkErrors;      ///< objectJIT's, reported
  std::string symbolPrefix;                     ///< the entry points' prefix
  ModelStepFn prefillFn = nullptr, decodeFn = nullptr;
  const char *(*weightNamesFn)() = nullptr;
  ModelLayout modelLayout;
  std::string cachePath;
  bool cacheHit = false;
  std::vector<std::string> warnings;
  CompileStats compileStats;
  std::string timingReport;
};

} // namespace tt

#endif // TT_TARGET_CPU_CPUTARGET_H
