#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>
#include <algorithm>
int main() {
  const size_t n = 128ull << 20; double *a = (double *)aligned_alloc(64, n * 8);
  int T = std::thread::hardware_concurrency(); std::vector<double> s(T);
  auto par = [&](auto f) { std::vector<std::thread> ts; for (int t = 0; t < T; ++t) ts.emplace_back([&, t] { f(t, n * t / T, n * (t + 1) / T); }); for (auto &t : ts) t.join(); };
  par([&](int, size_t lo, size_t hi) { for (size_t i = lo; i < hi; ++i) a[i] = i; });
  double best = 0;
  for (int r = 0; r < 10; ++r) { auto t0 = std::chrono::steady_clock::now();
    par([&](int t, size_t lo, size_t hi) { double x0=0,x1=0,x2=0,x3=0; for (size_t i = lo; i < hi; i += 4) { x0 += a[i]; x1 += a[i+1]; x2 += a[i+2]; x3 += a[i+3]; } s[t] = x0+x1+x2+x3; });
    best = std::max(best, n * 8.0 / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 1e9); }
  printf("read-only sum: %.2f GB/s (1 GiB array, best of 10)\n%f\n", best, s[0]);
}
