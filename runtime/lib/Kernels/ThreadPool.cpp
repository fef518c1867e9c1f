//===- ThreadPool.cpp - The kernels' persistent thread pool ---------------===//
//
// ttrt_set_num_threads(n) starts n - 1 workers once; each parallelRun wakes
// them (they spin briefly after a job, so the back-to-back kernel calls of a
// decode step do not pay a futex wake each, then sleep on a condition
// variable), the caller runs share 0 itself and waits for the rest. Calls
// from several application threads are serialised; a kernel called from
// inside a pool job runs serially.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
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
    job = &fn;
    remaining.store(n - 1);
    {
      std::lock_guard<std::mutex> lock(mutex);
      generation.fetch_add(1);
    }
    cv.notify_all();
    inPoolJob = true;
    fn(0, n);
    inPoolJob = false;
    for (unsigned spins = 0; remaining.load() != 0; ++spins) {
      if (spins < 100000)
        TT_PAUSE();
      else
        std::this_thread::yield();
    }
    job = nullptr;
  }

private:
  void work(int tid, uint64_t seen) {
    inPoolJob = true;
    for (;;) {
      for (unsigned spins = 0; spins < 20000 && generation.load() == seen &&
                               !stop.load();
           ++spins)
        TT_PAUSE();
      if (generation.load() == seen) {
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait(lock, [&] { return generation.load() != seen || stop.load(); });
      }
      if (stop.load())
        return;
      seen = generation.load();
      (*job)(tid, numThreads);
      remaining.fetch_sub(1);
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

  std::mutex runMutex; // one parallelRun or resize at a time
  std::mutex mutex;    // guards the wake-up
  std::condition_variable cv;
  std::vector<std::thread> workers;
  const std::function<void(int, int)> *job = nullptr;
  std::atomic<uint64_t> generation{0};
  std::atomic<int> remaining{0};
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

void tt::rt::parallelFor(int64_t n, int64_t align,
                         const std::function<void(int64_t, int64_t)> &fn) {
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
  parallelRun([&](int tid, int nthreads) {
    int64_t begin = units * tid / nthreads * align;
    int64_t end = units * (tid + 1) / nthreads * align;
    if (end > n)
      end = n;
    if (begin < end)
      fn(begin, end);
  });
}

extern "C" void ttrt_set_num_threads(int32_t n) { pool().resize(n); }
