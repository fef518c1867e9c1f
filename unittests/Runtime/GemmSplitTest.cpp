//===- GemmSplitTest.cpp - Prefill GEMM thread splits, weight mapping -----===//
//
// - parallelForGuided (the prefill GEMM's split of weight rows over the
//   threads): every index once, chunk starts at multiples of the alignment,
//   chunks that shrink towards the end.
// - The prefill GEMM (ttrt_matmul with M > 1) over f32, f16, bf16 and Q8_0
//   weights with odd M, N and K (tails of every tile: activation-row
//   groups, weight-row panels, the last vector and k chunk): against a
//   naive double-precision reference written here, and bit for bit the same
//   with 1, 2 and 3 threads (the guided chunks change with the thread
//   count; the results must not).
// - WeightStore's up-front mapping of the weights (MADV_POPULATE_READ)
//   changes nothing that is read: TT_RT_POPULATE=0 gives the same bytes.
//
// Tolerances as in KernelsTest.cpp: float weights |y - ref| <= 1e-5 *
// sum_k |w_k x_k| + 1e-6; Q8_0 adds the activations' int8 rounding,
// sum_k |w_k| * amax(block of k) / 254 * 1.01.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"
#include "tt/Runtime/WeightStore.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <vector>

using namespace tt::rt;

namespace {

/// Restores the thread count and the matmul path at the end of a test.
class GemmSplitTest : public ::testing::Test {
protected:
  void SetUp() override { oldPath = setMatmulPath(MatmulPath::Gemm); }
  void TearDown() override {
    ttrt_set_num_threads(1);
    setMatmulPath(oldPath);
  }
  MatmulPath oldPath = MatmulPath::Auto;
};

TEST_F(GemmSplitTest, GuidedChunksCoverEveryIndexOnceAndShrink) {
  for (int threads : {1, 2, 3}) {
    ttrt_set_num_threads(threads);
    for (int64_t align : {1, 4, 16})
      for (int64_t n : {1, 5, 16, 17, 100, 353, 5632, 32000}) {
        std::vector<std::atomic<int>> seen(n);
        std::mutex m;
        std::vector<std::pair<int64_t, int64_t>> chunks;
        parallelForGuided(n, align, [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i)
            seen[i].fetch_add(1);
          std::lock_guard<std::mutex> lock(m);
          chunks.push_back({b, e});
        });
        for (int64_t i = 0; i < n; ++i)
          ASSERT_EQ(seen[i].load(), 1) << "threads=" << threads << " n=" << n
                                       << " align=" << align << " index " << i;
        std::sort(chunks.begin(), chunks.end());
        for (size_t c = 0; c < chunks.size(); ++c) {
          int64_t b = chunks[c].first, e = chunks[c].second;
          ASSERT_EQ(b % align, 0) << "chunk start " << b;
          ASSERT_LT(b, e);
          // Every chunk but the last is whole units, none larger than the
          // one before it.
          if (c + 1 < chunks.size()) {
            ASSERT_EQ((e - b) % align, 0) << "chunk [" << b << ", " << e << ")";
            if (c > 0) {
              int64_t prev = chunks[c - 1].second - chunks[c - 1].first;
              ASSERT_LE(e - b, prev) << "n=" << n << " chunk " << c;
            }
          }
        }
        if (threads > 1 && n / align >= 16) {
          EXPECT_GT(chunks.size(), static_cast<size_t>(2 * threads))
              << "n=" << n << " align=" << align;
        }
      }
  }
}

//===----------------------------------------------------------------------===//
// Weights in ggml's layouts, with this file's own references.
//===----------------------------------------------------------------------===//

double halfValue(uint16_t h) {
  int sign = h >> 15, exp = (h >> 10) & 31, man = h & 1023;
  double v = exp == 0 ? std::ldexp(man, -24) : std::ldexp(1024 + man, exp - 25);
  return sign ? -v : v;
}

/// A random finite f16 in about [-2, 2] (normal numbers and subnormals).
uint16_t randomHalf(std::mt19937 &rng) {
  uint16_t sign = rng() & 1, man = rng() & 1023;
  uint16_t exp = static_cast<uint16_t>(rng() % 17); // 0 (subnormal) .. 16
  return static_cast<uint16_t>(sign << 15 | exp << 10 | man);
}

struct Weights {
  int32_t type;
  std::vector<uint8_t> bytes;
  std::vector<double> ref; // N x K, de-quantised
  int64_t rowBytes;
};

Weights makeWeights(int32_t type, int64_t N, int64_t K, std::mt19937 &rng) {
  Weights w{type, {}, std::vector<double>(N * K), 0};
  std::uniform_real_distribution<float> val(-1.0f, 1.0f);
  switch (type) {
  case TTRT_TYPE_F32:
    w.rowBytes = 4 * K;
    w.bytes.resize(N * w.rowBytes);
    for (int64_t i = 0; i < N * K; ++i) {
      float f = val(rng);
      std::memcpy(&w.bytes[4 * i], &f, 4);
      w.ref[i] = f;
    }
    break;
  case TTRT_TYPE_F16:
    w.rowBytes = 2 * K;
    w.bytes.resize(N * w.rowBytes);
    for (int64_t i = 0; i < N * K; ++i) {
      uint16_t h = randomHalf(rng);
      std::memcpy(&w.bytes[2 * i], &h, 2);
      w.ref[i] = halfValue(h);
    }
    break;
  case TTRT_TYPE_BF16:
    w.rowBytes = 2 * K;
    w.bytes.resize(N * w.rowBytes);
    for (int64_t i = 0; i < N * K; ++i) {
      float f = val(rng);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      uint16_t b = static_cast<uint16_t>(bits >> 16);
      std::memcpy(&w.bytes[2 * i], &b, 2);
      uint32_t back = static_cast<uint32_t>(b) << 16;
      std::memcpy(&f, &back, 4);
      w.ref[i] = f;
    }
    break;
  case TTRT_TYPE_Q8_0: {
    // Blocks of 32: an f16 scale, then 32 int8.
    w.rowBytes = K / 32 * 34;
    w.bytes.resize(N * w.rowBytes);
    for (int64_t n = 0; n < N; ++n)
      for (int64_t b = 0; b < K / 32; ++b) {
        uint8_t *blk = &w.bytes[n * w.rowBytes + 34 * b];
        uint16_t d = static_cast<uint16_t>(0x2000 + rng() % 0x1000); // ~1e-2
        std::memcpy(blk, &d, 2);
        for (int j = 0; j < 32; ++j) {
          int8_t q = static_cast<int8_t>(rng() & 0xFF);
          blk[2 + j] = static_cast<uint8_t>(q);
          w.ref[n * K + 32 * b + j] = halfValue(d) * q;
        }
      }
    break;
  }
  }
  return w;
}

/// Checks y (M x N) against the reference product; returns false after the
/// first failure.
bool checkProduct(const Weights &w, int64_t N, int64_t K, int64_t M,
                  const std::vector<float> &x, const std::vector<float> &bias,
                  const std::vector<float> &y, const std::string &what) {
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      double ref = bias[n], mag = 0, quant = 0;
      for (int64_t k = 0; k < K; ++k) {
        double p = w.ref[n * K + k] * x[m * K + k];
        ref += p;
        mag += std::fabs(p);
      }
      if (w.type == TTRT_TYPE_Q8_0)
        for (int64_t b = 0; b < K / 32; ++b) {
          double amax = 0, wsum = 0;
          for (int j = 0; j < 32; ++j) {
            amax = std::max(amax, std::fabs(double(x[m * K + 32 * b + j])));
            wsum += std::fabs(w.ref[n * K + 32 * b + j]);
          }
          quant += wsum * amax / 254 * 1.01;
        }
      double tol = quant + 1e-5 * mag + 1e-6, got = y[m * N + n];
      if (!(std::fabs(got - ref) <= tol)) {
        ADD_FAILURE() << what << ": y[" << m << "][" << n << "] = " << got
                      << ", reference " << ref << ", tolerance " << tol;
        return false;
      }
    }
  return true;
}

TEST_F(GemmSplitTest, OddShapesMatchReferenceAndEveryThreadCount) {
  struct Shape {
    int64_t N, K, M;
  };
  // N: partial weight-row panels and a split over several guided chunks;
  // K: a tail after the last vector, more than one k chunk (1024 floats or
  // 32 blocks); M: every remainder of the activation-row groups, and few
  // weight rows (the threads then also split the activation rows).
  const Shape floatShapes[] = {
      {211, 1041, 13}, {37, 67, 23}, {301, 259, 67}, {5, 300, 31}};
  const Shape quantShapes[] = {
      {211, 1088, 13}, {37, 96, 23}, {301, 320, 67}, {5, 288, 31}};
  for (int32_t type :
       {TTRT_TYPE_F32, TTRT_TYPE_F16, TTRT_TYPE_BF16, TTRT_TYPE_Q8_0}) {
    bool quant = type == TTRT_TYPE_Q8_0;
    for (const Shape &s : quant ? quantShapes : floatShapes) {
      std::mt19937 rng(static_cast<unsigned>(7 + s.N + s.K + s.M + type));
      Weights w = makeWeights(type, s.N, s.K, rng);
      std::uniform_real_distribution<float> val(-1.0f, 1.0f);
      std::vector<float> x(s.M * s.K), bias(s.N);
      for (float &f : x)
        f = val(rng);
      for (float &f : bias)
        f = val(rng);
      std::string what =
          std::string(typeName(type)) + " N=" + std::to_string(s.N) +
          " K=" + std::to_string(s.K) + " M=" + std::to_string(s.M);
      std::vector<float> first;
      for (int threads : {1, 2, 3}) {
        ttrt_set_num_threads(threads);
        std::vector<float> y(s.M * s.N, NAN);
        ttrt_matmul(w.bytes.data(), type, s.N, s.K, x.data(), s.M, y.data(),
                    bias.data());
        std::string label = what + " threads=" + std::to_string(threads);
        if (threads == 1) {
          ASSERT_TRUE(checkProduct(w, s.N, s.K, s.M, x, bias, y, label));
          first = y;
        } else {
          ASSERT_EQ(0, std::memcmp(first.data(), y.data(), y.size() * 4))
              << label << " differs from 1 thread";
        }
      }
    }
  }
}

TEST_F(GemmSplitTest, PopulatedMappingReadsTheSameBytes) {
  // A small GGUF (one f32 tensor) opened with and without the up-front
  // mapping: the tensor's bytes are the file's either way.
  llvm::SmallString<128> path;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("gemm-populate", "gguf", path));
  std::vector<float> data(4096);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<float>(i) * 0.25f - 3.0f;
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    auto u32 = [&](uint32_t v) { os.write(reinterpret_cast<char *>(&v), 4); };
    auto u64 = [&](uint64_t v) { os.write(reinterpret_cast<char *>(&v), 8); };
    auto str = [&](const std::string &s) {
      u64(s.size());
      os << s;
    };
    os << "GGUF";
    u32(3);                   // version
    u64(1);                   // tensors
    u64(1);                   // metadata
    str("general.alignment"); // key
    u32(4);                   // UINT32
    u32(32);                  // value
    str("w");                 // tensor name
    u32(2);                   // dims
    u64(64);                  // ne0
    u64(64);                  // ne1
    u32(0);                   // F32
    u64(0);                   // offset
    uint64_t pos = os.tell();
    while (pos % 32) {
      os << '\0';
      ++pos;
    }
    os.write(reinterpret_cast<const char *>(data.data()), data.size() * 4);
  }
  for (const char *populate : {"1", "0"}) {
    ASSERT_EQ(0, setenv("TT_RT_POPULATE", populate, 1));
    auto store = tt::WeightStore::open(path);
    ASSERT_TRUE(static_cast<bool>(store)) << llvm::toString(store.takeError());
    llvm::Expected<tt::Weight> w = (*store)->lookup("w");
    ASSERT_TRUE(static_cast<bool>(w)) << llvm::toString(w.takeError());
    ASSERT_EQ(w->bytes, data.size() * 4);
    EXPECT_EQ(0, std::memcmp(w->data, data.data(), w->bytes))
        << "TT_RT_POPULATE=" << populate;
  }
  unsetenv("TT_RT_POPULATE");
  llvm::sys::fs::remove(path);
}

} // namespace
