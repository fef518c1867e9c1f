// f32 FMA peak: 2 threads, 12 independent 512-bit FMA chains each.
#include <immintrin.h>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>
#include <cstdlib>
int main() {
  const long iters = 200000000;
  int T = std::thread::hardware_concurrency();
  std::vector<float> sink(T);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < T; ++t) ts.emplace_back([&, t] {
    __m512 acc[12]; for (int k = 0; k < 12; ++k) acc[k] = _mm512_set1_ps(k * 0.001f);
    __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    for (long i = 0; i < iters / 12; ++i)
      for (int k = 0; k < 12; ++k) acc[k] = _mm512_fmadd_ps(acc[k], x, y);
    float s = 0; for (int k = 0; k < 12; ++k) s += _mm512_reduce_add_ps(acc[k]); sink[t] = s; });
  for (auto &t : ts) t.join();
  double d = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  printf("f32 FMA: %.1f GFLOP/s (%d threads)\n", (double)T * (iters / 12 * 12) * 16 * 2 / d / 1e9, T);
  printf("%f\n", sink[0]);
}
