//===- tt-bench-fuse.cpp - What tt-fuse and tt-kv-cache change, timed -----===//
//
// Decode-step (M = 1) runtime calls in one process, so that machine load
// and JIT compilation stay out of the numbers: the Q/K/V and gate/up
// products as separate ttrt_matmul calls against one ttrt_matmul_fused call
// each, and attention over an f32 cache (ttrt_attention) against f16 and i8
// caches (ttrt_attention_kv). Each figure is the minimum over batches of the
// mean time per call; the variants' batches alternate.
//
//   tt-bench-fuse [--threads N] [--context C] [--batches B]
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace tt::rt;

namespace {

std::vector<uint8_t> randomWeights(int32_t type, int64_t N, int64_t K,
                                   std::mt19937 &rng) {
  std::uniform_real_distribution<float> d(-0.1f, 0.1f);
  std::vector<uint8_t> out(N * ttrt_row_bytes(type, K));
  uint8_t *p = out.data();
  for (int64_t n = 0; n < N; ++n) {
    if (type == TTRT_TYPE_F16) {
      for (int64_t k = 0; k < K; ++k, p += 2) {
        uint16_t h = floatToHalf(d(rng));
        std::memcpy(p, &h, 2);
      }
    } else { // q8_0
      for (int64_t b = 0; b < K / 32; ++b, p += 34) {
        uint16_t h = floatToHalf(0.001f);
        std::memcpy(p, &h, 2);
        for (int j = 0; j < 32; ++j)
          p[2 + j] = static_cast<uint8_t>(rng() & 0xff);
      }
    }
  }
  return out;
}

/// Minimum over `batches` of the mean seconds per call of each function,
/// batches of the functions alternating.
std::vector<double> timeAlternating(std::vector<std::function<void()>> fns,
                                    int batches, int iters) {
  std::vector<double> best(fns.size(), 1e30);
  for (auto &f : fns)
    f(); // warm up
  for (int b = 0; b < batches; ++b)
    for (size_t i = 0; i < fns.size(); ++i) {
      auto t0 = std::chrono::steady_clock::now();
      for (int it = 0; it < iters; ++it)
        fns[i]();
      double s = std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - t0)
                     .count() /
                 iters;
      best[i] = std::min(best[i], s);
    }
  return best;
}

struct Shape {
  const char *name;
  int64_t hidden, q, kv, inter, heads, kvHeads;
};

} // namespace

int main(int argc, char **argv) {
  int threads = 1, batches = 7;
  int64_t context = 1024;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--context" && i + 1 < argc)
      context = std::atoll(argv[++i]);
    else if (a == "--batches" && i + 1 < argc)
      batches = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: tt-bench-fuse [--threads N] [--context C] "
                           "[--batches B]\n");
      return 2;
    }
  }
  ttrt_set_num_threads(threads);
  std::mt19937 rng(1);
  const Shape shapes[] = {{"small-llama-88m", 768, 768, 256, 2048, 12, 4},
                          {"tinyllama-1.1b", 2048, 2048, 256, 5632, 32, 4}};
  std::printf("threads %d, ISA %s; microseconds per decode call (min over %d "
              "batches)\n",
              threads, kernelISA(), batches);
  std::printf("%-16s %-5s | %9s %9s %6s | %9s %9s %6s\n", "shape", "dtype",
              "q,k,v x3", "fused", "ratio", "gate,up", "fused", "ratio");
  for (const Shape &s : shapes)
    for (int32_t type : {TTRT_TYPE_Q8_0, TTRT_TYPE_F16}) {
      const int64_t K = s.hidden;
      auto wq = randomWeights(type, s.q, K, rng);
      auto wk = randomWeights(type, s.kv, K, rng);
      auto wv = randomWeights(type, s.kv, K, rng);
      auto wg = randomWeights(type, s.inter, K, rng);
      auto wu = randomWeights(type, s.inter, K, rng);
      std::vector<float> x(K), q(s.q), k(s.kv), v(s.kv), g(s.inter),
          u(s.inter);
      for (float &e : x)
        e = std::uniform_real_distribution<float>(-1, 1)(rng);
      int iters = std::max<int>(
          10, static_cast<int>(2e7 / (s.q + 2 * s.kv + 2 * s.inter) / K));
      auto qkv = timeAlternating(
          {[&] {
             ttrt_matmul(wq.data(), type, s.q, K, x.data(), 1, q.data(),
                         nullptr);
             ttrt_matmul(wk.data(), type, s.kv, K, x.data(), 1, k.data(),
                         nullptr);
             ttrt_matmul(wv.data(), type, s.kv, K, x.data(), 1, v.data(),
                         nullptr);
           },
           [&] {
             ttrt_matmul_fused(x.data(), 1, K, TTRT_NORM_NONE, 0, nullptr,
                               nullptr, 0, nullptr, 3, wq.data(), type, s.q,
                               q.data(), nullptr, wk.data(), type, s.kv,
                               k.data(), nullptr, wv.data(), type, s.kv,
                               v.data(), nullptr);
           }},
          batches, iters);
      auto gu = timeAlternating(
          {[&] {
             ttrt_matmul(wg.data(), type, s.inter, K, x.data(), 1, g.data(),
                         nullptr);
             ttrt_matmul(wu.data(), type, s.inter, K, x.data(), 1, u.data(),
                         nullptr);
           },
           [&] {
             ttrt_matmul_fused(x.data(), 1, K, TTRT_NORM_NONE, 0, nullptr,
                               nullptr, 0, nullptr, 2, wg.data(), type,
                               s.inter, g.data(), nullptr, wu.data(), type,
                               s.inter, u.data(), nullptr, nullptr, 0, 0,
                               nullptr, nullptr);
           }},
          batches, iters);
      std::printf("%-16s %-5s | %9.1f %9.1f %6.3f | %9.1f %9.1f %6.3f\n",
                  s.name, typeName(type), qkv[0] * 1e6, qkv[1] * 1e6,
                  qkv[0] / qkv[1], gu[0] * 1e6, gu[1] * 1e6, gu[0] / gu[1]);
    }

  std::printf("\nattention of one query over %lld cached positions "
              "(microseconds; ratio = f32 / typed)\n",
              static_cast<long long>(context));
  std::printf("%-16s | %9s | %9s %6s | %9s %6s\n", "shape", "f32", "f16",
              "ratio", "i8", "ratio");
  for (const Shape &s : shapes) {
    const int64_t H = s.heads, KVH = s.kvHeads, D = s.q / s.heads;
    std::uniform_real_distribution<float> d(-1, 1);
    std::vector<float> kf(context * KVH * D), vf(kf.size()), q(H * D),
        out(H * D), knew(KVH * D), vnew(KVH * D);
    for (float &e : kf)
      e = d(rng);
    for (float &e : vf)
      e = d(rng);
    for (float &e : q)
      e = d(rng);
    auto typed = [&](int32_t t) {
      int64_t rb = ttrt_kv_row_bytes(t, D);
      std::vector<uint8_t> c(context * KVH * rb);
      ttrt_kv_store(kf.data(), context * KVH, D, t, c.data());
      return c;
    };
    auto k16 = typed(TTRT_KV_F16), v16 = typed(TTRT_KV_F16);
    auto k8 = typed(TTRT_KV_I8), v8 = typed(TTRT_KV_I8);
    int64_t pos = context - 1;
    std::memcpy(knew.data(), kf.data() + pos * KVH * D, knew.size() * 4);
    std::memcpy(vnew.data(), vf.data() + pos * KVH * D, vnew.size() * 4);
    int iters = std::max<int>(5, static_cast<int>(2e7 / (context * H * D)));
    float scale = 1.0f / std::sqrt(static_cast<float>(D));
    auto t = timeAlternating(
        {[&] {
           ttrt_attention(q.data(), kf.data(), vf.data(), 1, pos, H, KVH, D,
                          0, scale, 0, out.data());
         },
         [&] {
           ttrt_attention_kv(q.data(), knew.data(), vnew.data(), k16.data(),
                             v16.data(), TTRT_KV_F16, 1, pos, H, KVH, D, 0,
                             scale, 0, nullptr, 0, 0, out.data());
         },
         [&] {
           ttrt_attention_kv(q.data(), knew.data(), vnew.data(), k8.data(),
                             v8.data(), TTRT_KV_I8, 1, pos, H, KVH, D, 0,
                             scale, 0, nullptr, 0, 0, out.data());
         }},
        batches, iters);
    std::printf("%-16s | %9.1f | %9.1f %6.3f | %9.1f %6.3f\n", s.name,
                t[0] * 1e6, t[1] * 1e6, t[0] / t[1], t[2] * 1e6,
                t[0] / t[2]);
  }
  return 0;
}
