//===- CommTest.cpp - Communicators of tensor/pipeline-parallel runs ------===//
//
// Run directly, the binary checks the single-process behaviour and the
// errors. Under `mpirun -np 2` or `-np 4` (test/Runtime/comm-mpi.test) the
// MPI tests run too: the same tests in the same order on every rank, as
// collectives need, over a grid of tp = 2 and pp = world / 2.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Comm.h"

#include "gtest/gtest.h"

#include <memory>
#include <numeric>
#include <vector>

using namespace tt::rt;

namespace {

/// MPI_Init before the first test, MPI_Finalize after the last.
class MPIEnvironment : public ::testing::Environment {
public:
  void SetUp() override {
    session = std::make_unique<MPISession>(nullptr, nullptr);
  }
  void TearDown() override { session.reset(); }
  static int worldSize() { return session ? session->worldSize() : 1; }

private:
  static std::unique_ptr<MPISession> session;
};
std::unique_ptr<MPISession> MPIEnvironment::session;
[[maybe_unused]] ::testing::Environment *const environment =
    ::testing::AddGlobalTestEnvironment(new MPIEnvironment);

TEST(CommSingle, GroupsOfOne) {
  auto comm = Communicator::single();
  EXPECT_EQ(comm->grid().worldSize(), 1);
  std::vector<float> x{1, 2, 3};
  comm->allReduceSum(x.data(), 3);
  EXPECT_EQ(x, (std::vector<float>{1, 2, 3}));
  std::vector<float> out(3);
  comm->allGatherLastAxis(x.data(), 1, 3, out.data());
  EXPECT_EQ(out, x);
  int32_t token = 7;
  comm->broadcast(&token, 1, 0);
  EXPECT_EQ(token, 7);
}

TEST(CommSingle, SizesAreChecked) {
  auto bad = Communicator::create(0, 1);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("must be at least 1"),
            std::string::npos);
}

TEST(CommSingle, WorldSizeMustMatch) {
  int world = MPIEnvironment::worldSize();
  auto bad = Communicator::create(world + 1, 1);
  ASSERT_FALSE(bool(bad));
  std::string message = llvm::toString(bad.takeError());
  if (haveMPI())
    EXPECT_NE(message.find("need " + std::to_string(world + 1) +
                           " processes (mpirun -np " +
                           std::to_string(world + 1) + "), but this run has " +
                           std::to_string(world)),
              std::string::npos)
        << message;
  else
    EXPECT_NE(message.find("built without MPI"), std::string::npos) << message;
}

/// tp = 2, pp = world / 2: needs an even world of at least 2.
std::unique_ptr<Communicator> gridOrSkip() {
  int world = MPIEnvironment::worldSize();
  if (world < 2 || world % 2)
    return nullptr;
  auto comm = Communicator::create(2, world / 2);
  if (!comm) {
    ADD_FAILURE() << llvm::toString(comm.takeError());
    return nullptr;
  }
  return std::move(*comm);
}

TEST(CommMPI, Layout) {
  auto comm = gridOrSkip();
  if (!comm)
    GTEST_SKIP() << "needs mpirun -np 2 or 4";
  const ProcessGrid &g = comm->grid();
  EXPECT_EQ(g.tpSize, 2);
  EXPECT_EQ(g.ppSize, MPIEnvironment::worldSize() / 2);
  // Every process agrees on the layout: world rank = stage * tp + tpRank.
  std::vector<int32_t> ranks(g.worldSize());
  for (int r = 0; r < g.worldSize(); ++r) {
    int32_t v = g.worldRank();
    comm->broadcast(&v, 1, r);
    ranks[r] = v;
  }
  std::vector<int32_t> expected(g.worldSize());
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(ranks, expected);
}

TEST(CommMPI, AllReduceSumsWithinTheStage) {
  auto comm = gridOrSkip();
  if (!comm)
    GTEST_SKIP() << "needs mpirun -np 2 or 4";
  const ProcessGrid &g = comm->grid();
  // Rank (s, t) holds 100 * s + 10 * t + i; the TP group of stage s sums
  // t = 0 and 1.
  std::vector<float> x(5);
  for (int i = 0; i < 5; ++i)
    x[i] = 100.0f * g.ppRank + 10.0f * g.tpRank + i;
  comm->allReduceSum(x.data(), x.size());
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(x[i], 200.0f * g.ppRank + 10.0f + 2 * i) << "element " << i;
}

TEST(CommMPI, AllGatherConcatenatesTheLastAxis) {
  auto comm = gridOrSkip();
  if (!comm)
    GTEST_SKIP() << "needs mpirun -np 2 or 4";
  const ProcessGrid &g = comm->grid();
  // [2 rows][3 cols] per rank -> [2][6], rank t's block at columns 3t..3t+2.
  std::vector<float> in(6), out(12, -1);
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 3; ++c)
      in[r * 3 + c] = 1000.0f * g.ppRank + 100.0f * g.tpRank + 10 * r + c;
  comm->allGatherLastAxis(in.data(), 2, 3, out.data());
  for (int r = 0; r < 2; ++r)
    for (int t = 0; t < 2; ++t)
      for (int c = 0; c < 3; ++c)
        EXPECT_EQ(out[r * 6 + t * 3 + c],
                  1000.0f * g.ppRank + 100.0f * t + 10 * r + c)
            << "row " << r << " rank " << t << " col " << c;
}

TEST(CommMPI, SendRecvBetweenStages) {
  auto comm = gridOrSkip();
  if (!comm || comm->grid().ppSize < 2)
    GTEST_SKIP() << "needs mpirun -np 4 (two stages)";
  const ProcessGrid &g = comm->grid();
  std::vector<float> x(4);
  if (g.ppRank == 0) {
    for (int i = 0; i < 4; ++i)
      x[i] = 10.0f * g.tpRank + i;
    comm->send(x.data(), x.size(), 1);
  } else if (g.ppRank == 1) {
    comm->recv(x.data(), x.size(), 0);
    // From the stage-0 process with the same tpRank.
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(x[i], 10.0f * g.tpRank + i);
  }
  comm->barrier();
}

TEST(CommMPI, BroadcastFromTheLastStage) {
  auto comm = gridOrSkip();
  if (!comm)
    GTEST_SKIP() << "needs mpirun -np 2 or 4";
  const ProcessGrid &g = comm->grid();
  int32_t token[2] = {-1, -1};
  int root = (g.ppSize - 1) * g.tpSize;
  if (g.worldRank() == root) {
    token[0] = 42;
    token[1] = 7;
  }
  comm->broadcast(token, 2, root);
  EXPECT_EQ(token[0], 42);
  EXPECT_EQ(token[1], 7);
}

} // namespace
