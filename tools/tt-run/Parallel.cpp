//===- Parallel.cpp - tt-run over MPI: --tp and --pp ----------------------===//

#include "Parallel.h"

#include "tt/Conversion/TTToLinalg/ShardToRuntime.h"

#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/IR/SymbolTable.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

using namespace tt;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The size of the one-dimensional shard.grid `name`, 0 if there is none.
static int64_t gridSize(mlir::ModuleOp module, llvm::StringRef name) {
  auto grid = llvm::dyn_cast_or_null<mlir::shard::GridOp>(
      mlir::SymbolTable::lookupSymbolIn(module, name));
  if (!grid || grid.getRank() != 1)
    return 0;
  return grid.getShape()[0];
}

std::unique_ptr<rt::MPISession> tt::startMPI(int tp, int pp, int *argc,
                                             char ***argv) {
  bool launched = false;
  for (const char *var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    launched |= std::getenv(var) != nullptr;
  if (!launched && tp * pp <= 1)
    return nullptr;
  return std::make_unique<rt::MPISession>(argc, argv);
}

llvm::Expected<std::unique_ptr<ParallelRun>> ParallelRun::create(int tp,
                                                                 int pp) {
  auto comm = rt::Communicator::create(tp, pp);
  if (!comm)
    return comm.takeError();
  std::unique_ptr<ParallelRun> run(new ParallelRun());
  run->comm = std::move(*comm);
  run->where = run->comm->grid();
  if (!run->isLead()) {
    // Only rank 0 writes the text; the others' stdout goes nowhere.
    llvm::outs().flush();
    int null = ::open("/dev/null", O_WRONLY);
    if (null < 0 || ::dup2(null, STDOUT_FILENO) < 0)
      return fail("cannot redirect the standard output of rank " +
                  llvm::Twine(run->grid().worldRank()) + " to /dev/null");
    ::close(null);
  }
  return std::move(run);
}

llvm::Error ParallelRun::partition(mlir::ModuleOp module) {
  auto whole = describeModel(module);
  if (!whole)
    return whole.takeError();
  vocab = whole->vocabSize;
  const rt::ProcessGrid &g = grid();

  // A module --passes or --hardware already split must have been split for
  // this run's sizes; the collectives would be wrong otherwise.
  int64_t splitTP = gridSize(module, kTensorParallelGrid);
  int64_t splitPP = gridSize(module, kPipelineGrid);
  if ((splitTP && splitTP != g.tpSize) || (splitPP && splitPP != g.ppSize))
    return fail(llvm::formatv(
        "the model was split for {0} tensor-parallel device(s) and {1} "
        "pipeline stage(s) before compiling (shard.grid @{2} / @{3}), but "
        "this run has --tp {4} --pp {5}",
        splitTP ? splitTP : 1, splitPP ? splitPP : 1, kTensorParallelGrid,
        kPipelineGrid, g.tpSize, g.ppSize));
  if (!isParallel())
    return llvm::Error::success();

  // Passes on the module itself (the pass manager is anchored on it).
  std::string pipeline;
  if (g.tpSize > 1 && !splitTP)
    pipeline += llvm::formatv("tt-tensor-parallel{{tp={0}},", g.tpSize).str();
  if (g.ppSize > 1 && !splitPP)
    pipeline += llvm::formatv("tt-pipeline-parallel{{pp={0}},", g.ppSize).str();
  if (g.ppSize > 1)
    pipeline += llvm::formatv("tt-select-stage{{stage={0}},", g.ppRank).str();
  if (pipeline.empty()) // split by --passes / --hardware already
    return llvm::Error::success();
  pipeline.pop_back();

  std::string messages;
  llvm::raw_string_ostream os(messages);
  mlir::MLIRContext *ctx = module.getContext();
  mlir::PassManager pm(ctx, mlir::ModuleOp::getOperationName());
  if (mlir::failed(mlir::parsePassPipeline(pipeline, pm, os)))
    return fail("cannot build the pipeline " + pipeline + ": " + messages);
  mlir::LogicalResult result = mlir::success();
  {
    mlir::ScopedDiagnosticHandler handler(ctx, [&](mlir::Diagnostic &diag) {
      if (diag.getSeverity() == mlir::DiagnosticSeverity::Error) {
        os << diag.getLocation() << ": " << diag << "\n";
        for (mlir::Diagnostic &note : diag.getNotes())
          os << note.getLocation() << ": note: " << note << "\n";
      }
      return mlir::success();
    });
    result = pm.run(module);
  }
  if (mlir::failed(result))
    return fail(llvm::formatv("--tp {0} --pp {1}: {2} failed on rank {3}:\n{4}",
                              g.tpSize, g.ppSize, pipeline, g.worldRank(),
                              llvm::StringRef(messages).rtrim())
                    .str());
  return llvm::Error::success();
}

void ParallelRun::addSymbols(JITOptions &jit) const {
  for (const auto &entry : rt::collectiveSymbols())
    jit.symbols[entry.getKey()] = entry.getValue();
}

std::vector<KVCacheShape>
ParallelRun::kvShapes(const ModelLayout &layout) const {
  std::vector<KVCacheShape> shapes;
  for (const ModelLayout::KVLayer &l : layout.layers) {
    // Another stage's layer (or one without attention): nothing is cached.
    if (l.kvHeads <= 0 || l.headDim <= 0)
      shapes.push_back({1, 1, TTRT_KV_F32});
    else
      shapes.push_back({l.kvHeads, l.headDim, l.kvType});
  }
  return shapes;
}

void ParallelRun::attach(ttrt_context &ctx) {
  if (!comm)
    return;
  ctx.setCommunicator(std::move(comm));
  // Processes finish compiling at different times: start the timed steps
  // together, so that no step's time includes waiting for a slower compile.
  ctx.getCommunicator().barrier();
}

int32_t ParallelRun::agree(ttrt_context &ctx, int32_t token) const {
  ctx.getCommunicator().broadcast(&token, 1, samplerRank());
  return token;
}
