//===- ThreadPool.cpp - The kernels' persistent thread pool ---------------===//
//
// ttrt_set_num_threads(n) starts n - 1 workers once; each job wakes them
// (they spin briefly after a job, so the back-to-back kernel calls of a
// decode step do not pay a futex wake each, then sleep on a condition
// variable). parallelRun gives every thread one share and waits for all;
// parallelFor cuts the range into chunks that the threads claim
// dynamically, the caller included, and returns when the chunks are done
// (parallelForGuided: chunks that shrink towards the end). Calls
// from several application threads are serialised; a kernel called from
// inside a pool job runs serially.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TT_PAUSE() _mm_pause()
#else
#define TT_PAUSE() std::this_thread::yield()
#endif

using namespace tt::rt;

namespace {

thread_local bool inPoolJob = false;

class ThreadPool {
public:
  ~ThreadPool() { stopWorkers(); }

  int size() const { return numThreads; }

  void resize(int n) {
    std::lock_guard<std::mutex> runLock(runMutex);
    if (n < 1)
      n = 1;
    if (n == numThreads)
      return;
    stopWorkers();
    numThreads = n;
    stop = false;
    uint64_t start = generation.load();
    for (int tid = 1; tid < n; ++tid)
      workers.emplace_back([this, tid, start] { work(tid, start); });
  }

  /// fn(tid, n) on every thread; returns when all have finished.
  void run(const std::function<void(int, int)> &fn) {
    if (inPoolJob) {
      fn(0, 1);
      return;
    }
    std::lock_guard<std::mutex> runLock(runMutex);
    int n = numThreads;
    if (n == 1) {
      fn(0, 1);
      return;
    }
    remaining.store(n - 1);
    post([&] {
      runJob = &fn;
      chunkJob = nullptr;
    });
    inPoolJob = true;
    fn(0, n);
    inPoolJob = false;
    waitUntil([&] { return remaining.load() == 0; });
  }

  /// chunk(i) for every i < count, claimed dynamically by whichever thread
  /// is free; returns when all chunks are done, without waiting for a
  /// worker that never got to claim one (so a descheduled worker on a busy
  /// machine does not stall the call).
  void runChunks(int64_t count, const std::function<void(int64_t)> &chunk) {
    if (inPoolJob || numThreads == 1 || count <= 1 || count >= kMaxChunks) {
      for (int64_t i = 0; i < count; ++i)
        chunk(i);
      return;
    }
    std::lock_guard<std::mutex> runLock(runMutex);
    uint64_t tag = ++chunkTag & kTagMask;
    chunksDone.store(0);
    claim.store(tag << 40 | static_cast<uint64_t>(count) << 20);
    post([&] {
      chunkJob = &chunk;
      chunkJobTag = tag;
      runJob = nullptr;
    });
    inPoolJob = true;
    drainChunks(tag, chunk);
    inPoolJob = false;
    waitUntil([&] { return chunksDone.load() == count; });
  }

private:
  /// Publishes a job: `set` fills in the job fields under the lock, then
  /// the generation moves on and the workers wake.
  template <typename Set> void post(Set set) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      set();
      generation.fetch_add(1);
    }
    cv.notify_all();
  }

  template <typename Pred> static void waitUntil(Pred done) {
    for (unsigned spins = 0; !done(); ++spins) {
      if (spins < 100000)
        TT_PAUSE();
      else
        std::this_thread::yield();
    }
  }

  /// Claims chunks of job `tag` until none is left. The claim word holds
  /// the job's tag, chunk count and next chunk (24, 20 and 20 bits), so a
  /// late worker cannot claim a chunk of a later job with an earlier job's
  /// function.
  void drainChunks(uint64_t tag, const std::function<void(int64_t)> &chunk) {
    for (;;) {
      uint64_t c = claim.load();
      if ((c >> 40) != tag)
        return;
      int64_t count = static_cast<int64_t>((c >> 20) & 0xfffff);
      int64_t index = static_cast<int64_t>(c & 0xfffff);
      if (index >= count)
        return;
      if (!claim.compare_exchange_weak(c, c + 1))
        continue;
      chunk(index);
      chunksDone.fetch_add(1);
    }
  }

  void work(int tid, uint64_t seen) {
    inPoolJob = true;
    for (;;) {
      for (unsigned spins = 0;
           spins < 20000 && generation.load() == seen && !stop.load(); ++spins)
        TT_PAUSE();
      const std::function<void(int, int)> *myRun;
      const std::function<void(int64_t)> *myChunks;
      uint64_t tag;
      {
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait(lock, [&] { return generation.load() != seen || stop.load(); });
        if (stop.load())
          return;
        seen = generation.load();
        myRun = runJob;
        myChunks = chunkJob;
        // The tag posted with this function, not the claim word's: the next
        // job's tag reaches the claim word before its function is posted, so
        // a late worker would otherwise pair this (finished, possibly
        // destroyed) function with the next job's chunks.
        tag = chunkJobTag;
      }
      if (myRun) {
        // A run job waits for every worker, so it is still current.
        (*myRun)(tid, numThreads);
        remaining.fetch_sub(1);
      } else if (myChunks) {
        // The job may be over already; drainChunks then claims nothing and
        // never calls the (possibly gone) function.
        drainChunks(tag, *myChunks);
      }
    }
  }

  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    cv.notify_all();
    for (std::thread &t : workers)
      t.join();
    workers.clear();
  }

  std::mutex runMutex; // one job or resize at a time
  std::mutex mutex;    // guards the job fields and the wake-up
  std::condition_variable cv;
  std::vector<std::thread> workers;
  const std::function<void(int, int)> *runJob = nullptr;
  const std::function<void(int64_t)> *chunkJob = nullptr;
  uint64_t chunkJobTag = 0; // the tag of chunkJob's claim words
  std::atomic<uint64_t> generation{0};
  std::atomic<int> remaining{0};
  std::atomic<uint64_t> claim{0};
  std::atomic<int64_t> chunksDone{0};
  uint64_t chunkTag = 0;
  static constexpr int64_t kMaxChunks = 1 << 20;
  static constexpr uint64_t kTagMask = (1u << 24) - 1;
  std::atomic<bool> stop{false};
  int numThreads = 1;
};

ThreadPool &pool() {
  static ThreadPool p;
  return p;
}

} // namespace

int tt::rt::numThreads() { return pool().size(); }

void tt::rt::parallelRun(const std::function<void(int, int)> &fn) {
  pool().run(fn);
}

namespace {

/// What parallelFor and parallelForGuided share: fn(0, n) on the calling
/// thread when one thread or one unit of `align` items would do; else the
/// chunks `layout(units, threads)` lays out (their count, and the first unit
/// of chunk i: a function that gives `units` for i = count), claimed
/// dynamically by the pool.
template <typename Layout>
void runInChunks(int64_t n, int64_t align,
                 const std::function<void(int64_t, int64_t)> &fn,
                 Layout layout) {
  if (n <= 0)
    return;
  if (align < 1)
    align = 1;
  int64_t units = (n + align - 1) / align;
  int threads = numThreads();
  if (threads == 1 || units == 1 || inPoolJob) {
    fn(0, n);
    return;
  }
  auto [count, first] = layout(units, threads);
  pool().runChunks(count, [&](int64_t i) {
    fn(first(i) * align, std::min(n, first(i + 1) * align));
  });
}

} // namespace

void tt::rt::parallelFor(int64_t n, int64_t align,
                         const std::function<void(int64_t, int64_t)> &fn) {
  runInChunks(n, align, fn, [](int64_t units, int threads) {
    // About 4 chunks per thread: small enough that a thread that starts
    // late (or is descheduled) leaves its share to the others, large enough
    // that claiming costs nothing.
    int64_t chunks = std::min<int64_t>(units, 4 * threads);
    int64_t size = (units + chunks - 1) / chunks;
    auto first = [=](int64_t i) { return std::min(units, i * size); };
    return std::make_pair((units + size - 1) / size, first);
  });
}

void tt::rt::parallelForGuided(
    int64_t n, int64_t align, const std::function<void(int64_t, int64_t)> &fn) {
  runInChunks(n, align, fn, [](int64_t units, int threads) {
    // Each chunk about 1 / (2 * threads) of what is left.
    std::vector<int64_t> start{0};
    for (int64_t done = 0; done < units;) {
      int64_t size = std::max<int64_t>(1, (units - done) / (2 * threads));
      done = std::min(units, done + size);
      start.push_back(done);
    }
    int64_t count = static_cast<int64_t>(start.size()) - 1;
    auto first = [start = std::move(start)](int64_t i) { return start[i]; };
    return std::make_pair(count, first);
  });
}

extern "C" void ttrt_set_num_threads(int32_t n) { pool().resize(n); }
