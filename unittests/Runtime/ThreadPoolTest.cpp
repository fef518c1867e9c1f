//===- ThreadPoolTest.cpp - The kernels' thread pool under stress ---------===//
//
// Back-to-back jobs of every kind, as a decode step issues them: chunked
// jobs (parallelFor, parallelForGuided) from call sites of different stack
// depths, so a job's function object lives at a different address each
// time, alternating with run jobs (parallelRun). Every chunk must run
// exactly once, with its own job's function. A worker that paired a
// finished job's function with the next job's chunks (the claim word's tag
// read apart from the function it belongs to) ran freed stack memory here,
// and tt-run crashed about once in 20 runs at 3 threads.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

#include "gtest/gtest.h"

#include <atomic>
#include <vector>

namespace {

using namespace tt::rt;

/// Runs one chunked job of `n` items at a stack depth of `depth` frames and
/// checks that each item ran exactly once.
bool chunkedJob(int depth, int64_t n, bool guided) {
  if (depth > 0) {
    volatile char pad[96] = {};
    (void)pad;
    return chunkedJob(depth - 1, n, guided);
  }
  std::vector<std::atomic<int>> seen(n);
  for (auto &s : seen)
    s.store(0);
  std::atomic<int> wrong{0};
  auto body = [&](int64_t a, int64_t b) {
    for (int64_t i = a; i < b; ++i) {
      if (i < 0 || i >= n) {
        wrong.fetch_add(1);
        continue;
      }
      seen[i].fetch_add(1);
    }
  };
  if (guided)
    parallelForGuided(n, 1, body);
  else
    parallelFor(n, 1, body);
  if (wrong.load())
    return false;
  for (auto &s : seen)
    if (s.load() != 1)
      return false;
  return true;
}

TEST(ThreadPool, BackToBackJobsRunEveryChunkOnce) {
  for (int threads : {2, 3, 4}) {
    ttrt_set_num_threads(threads);
    int bad = 0;
    for (int job = 0; job < 8000; ++job) {
      if (!chunkedJob(job % 4, 1 + job % 37, job % 3 == 0))
        ++bad;
      if (job % 5 == 0) {
        std::atomic<int> ran{0};
        parallelRun([&](int, int) { ran.fetch_add(1); });
        if (ran.load() != threads)
          ++bad;
      }
    }
    EXPECT_EQ(bad, 0) << "at " << threads << " threads";
  }
  ttrt_set_num_threads(1);
}

} // namespace
