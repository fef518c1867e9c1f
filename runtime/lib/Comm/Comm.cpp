//===- Comm.cpp - MPI communicators of a tensor/pipeline-parallel run -----===//
//
// MPI_COMM_WORLD is split twice: by stage into the tensor-parallel groups
// (all-reduce, all-gather) and by tpRank into the pipeline groups (send /
// recv between stages). Only the main thread calls MPI (the kernels' pool
// never does), so MPI_THREAD_FUNNELED is enough. Without MPI (TT_HAVE_MPI
// unset) every group has one process.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Comm.h"
#include "tt/Runtime/Kernels.h"

#include "llvm/Support/FormatVariadic.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#ifdef TT_HAVE_MPI
#include <mpi.h>
#endif

using namespace tt;
using namespace tt::rt;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

bool rt::haveMPI() {
#ifdef TT_HAVE_MPI
  return true;
#else
  return false;
#endif
}

#ifdef TT_HAVE_MPI
static bool mpiInitialized() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

/// A message count as MPI's int, or a fatal error naming the operation.
static int count(int64_t n, const char *what) {
  if (n < 0 || n > INT_MAX)
    fatal("%s: %lld elements do not fit one MPI message", what,
          static_cast<long long>(n));
  return static_cast<int>(n);
}

static void check(int rc, const char *what) {
  if (rc == MPI_SUCCESS)
    return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  fatal("%s failed: %.*s", what, len, text);
}
#endif

MPISession::MPISession(int *argc, char ***argv) {
#ifdef TT_HAVE_MPI
  if (!mpiInitialized()) {
    // A process waiting in a collective yields the core rather than spin on
    // it: the kernels' threads and the other ranks share the cores (OpenMPI
    // spins unless it sees more processes than slots). The user's setting
    // wins.
    setenv("OMPI_MCA_mpi_yield_when_idle", "1", /*overwrite=*/0);
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    owns = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
#else
  (void)argc;
  (void)argv;
#endif
}

void rt::abortRun(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
#ifdef TT_HAVE_MPI
  if (mpiInitialized())
    MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

MPISession::~MPISession() {
#ifdef TT_HAVE_MPI
  if (owns && mpiInitialized())
    MPI_Finalize();
#endif
}

struct Communicator::Impl {
#ifdef TT_HAVE_MPI
  MPI_Comm tp = MPI_COMM_NULL, pp = MPI_COMM_NULL, world = MPI_COMM_NULL;
  ~Impl() {
    if (!mpiInitialized())
      return;
    for (MPI_Comm *c : {&tp, &pp, &world})
      if (*c != MPI_COMM_NULL)
        MPI_Comm_free(c);
  }
#endif
  std::vector<float> gathered;
};

Communicator::~Communicator() = default;

std::unique_ptr<Communicator> Communicator::single() {
  std::unique_ptr<Communicator> c(new Communicator());
  c->impl = std::make_unique<Impl>();
  return c;
}

llvm::Expected<std::unique_ptr<Communicator>> Communicator::create(int tp,
                                                                   int pp) {
  if (tp < 1 || pp < 1)
    return fail(llvm::formatv("tensor-parallel size {0} and pipeline stages "
                              "{1} must be at least 1",
                              tp, pp));
#ifdef TT_HAVE_MPI
  if (!mpiInitialized()) {
    if (tp * pp == 1)
      return single();
    return fail(llvm::formatv("{0} tensor-parallel x {1} pipeline processes "
                              "need MPI, which is not initialised",
                              tp, pp));
  }
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size != tp * pp)
    return fail(llvm::formatv("--tp {0} --pp {1} need{4} {2} process{5} "
                              "(mpirun -np {2}), but this run has {3}",
                              tp, pp, tp * pp, size, tp * pp == 1 ? "s" : "",
                              tp * pp == 1 ? "" : "es"));
  std::unique_ptr<Communicator> c(new Communicator());
  c->impl = std::make_unique<Impl>();
  c->where = ProcessGrid{rank % tp, tp, rank / tp, pp};
  // Ranks in the new groups: tpRank within a stage, the stage within a
  // pipeline (the key orders them).
  check(MPI_Comm_split(MPI_COMM_WORLD, c->where.ppRank, c->where.tpRank,
                       &c->impl->tp),
        "MPI_Comm_split (tensor-parallel group)");
  check(MPI_Comm_split(MPI_COMM_WORLD, c->where.tpRank, c->where.ppRank,
                       &c->impl->pp),
        "MPI_Comm_split (pipeline group)");
  check(MPI_Comm_dup(MPI_COMM_WORLD, &c->impl->world), "MPI_Comm_dup");
  // Connections are made on first use: make them now, not in the first
  // step that is timed.
  for (MPI_Comm comm : {c->impl->tp, c->impl->pp, c->impl->world})
    check(MPI_Barrier(comm), "MPI_Barrier");
  return std::move(c);
#else
  if (tp * pp == 1)
    return single();
  return fail(llvm::formatv("--tp {0} --pp {1} need {2} processes over MPI, "
                            "but this tt was built without MPI (install "
                            "libopenmpi-dev and reconfigure)",
                            tp, pp, tp * pp));
#endif
}

void Communicator::allReduceSum(float *buf, int64_t n) {
  if (where.tpSize == 1)
    return;
#ifdef TT_HAVE_MPI
  check(MPI_Allreduce(MPI_IN_PLACE, buf, count(n, "all_reduce"), MPI_FLOAT,
                      MPI_SUM, impl->tp),
        "MPI_Allreduce");
#endif
}

void Communicator::allGatherLastAxis(const float *in, int64_t rows,
                                     int64_t colsPerRank, float *out) {
  const int64_t t = where.tpSize;
  if (t == 1) {
    if (out != in)
      std::memmove(out, in, rows * colsPerRank * sizeof(float));
    return;
  }
#ifdef TT_HAVE_MPI
  // MPI gathers whole blocks: [T][rows][colsPerRank], then each row's
  // pieces are put side by side.
  const int64_t block = rows * colsPerRank;
  impl->gathered.resize(t * block);
  check(MPI_Allgather(in, count(block, "all_gather"), MPI_FLOAT,
                      impl->gathered.data(), count(block, "all_gather"),
                      MPI_FLOAT, impl->tp),
        "MPI_Allgather");
  for (int64_t r = 0; r < t; ++r)
    for (int64_t i = 0; i < rows; ++i)
      std::memcpy(out + i * t * colsPerRank + r * colsPerRank,
                  impl->gathered.data() + r * block + i * colsPerRank,
                  colsPerRank * sizeof(float));
#endif
}

static void checkStage(const ProcessGrid &g, int64_t stage, const char *what) {
  if (stage < 0 || stage >= g.ppSize || stage == g.ppRank)
    fatal("%s: stage %lld is not another stage of this %d-stage pipeline "
          "(this process is stage %d)",
          what, static_cast<long long>(stage), g.ppSize, g.ppRank);
}

void Communicator::send(const float *buf, int64_t n, int64_t stage) {
  checkStage(where, stage, "ttrt_send");
#ifdef TT_HAVE_MPI
  check(MPI_Send(buf, count(n, "send"), MPI_FLOAT, static_cast<int>(stage),
                 /*tag=*/0, impl->pp),
        "MPI_Send");
#else
  (void)buf;
  (void)n;
#endif
}

void Communicator::recv(float *buf, int64_t n, int64_t stage) {
  checkStage(where, stage, "ttrt_recv");
#ifdef TT_HAVE_MPI
  MPI_Status status;
  check(MPI_Recv(buf, count(n, "recv"), MPI_FLOAT, static_cast<int>(stage),
                 /*tag=*/0, impl->pp, &status),
        "MPI_Recv");
  int got = 0;
  MPI_Get_count(&status, MPI_FLOAT, &got);
  if (got != n)
    fatal("ttrt_recv: stage %lld sent %d values, stage %d expected %lld",
          static_cast<long long>(stage), got, where.ppRank,
          static_cast<long long>(n));
#else
  (void)buf;
  (void)n;
#endif
}

void Communicator::broadcast(int32_t *buf, int64_t n, int64_t root) {
  if (root < 0 || root >= where.worldSize())
    fatal("ttrt_broadcast_i32: root %lld is not a process of this run of %d",
          static_cast<long long>(root), where.worldSize());
  if (where.worldSize() == 1)
    return;
#ifdef TT_HAVE_MPI
  check(MPI_Bcast(buf, count(n, "broadcast"), MPI_INT32_T,
                  static_cast<int>(root), impl->world),
        "MPI_Bcast");
#else
  (void)buf;
  (void)n;
#endif
}

void Communicator::barrier() {
#ifdef TT_HAVE_MPI
  if (where.worldSize() > 1)
    check(MPI_Barrier(impl->world), "MPI_Barrier");
#endif
}
