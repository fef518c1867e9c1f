//===- Comm.h - Processes of a parallel run ------------------*- C++ -*-===//
//
// The C++ side of runtime/lib/Comm (library TTRuntimeComm): the MPI
// communicators a multi-process run uses, for tools and tests. Generated code
// reaches them only through the ttrt_* collectives of RuntimeABI.h, which
// take the ttrt_context the communicator is attached to.
//
// Process layout (CONTRACTS.md section 3): a run of S pipeline stages of T
// tensor-parallel devices has S * T processes; world rank = stage * T +
// tpRank. The TP group of a process is the T ranks of its stage; its PP group
// is the S ranks with its tpRank, one per stage.
//
//   rt::MPISession mpi(&argc, &argv);            // MPI_Init .. MPI_Finalize
//   auto comm = rt::Communicator::create(tp, pp); // checks the world size
//   ctx->setCommunicator(std::move(*comm));
//
// Built without MPI (find_package(MPI) found none), only the single-process
// communicator exists and create() with tp * pp > 1 is an error.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_COMM_H
#define TT_RUNTIME_COMM_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>

namespace tt {
namespace rt {

/// Whether this runtime was built with MPI.
bool haveMPI();

/// MPI_Init on construction (when the runtime has MPI and it is not
/// initialised yet), MPI_Finalize on destruction. Without MPI it does nothing.
class MPISession {
public:
  MPISession(int *argc, char ***argv);
  ~MPISession();
  MPISession(const MPISession &) = delete;
  MPISession &operator=(const MPISession &) = delete;
  /// The process's rank and the number of processes (0 and 1 without MPI).
  int worldRank() const { return rank; }
  int worldSize() const { return size; }

private:
  bool owns = false;
  int rank = 0, size = 1;
};

/// Ends every process of the run with `code` (MPI_Abort), or this one
/// (std::exit) without MPI.
[[noreturn]] void abortRun(int code);

/// Where this process sits in a run: its tensor-parallel rank and group
/// size, its pipeline stage and the number of stages.
struct ProcessGrid {
  int tpRank = 0, tpSize = 1;
  int ppRank = 0, ppSize = 1;
  int worldRank() const { return ppRank * tpSize + tpRank; }
  int worldSize() const { return ppSize * tpSize; }
};

/// The communicators of one process of a tp x pp run.
class Communicator {
public:
  /// A run of `pp` stages of `tp` devices over the MPI world, which must have
  /// tp * pp processes (MPISession first). tp = pp = 1 without MPI (or
  /// without an initialised MPI) gives the single-process communicator.
  /// Errors: sizes < 1, a world of another size, no MPI for tp * pp > 1.
  static llvm::Expected<std::unique_ptr<Communicator>> create(int tp, int pp);
  /// One process: collectives over groups of one.
  static std::unique_ptr<Communicator> single();
  ~Communicator();
  Communicator(const Communicator &) = delete;
  Communicator &operator=(const Communicator &) = delete;

  const ProcessGrid &grid() const { return where; }

  /// Sum over the TP group, in place: every rank ends with the sum.
  void allReduceSum(float *buf, int64_t n);
  /// `in` is [rows, colsPerRank] on each of the T ranks of the TP group;
  /// `out` gets [rows, T * colsPerRank], rank r's block at columns
  /// r * colsPerRank ...
  void allGatherLastAxis(const float *in, int64_t rows, int64_t colsPerRank,
                         float *out);
  /// To / from the process of pipeline stage `stage` with the same tpRank.
  void send(const float *buf, int64_t n, int64_t stage);
  void recv(float *buf, int64_t n, int64_t stage);
  /// Over the whole run: `root`'s n values to every process.
  void broadcast(int32_t *buf, int64_t n, int64_t root);
  /// Over the whole run: every process reaches it before any leaves.
  void barrier();

private:
  Communicator() = default;
  struct Impl;
  ProcessGrid where;
  std::unique_ptr<Impl> impl;
};

/// The ttrt_* collectives of RuntimeABI.h by name, for a JIT that resolves
/// the runtime's symbols by address (JITOptions::symbols).
llvm::StringMap<void *> collectiveSymbols();

} // namespace rt
} // namespace tt

#endif // TT_RUNTIME_COMM_H
