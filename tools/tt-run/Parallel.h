//===- Parallel.h - tt-run over MPI: --tp and --pp ------------*- C++ -*-===//
//
// Under `mpirun -np T*S tt-run MODEL --tp T --pp S`, every process imports
// the model, splits it with tt-tensor-parallel{tp=T} and
// tt-pipeline-parallel{pp=S}, keeps its own stage (tt-select-stage), compiles
// it, binds its shards and runs every step; the collectives in the compiled
// code are MPI calls through the runtime. The first process of the last
// stage samples, every process continues with the token it broadcasts, and
// only world rank 0 writes text to stdout (the others' stdout is closed to
// /dev/null) and the tokens/s line.
//
//===----------------------------------------------------------------------===//

#ifndef TT_TOOLS_TTRUN_PARALLEL_H
#define TT_TOOLS_TTRUN_PARALLEL_H

#include "tt/Runtime/Comm.h"
#include "tt/Runtime/Context.h"
#include "tt/Target/CPU/CPUTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace tt {

/// An MPI session when this run needs one: --tp or --pp above 1, or a
/// process started by mpirun (so that a wrong world size is an error rather
/// than N runs side by side). Null otherwise.
std::unique_ptr<rt::MPISession> startMPI(int tp, int pp, int *argc,
                                         char ***argv);

class ParallelRun {
public:
  /// Sets up the communicators for `tp` x `pp` processes (MPI must have
  /// been initialised by an rt::MPISession). Errors: sizes < 1, a world of
  /// another size, a tt without MPI.
  static llvm::Expected<std::unique_ptr<ParallelRun>> create(int tp, int pp);

  bool isParallel() const { return grid().worldSize() > 1; }
  const rt::ProcessGrid &grid() const { return where; }
  /// World rank 0 writes text and statistics.
  bool isLead() const { return grid().worldRank() == 0; }
  /// The process whose logits are sampled: the first of the last stage.
  int samplerRank() const { return (grid().ppSize - 1) * grid().tpSize; }
  bool isSampler() const { return grid().worldRank() == samplerRank(); }

  /// Splits `module` for this process: tensor-parallel and pipeline passes,
  /// then this stage. Remembers the whole model's vocabulary size first.
  llvm::Error partition(mlir::ModuleOp module);
  /// The vocabulary of the whole model (the logits' width on the sampler).
  int64_t vocabSize() const { return vocab; }

  /// The runtime's collectives, for JITOptions::symbols.
  void addSymbols(JITOptions &jit) const;
  /// KV cache shapes for a context: layers of other stages get a minimal
  /// placeholder (the context needs every index up to the last).
  std::vector<KVCacheShape> kvShapes(const ModelLayout &layout) const;
  /// Hands the communicator to the context (and its place in the run, which
  /// picks the weight shards) and waits for every process to get there; call
  /// before binding.
  void attach(ttrt_context &ctx);
  /// The token the sampler chose, on every process.
  int32_t agree(ttrt_context &ctx, int32_t token) const;

private:
  ParallelRun() = default;
  std::unique_ptr<rt::Communicator> comm; ///< until attach()
  rt::ProcessGrid where;
  int64_t vocab = 0;
};

} // namespace tt

#endif // TT_TOOLS_TTRUN_PARALLEL_H
