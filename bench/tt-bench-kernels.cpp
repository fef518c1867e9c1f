//===- tt-bench-kernels.cpp - Memory bandwidth and matmul throughput ------===//
//
// Measures, with the runtime's own thread pool:
//  1. memory read bandwidth: a STREAM-like kernel summing a buffer far larger
//     than the caches, split over the threads;
//  2. decode (M = 1) ttrt_matmul over the matrices of a TinyLlama-1.1B layer
//     plus its lm_head (N x K = 5632x2048, 2048x5632, 32000x2048), for each
//     weight format: bytes of weights read per second and the fraction of the
//     bandwidth measured again right before it (both as the best of several
//     passes, so that a busy machine affects both alike);
//     also "GB/cpu-s": weight bytes per CPU second the process used (all
//     threads, spin-waits and memory stalls included): unlike the wall-clock
//     rate it does not count time the threads spent descheduled, so on a
//     busy machine it is the steadier figure;
//  3. prefill (M = 64) throughput of the same matrices in GFLOP/s.
// --gemm runs only a prefill comparison instead: for each type, ttrt_matmul
// at M = --prefill-m over the same matrices with the dot-product kernels
// (MatmulPath::Rows, the path before the GEMM kernels) and with the GEMM
// kernels, alternating, best pass of each; GFLOP/s by wall clock and per
// CPU second (steadier on a shared machine), and the ratio.
// The weights are random (valid blocks); enough copies of the matrices are
// cycled through that nothing stays in cache between uses.
// Type q4_0r is q4_0 with the matrices repacked as tt-run's bind step does
// (tt/Runtime/Repack.h); with --gemm it compares q4_0's stored-layout GEMM
// ("rows" column) with the repacked kernels ("gemm" column).
//
// Usage: tt-bench-kernels [--threads N] [--seconds S] [--types f32,q4_0,...]
//                         [--prefill-m M] [--isa scalar|avx2|avx512-vnni]
//                         [--gemm]
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/Repack.h"
#include "tt/Runtime/RuntimeABI.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <immintrin.h>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace tt::rt;
using Clock = std::chrono::steady_clock;

namespace {

/// CPU seconds used by the whole process (all threads, spinning included).
double cpuTime() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

uint64_t sumScalar(const uint64_t *p, size_t n) {
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += p[i];
    s1 += p[i + 1];
    s2 += p[i + 2];
    s3 += p[i + 3];
  }
  for (; i < n; ++i)
    s0 += p[i];
  return s0 + s1 + s2 + s3;
}

/// The read kernel: 32-byte loads into four independent accumulators, so
/// that only memory limits it.
__attribute__((target("avx2"))) uint64_t sumAVX2(const uint64_t *p, size_t n) {
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = _mm256_add_epi64(a0, _mm256_loadu_si256((const __m256i *)(p + i)));
    a1 = _mm256_add_epi64(a1, _mm256_loadu_si256((const __m256i *)(p + i + 4)));
    a2 = _mm256_add_epi64(a2, _mm256_loadu_si256((const __m256i *)(p + i + 8)));
    a3 =
        _mm256_add_epi64(a3, _mm256_loadu_si256((const __m256i *)(p + i + 12)));
  }
  __m256i a =
      _mm256_add_epi64(_mm256_add_epi64(a0, a1), _mm256_add_epi64(a2, a3));
  uint64_t lanes[4];
  _mm256_storeu_si256((__m256i *)lanes, a);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3] + sumScalar(p + i, n - i);
}

const bool hasAVX2 = __builtin_cpu_supports("avx2");

/// GB/s reading `bytes` bytes, best of several passes.
double measureBandwidth(double minSeconds) {
  const size_t bytes = size_t(1) << 30; // 1 GiB: far beyond any L3
  const size_t words = bytes / 8;
  static std::vector<uint64_t> buf;
  if (buf.empty()) {
    buf.resize(words);
    parallelFor(int64_t(words), 4096, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i)
        buf[i] = uint64_t(i) * 0x9E3779B97F4A7C15ull;
    });
  }
  std::vector<uint64_t> sums(64);
  double best = 0;
  auto start = Clock::now();
  int passes = 0;
  while (passes < 3 || seconds(start, Clock::now()) < minSeconds) {
    auto t0 = Clock::now();
    parallelRun([&](int tid, int n) {
      size_t b = words * tid / n, e = words * (tid + 1) / n;
      sums[tid] = hasAVX2 ? sumAVX2(buf.data() + b, e - b)
                          : sumScalar(buf.data() + b, e - b);
    });
    double gbs = bytes / seconds(t0, Clock::now()) / 1e9;
    best = std::max(best, gbs);
    ++passes;
  }
  volatile uint64_t sink = sums[0];
  (void)sink;
  return best;
}

struct TypeDesc {
  const char *name;
  int32_t type;
};
const TypeDesc kTypes[] = {
    {"f32", TTRT_TYPE_F32},   {"f16", TTRT_TYPE_F16},
    {"bf16", TTRT_TYPE_BF16}, {"q8_0", TTRT_TYPE_Q8_0},
    {"q4_0", TTRT_TYPE_Q4_0}, {"q4_k", TTRT_TYPE_Q4_K},
    {"q5_k", TTRT_TYPE_Q5_K}, {"q6_k", TTRT_TYPE_Q6_K},
    {"q4_0r", TTRT_TYPE_Q4_0},
};

/// Whether a type's matrices are repacked (q4_0r).
bool repacked(const TypeDesc &d) { return !std::strcmp(d.name, "q4_0r"); }

void putHalf(uint8_t *p, float f) {
  uint16_t h = floatToHalf(f);
  std::memcpy(p, &h, 2);
}

/// Random but valid weights: random payload bytes, small scales, and for the
/// float formats small random values.
std::vector<uint8_t> randomMatrix(int32_t type, int64_t N, int64_t K,
                                  std::mt19937 &rng) {
  int64_t rowBytes = ttrt_row_bytes(type, K);
  std::vector<uint8_t> w(N * rowBytes);
  for (size_t i = 0; i + 4 <= w.size(); i += 4) {
    uint32_t r = rng();
    std::memcpy(&w[i], &r, 4);
  }
  int64_t be = blockElements(type);
  int64_t blocks = N * K / be, bb = rowBytes / (K / be);
  std::uniform_real_distribution<float> val(-0.05f, 0.05f);
  for (int64_t b = 0; b < blocks; ++b) {
    uint8_t *p = w.data() + b * bb;
    switch (type) {
    case TTRT_TYPE_F32: {
      float f = val(rng);
      std::memcpy(p, &f, 4);
      break;
    }
    case TTRT_TYPE_F16:
      putHalf(p, val(rng));
      break;
    case TTRT_TYPE_BF16: {
      uint16_t h = floatToBF16(val(rng));
      std::memcpy(p, &h, 2);
      break;
    }
    case TTRT_TYPE_Q8_0:
    case TTRT_TYPE_Q4_0:
      putHalf(p, 0.01f);
      break;
    case TTRT_TYPE_Q4_K:
    case TTRT_TYPE_Q5_K:
      putHalf(p, 0.001f);
      putHalf(p + 2, 0.001f);
      break;
    case TTRT_TYPE_Q6_K:
      putHalf(p + 208, 0.001f);
      break;
    }
  }
  return w;
}

struct Shape {
  int64_t N, K;
};
const Shape kShapes[] = {{5632, 2048}, {2048, 5632}, {32000, 2048}};

/// The --gemm comparison for one type.
void compareGemm(const TypeDesc &desc, int64_t M, double minSeconds) {
  std::mt19937 rng(42);
  std::vector<std::vector<uint8_t>> mats;
  for (const Shape &s : kShapes)
    mats.push_back(randomMatrix(desc.type, s.N, s.K, rng));
  // q4_0r: pass 0 runs the stored layout's GEMM, pass 1 a repacked copy.
  std::vector<std::vector<uint8_t>> packedMats = mats;
  if (repacked(desc))
    for (size_t i = 0; i < mats.size(); ++i)
      repackQ4_0(&packedMats, packedMats[i].data(), kShapes[i].N,
                 kShapes[i].K);
  std::vector<float> x(M * 5632), y(M * 32000);
  std::uniform_real_distribution<float> val(-1.0f, 1.0f);
  for (float &f : x)
    f = val(rng);
  double flops = 0;
  for (const Shape &s : kShapes)
    flops += 2.0 * M * s.N * s.K;
  const MatmulPath paths[2] = {MatmulPath::Rows, MatmulPath::Gemm};
  double bestWall[2] = {1e30, 1e30}, bestCpu[2] = {1e30, 1e30};
  auto pass = [&](int p) {
    setMatmulPath(repacked(desc) ? MatmulPath::Gemm : paths[p]);
    const auto &use = repacked(desc) && p == 1 ? packedMats : mats;
    double c0 = cpuTime();
    auto t0 = Clock::now();
    for (size_t i = 0; i < mats.size(); ++i)
      ttrt_matmul(use[i].data(), desc.type, kShapes[i].N, kShapes[i].K,
                  x.data(), M, y.data(), nullptr);
    bestWall[p] = std::min(bestWall[p], seconds(t0, Clock::now()));
    bestCpu[p] = std::min(bestCpu[p], cpuTime() - c0);
  };
  pass(0); // warm-up
  pass(1);
  bestWall[0] = bestWall[1] = bestCpu[0] = bestCpu[1] = 1e30;
  auto start = Clock::now();
  int rounds = 0;
  while (rounds < 2 || seconds(start, Clock::now()) < minSeconds) {
    pass(0);
    pass(1);
    ++rounds;
  }
  setMatmulPath(MatmulPath::Auto);
  std::printf("%-6s %10.1f %10.1f %7.2fx %12.1f %12.1f %7.2fx\n", desc.name,
              flops / bestWall[0] / 1e9, flops / bestWall[1] / 1e9,
              bestWall[0] / bestWall[1], flops / bestCpu[0] / 1e9,
              flops / bestCpu[1] / 1e9, bestCpu[0] / bestCpu[1]);
  std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv) {
  int threads = 1;
  double minSeconds = 2.0;
  int64_t prefillM = 64;
  std::string types = "f32,f16,q8_0,q4_0,q4_k,q6_k";
  bool gemmOnly = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char * {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "tt-bench-kernels: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--threads")
      threads = std::atoi(next());
    else if (a == "--seconds")
      minSeconds = std::atof(next());
    else if (a == "--types")
      types = next();
    else if (a == "--gemm")
      gemmOnly = true;
    else if (a == "--prefill-m")
      prefillM = std::atoll(next());
    else if (a == "--isa") {
      const char *isa = next();
      if (!setKernelISA(isa)) {
        std::fprintf(stderr, "tt-bench-kernels: this CPU cannot run '%s'\n",
                     isa);
        return 2;
      }
    } else {
      std::fprintf(stderr,
                   "usage: tt-bench-kernels [--threads N] [--seconds S] "
                   "[--types f32,q4_0,...] [--prefill-m M] [--isa NAME] "
                   "[--gemm]\n");
      return 2;
    }
  }
  ttrt_set_num_threads(threads);
  if (gemmOnly) {
    std::printf("threads=%d kernels=%s M=%lld: prefill GFLOP/s over "
                "5632x2048, 2048x5632, 32000x2048\n",
                threads, kernelISA(), static_cast<long long>(prefillM));
    std::printf("%-6s %10s %10s %8s %12s %12s %8s\n", "type", "rows", "gemm",
                "speedup", "rows/cpu-s", "gemm/cpu-s", "speedup");
    std::stringstream list(types);
    std::string name;
    while (std::getline(list, name, ',')) {
      const TypeDesc *desc = nullptr;
      for (const TypeDesc &t : kTypes)
        if (name == t.name)
          desc = &t;
      if (!desc) {
        std::fprintf(stderr, "tt-bench-kernels: unknown type '%s'\n",
                     name.c_str());
        return 2;
      }
      compareGemm(*desc, prefillM, minSeconds);
    }
    return 0;
  }
  double bw = measureBandwidth(minSeconds);
  std::printf("threads=%d kernels=%s\n", threads, kernelISA());
  std::printf("bandwidth  %8.2f GB/s (read, 1 GiB buffer)\n", bw);
  std::printf("%-6s %12s %10s %10s %10s %12s %14s\n", "type", "MB/matrices",
              "bw GB/s", "decode GB/s", "of bw", "GB/cpu-s", "prefill GFLOP/s");

  std::stringstream list(types);
  std::string name;
  while (std::getline(list, name, ',')) {
    const TypeDesc *desc = nullptr;
    for (const TypeDesc &t : kTypes)
      if (name == t.name)
        desc = &t;
    if (!desc) {
      std::fprintf(stderr, "tt-bench-kernels: unknown type '%s'\n",
                   name.c_str());
      return 2;
    }
    std::mt19937 rng(42);
    int64_t setBytes = 0;
    for (const Shape &s : kShapes)
      setBytes += s.N * ttrt_row_bytes(desc->type, s.K);
    // Enough copies that the working set is at least 768 MiB.
    int copies = int((768ll << 20) / setBytes) + 1;
    std::vector<std::vector<uint8_t>> mats;
    std::vector<const Shape *> shapes;
    for (int c = 0; c < copies; ++c)
      for (const Shape &s : kShapes) {
        mats.push_back(randomMatrix(desc->type, s.N, s.K, rng));
        shapes.push_back(&s);
        if (repacked(*desc))
          repackQ4_0(&mats, mats.back().data(), s.N, s.K);
      }
    std::vector<float> x(prefillM * 5632), y(prefillM * 32000);
    std::uniform_real_distribution<float> val(-1.0f, 1.0f);
    for (float &f : x)
      f = val(rng);

    // Decode: M = 1 over every matrix in turn; the best pass counts, as for
    // the bandwidth, which is measured again just before (same conditions).
    double typeBw = measureBandwidth(minSeconds / 4);
    for (size_t i = 0; i < mats.size(); ++i) // warm-up pass
      ttrt_matmul(mats[i].data(), desc->type, shapes[i]->N, shapes[i]->K,
                  x.data(), 1, y.data(), nullptr);
    double decodeGBs = 0, elapsed = 0, cpuBytes = 0, cpuSeconds = 0;
    auto start = Clock::now();
    while (elapsed < minSeconds) {
      double bytes = 0;
      double c0 = cpuTime();
      auto t0 = Clock::now();
      for (size_t i = 0; i < mats.size(); ++i) {
        ttrt_matmul(mats[i].data(), desc->type, shapes[i]->N, shapes[i]->K,
                    x.data(), 1, y.data(), nullptr);
        bytes += double(mats[i].size());
      }
      auto t1 = Clock::now();
      cpuSeconds += cpuTime() - c0;
      cpuBytes += bytes;
      decodeGBs = std::max(decodeGBs, bytes / seconds(t0, t1) / 1e9);
      elapsed = seconds(start, t1);
    }

    // Prefill: M = prefillM over one copy.
    double flops = 0;
    elapsed = 0;
    start = Clock::now();
    while (elapsed < minSeconds / 2) {
      for (size_t i = 0; i < 3; ++i) {
        ttrt_matmul(mats[i].data(), desc->type, shapes[i]->N, shapes[i]->K,
                    x.data(), prefillM, y.data(), nullptr);
        flops += 2.0 * prefillM * shapes[i]->N * shapes[i]->K;
      }
      elapsed = seconds(start, Clock::now());
    }
    std::printf("%-6s %12.1f %10.2f %10.2f %9.1f%% %12.2f %14.1f\n", desc->name,
                setBytes / 1e6, typeBw, decodeGBs, 100.0 * decodeGBs / typeBw,
                cpuBytes / cpuSeconds / 1e9, flops / elapsed / 1e9);
    std::fflush(stdout);
  }
  return 0;
}
