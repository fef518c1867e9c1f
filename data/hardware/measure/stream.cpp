// STREAM-like triad/copy bandwidth, 2 threads, arrays far larger than L3.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>
#include <algorithm>
int main() {
  const size_t n = 64ull << 20; // 64M doubles per array = 512 MiB each
  double *a = (double *)aligned_alloc(64, n * 8), *b = (double *)aligned_alloc(64, n * 8),
         *c = (double *)aligned_alloc(64, n * 8);
  int T = std::thread::hardware_concurrency();
  auto par = [&](auto f) {
    std::vector<std::thread> ts;
    for (int t = 0; t < T; ++t)
      ts.emplace_back([&, t] { size_t lo = n * t / T, hi = n * (t + 1) / T; f(lo, hi); });
    for (auto &t : ts) t.join();
  };
  par([&](size_t lo, size_t hi) { for (size_t i = lo; i < hi; ++i) { a[i] = 1; b[i] = 2; c[i] = 0; } });
  double bestCopy = 0, bestTriad = 0;
  for (int rep = 0; rep < 10; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    par([&](size_t lo, size_t hi) { for (size_t i = lo; i < hi; ++i) c[i] = a[i]; });
    auto t1 = std::chrono::steady_clock::now();
    par([&](size_t lo, size_t hi) { for (size_t i = lo; i < hi; ++i) a[i] = b[i] + 3.0 * c[i]; });
    auto t2 = std::chrono::steady_clock::now();
    double dc = std::chrono::duration<double>(t1 - t0).count(), dt = std::chrono::duration<double>(t2 - t1).count();
    bestCopy = std::max(bestCopy, 2.0 * n * 8 / dc / 1e9);
    bestTriad = std::max(bestTriad, 3.0 * n * 8 / dt / 1e9);
  }
  printf("threads %d copy %.2f GB/s triad %.2f GB/s (best of 10, 512 MiB arrays, STREAM byte counting)\n", T, bestCopy, bestTriad);
  printf("%f\n", a[n / 2]);
}
