//===- KernelsTest.cpp - Runtime kernels against naive references ---------===//
//
// Every kernel of RuntimeABI.h against plain loops written here: weights are
// random bytes in ggml's block layouts (so every bit of the layout matters),
// de-quantised by this file's own reference code, multiplied in double.
// Each kernel runs with every instruction set this CPU has (scalar, AVX2,
// AVX-512 VNNI) and with 1 and 3 threads.
//
// Tolerances:
// - f32/f16/bf16 weights: |y - ref| <= 1e-5 * sum_k |w_k x_k| + 1e-6 (float
//   accumulation order only).
// - integer kernels quantise the activations to int8 per block of 32 (as
//   llama.cpp does): each x_k moves by at most amax(block)/254, so
//   |y - ref| <= sum_k |w_k| * amax(block of k) / 254 * 1.01
//                + 1e-5 * sum_k |w_k x_k| + 1e-6.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace tt::rt;

namespace {

//===----------------------------------------------------------------------===//
// Test-local reference: ggml's block layouts (ggml-common.h) and its
// dequantize_row_* (ggml-quants.c), written out naively.
//===----------------------------------------------------------------------===//

float refHalf(const uint8_t *p) {
  uint16_t h = p[0] | (p[1] << 8);
  int sign = h >> 15, exp = (h >> 10) & 31, man = h & 1023;
  double v;
  if (exp == 0)
    v = std::ldexp(man, -24);
  else if (exp == 31)
    v = man ? NAN : INFINITY;
  else
    v = std::ldexp(1024 + man, exp - 25);
  return static_cast<float>(sign ? -v : v);
}

void refScaleMin(int j, const uint8_t *q, int &d, int &m) {
  if (j < 4) {
    d = q[j] & 63;
    m = q[j + 4] & 63;
  } else {
    d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    m = (q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4);
  }
}

struct TypeInfo {
  int32_t type;
  const char *name;
  int block;
  int bytes;
};
const TypeInfo kTypes[] = {
    {TTRT_TYPE_F32, "f32", 1, 4},       {TTRT_TYPE_F16, "f16", 1, 2},
    {TTRT_TYPE_BF16, "bf16", 1, 2},     {TTRT_TYPE_Q8_0, "q8_0", 32, 34},
    {TTRT_TYPE_Q4_0, "q4_0", 32, 18},   {TTRT_TYPE_Q4_K, "q4_k", 256, 144},
    {TTRT_TYPE_Q5_K, "q5_k", 256, 176}, {TTRT_TYPE_Q6_K, "q6_k", 256, 210},
};

/// Naive de-quantisation of n elements.
std::vector<double> refDequant(int32_t type, const uint8_t *p, int64_t n) {
  std::vector<double> y(n);
  switch (type) {
  case TTRT_TYPE_F32:
    for (int64_t i = 0; i < n; ++i) {
      float f;
      std::memcpy(&f, p + 4 * i, 4);
      y[i] = f;
    }
    break;
  case TTRT_TYPE_F16:
    for (int64_t i = 0; i < n; ++i)
      y[i] = refHalf(p + 2 * i);
    break;
  case TTRT_TYPE_BF16:
    for (int64_t i = 0; i < n; ++i) {
      uint32_t bits = (p[2 * i] | (p[2 * i + 1] << 8)) << 16;
      float f;
      std::memcpy(&f, &bits, 4);
      y[i] = f;
    }
    break;
  case TTRT_TYPE_Q8_0: // {f16 d; int8 qs[32]}
    for (int64_t b = 0; b < n / 32; ++b) {
      const uint8_t *blk = p + 34 * b;
      for (int j = 0; j < 32; ++j)
        y[32 * b + j] = refHalf(blk) * static_cast<int8_t>(blk[2 + j]);
    }
    break;
  case TTRT_TYPE_Q4_0: // {f16 d; u8 qs[16]}
    for (int64_t b = 0; b < n / 32; ++b) {
      const uint8_t *blk = p + 18 * b;
      for (int j = 0; j < 16; ++j) {
        y[32 * b + j] = refHalf(blk) * ((blk[2 + j] & 0xF) - 8);
        y[32 * b + j + 16] = refHalf(blk) * ((blk[2 + j] >> 4) - 8);
      }
    }
    break;
  case TTRT_TYPE_Q4_K: // {f16 d, dmin; u8 scales[12]; u8 qs[128]}
  case TTRT_TYPE_Q5_K: // {f16 d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}
  {
    bool five = type == TTRT_TYPE_Q5_K;
    for (int64_t b = 0; b < n / 256; ++b) {
      const uint8_t *blk = p + (five ? 176 : 144) * b;
      double d = refHalf(blk), dmin = refHalf(blk + 2);
      const uint8_t *scales = blk + 4, *qh = blk + 16;
      const uint8_t *q = blk + (five ? 48 : 16);
      double *out = &y[256 * b];
      int is = 0;
      uint8_t u1 = 1, u2 = 2;
      for (int j = 0; j < 256; j += 64) {
        int sc, m;
        refScaleMin(is + 0, scales, sc, m);
        double d1 = d * sc, m1 = dmin * m;
        refScaleMin(is + 1, scales, sc, m);
        double d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; ++l)
          *out++ = d1 * ((q[l] & 0xF) + (five && (qh[l] & u1) ? 16 : 0)) - m1;
        for (int l = 0; l < 32; ++l)
          *out++ = d2 * ((q[l] >> 4) + (five && (qh[l] & u2) ? 16 : 0)) - m2;
        q += 32;
        is += 2;
        u1 <<= 2;
        u2 <<= 2;
      }
    }
    break;
  }
  case TTRT_TYPE_Q6_K: // {u8 ql[128]; u8 qh[64]; int8 scales[16]; f16 d}
    for (int64_t b = 0; b < n / 256; ++b) {
      const uint8_t *blk = p + 210 * b;
      double d = refHalf(blk + 208);
      const uint8_t *ql = blk, *qh = blk + 128;
      const int8_t *sc = reinterpret_cast<const int8_t *>(blk + 192);
      double *out = &y[256 * b];
      for (int half = 0; half < 2; ++half) {
        for (int l = 0; l < 32; ++l) {
          int is = l / 16;
          int q1 = ((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
          int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
          int q3 = ((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
          int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
          out[l + 0] = d * sc[is + 0] * q1;
          out[l + 32] = d * sc[is + 2] * q2;
          out[l + 64] = d * sc[is + 4] * q3;
          out[l + 96] = d * sc[is + 6] * q4;
        }
        out += 128;
        ql += 64;
        qh += 32;
        sc += 8;
      }
    }
    break;
  default:
    ADD_FAILURE() << "no reference for type " << type;
  }
  return y;
}

void putHalf(uint8_t *p, float f) {
  uint16_t h = floatToHalf(f);
  p[0] = h & 0xff;
  p[1] = h >> 8;
}

/// `rows` rows of `cols` random elements of `type`: random bytes for the
/// quantised payloads, random but modest scales.
std::vector<uint8_t> randomWeights(const TypeInfo &t, int64_t rows,
                                   int64_t cols, std::mt19937 &rng) {
  int64_t rowBytes = cols / t.block * t.bytes;
  std::vector<uint8_t> w(rows * rowBytes);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_real_distribution<float> val(-1.0f, 1.0f);
  std::uniform_real_distribution<float> scale(0.001f, 0.02f);
  for (uint8_t &b : w)
    b = static_cast<uint8_t>(byte(rng));
  int64_t blocks = rows * (cols / t.block);
  for (int64_t b = 0; b < blocks; ++b) {
    uint8_t *blk = w.data() + b * t.bytes;
    switch (t.type) {
    case TTRT_TYPE_F32: {
      float f = val(rng);
      std::memcpy(blk, &f, 4);
      break;
    }
    case TTRT_TYPE_F16:
      putHalf(blk, val(rng));
      break;
    case TTRT_TYPE_BF16: {
      uint16_t h = floatToBF16(val(rng));
      blk[0] = h & 0xff;
      blk[1] = h >> 8;
      break;
    }
    case TTRT_TYPE_Q8_0:
    case TTRT_TYPE_Q4_0:
      putHalf(blk, scale(rng));
      break;
    case TTRT_TYPE_Q4_K:
    case TTRT_TYPE_Q5_K:
      putHalf(blk, scale(rng) * 0.1f);
      putHalf(blk + 2, scale(rng) * 0.1f);
      break;
    case TTRT_TYPE_Q6_K:
      putHalf(blk + 208, scale(rng) * 0.1f);
      break;
    }
  }
  return w;
}

std::vector<float> randomFloats(int64_t n, std::mt19937 &rng) {
  std::uniform_real_distribution<float> val(-2.0f, 2.0f);
  std::vector<float> x(n);
  for (float &f : x)
    f = val(rng);
  return x;
}

std::vector<std::string> availableISAs() {
  std::vector<std::string> isas;
  for (const char *name : {"scalar", "avx2", "avx512-vnni"})
    if (setKernelISA(name))
      isas.push_back(name);
  return isas;
}

/// Restores the default kernels and one thread after each test.
class KernelsTest : public ::testing::Test {
protected:
  void SetUp() override { defaultISA = kernelISA(); }
  void TearDown() override {
    setKernelISA(defaultISA.c_str());
    ttrt_set_num_threads(1);
  }
  std::string defaultISA;
};

TEST_F(KernelsTest, RowBytesAndSupport) {
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_F32, 7), 28);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_F16, 7), 14);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_BF16, 3), 6);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_Q8_0, 64), 68);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_Q4_0, 2048), 1152);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_Q4_K, 512), 288);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_Q5_K, 256), 176);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_Q6_K, 768), 630);
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_Q8_0, 33), 0); // not whole blocks
  EXPECT_EQ(ttrt_row_bytes(TTRT_TYPE_Q4_1, 32), 0); // unsupported
  for (const TypeInfo &t : kTypes)
    EXPECT_TRUE(ttrt_type_supported(t.type)) << t.name;
  for (int32_t t : {3, 6, 7, 10, 11, 16, 99})
    EXPECT_FALSE(ttrt_type_supported(t)) << t;
}

TEST_F(KernelsTest, HalfAndBF16Conversions) {
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);           // ties to even: infinity
  EXPECT_EQ(floatToHalf(5.9604645e-08f), 0x0001);     // smallest subnormal
  EXPECT_EQ(floatToHalf(1.0f + 1.0f / 2048), 0x3c00); // tie to even: down
  EXPECT_EQ(floatToHalf(1.0f + 3.0f / 2048), 0x3c02); // tie to even: up
  EXPECT_EQ(halfToFloat(0x0001), 5.9604645e-08f);
  EXPECT_EQ(halfToFloat(0xc000), -2.0f);
  EXPECT_TRUE(std::isinf(halfToFloat(0x7c00)));
  EXPECT_EQ(floatToBF16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBF16(1.00390625f), 0x3f80); // tie to even
  EXPECT_EQ(bf16ToFloat(0x4040), 3.0f);
  std::mt19937 rng(1);
  for (int i = 0; i < 1000; ++i) {
    uint16_t h = static_cast<uint16_t>(rng());
    if (((h >> 10) & 31) == 31)
      continue;
    float f = halfToFloat(h);
    uint8_t b[2] = {static_cast<uint8_t>(h & 0xff),
                    static_cast<uint8_t>(h >> 8)};
    EXPECT_EQ(f, refHalf(b));
    EXPECT_EQ(floatToHalf(f), h);
  }
}

struct MatmulCase {
  int64_t N, K, M;
  bool bias;
};

/// Runs ttrt_matmul on random data and checks it against the reference with
/// the tolerance described at the top of the file; returns y.
std::vector<float> checkMatmul(const TypeInfo &t, const MatmulCase &c,
                               const std::string &what) {
  std::mt19937 rng(static_cast<unsigned>(c.N * 131 + c.K * 7 + c.M + t.type));
  std::vector<uint8_t> w = randomWeights(t, c.N, c.K, rng);
  std::vector<float> x = randomFloats(c.M * c.K, rng);
  std::vector<float> bias = randomFloats(c.N, rng);
  std::vector<float> y(c.M * c.N, NAN);
  ttrt_matmul(w.data(), t.type, c.N, c.K, x.data(), c.M, y.data(),
              c.bias ? bias.data() : nullptr);
  int64_t rowBytes = c.K / t.block * t.bytes;
  bool integer = t.block > 1;
  for (int64_t n = 0; n < c.N; ++n) {
    std::vector<double> wr = refDequant(t.type, w.data() + n * rowBytes, c.K);
    for (int64_t m = 0; m < c.M; ++m) {
      const float *xr = x.data() + m * c.K;
      double ref = c.bias ? bias[n] : 0.0, mag = 0, quant = 0;
      for (int64_t k = 0; k < c.K; ++k) {
        ref += wr[k] * xr[k];
        mag += std::fabs(wr[k] * xr[k]);
      }
      if (integer)
        for (int64_t b = 0; b < c.K / 32; ++b) {
          double amax = 0, wsum = 0;
          for (int j = 0; j < 32; ++j) {
            amax = std::max(amax, std::fabs(double(xr[32 * b + j])));
            wsum += std::fabs(wr[32 * b + j]);
          }
          quant += wsum * amax / 254 * 1.01;
        }
      double tol = quant + 1e-5 * mag + 1e-6;
      double got = y[m * c.N + n];
      if (!(std::fabs(got - ref) <= tol)) {
        ADD_FAILURE() << what << " " << t.name << " N=" << c.N << " K=" << c.K
                      << " M=" << c.M << ": y[" << m << "][" << n
                      << "] = " << got << ", reference " << ref
                      << ", tolerance " << tol;
        return y;
      }
    }
  }
  return y;
}

TEST_F(KernelsTest, MatmulEveryTypeAndISA) {
  for (const std::string &isa : availableISAs()) {
    ASSERT_TRUE(setKernelISA(isa.c_str()));
    for (const TypeInfo &t : kTypes) {
      std::vector<int64_t> ks;
      if (t.block == 1)
        ks = {1, 13, 100, 259};
      else if (t.block == 32)
        ks = {32, 96, 320};
      else
        ks = {256, 768};
      for (int64_t K : ks)
        for (int64_t M : {1, 3, 17})
          for (int64_t N : {1, 7, 37})
            checkMatmul(t, {N, K, M, (N + M) % 2 == 0}, isa);
    }
  }
}

/// Sets the matmul path for one scope.
class ScopedMatmulPath {
public:
  explicit ScopedMatmulPath(MatmulPath p) : old(setMatmulPath(p)) {}
  ~ScopedMatmulPath() { setMatmulPath(old); }

private:
  MatmulPath old;
};

TEST_F(KernelsTest, GemmEveryTypeAndISA) {
  // The prefill GEMM kernels (every M > 1 here): K with a tail after the
  // last full vector and K over more than one k chunk (1024 floats, 32
  // blocks), partial panels of weight rows (N not a multiple of 4, 8 or
  // 16), every remainder of the activation-row tiles.
  ScopedMatmulPath gemm(MatmulPath::Gemm);
  for (const std::string &isa : availableISAs()) {
    ASSERT_TRUE(setKernelISA(isa.c_str()));
    for (const TypeInfo &t : kTypes) {
      std::vector<int64_t> ks;
      if (t.block == 1)
        ks = {13, 259, 1040};
      else if (t.block == 32)
        ks = {96, 1088};
      else
        ks = {256, 1280};
      for (int64_t K : ks)
        for (int64_t M : {2, 3, 4, 5, 8, 17, 64})
          for (int64_t N : {7, 37})
            checkMatmul(t, {N, K, M, (N + M) % 2 == 1}, isa + " gemm");
      checkMatmul(t, {1, ks[0], 5, true}, isa + " gemm");
    }
  }
}

TEST_F(KernelsTest, GemmAgreesWithRowKernels) {
  // Both paths multiply the same quantised activations (integer formats)
  // or the same floats; only the float summation order differs.
  for (const std::string &isa : availableISAs()) {
    ASSERT_TRUE(setKernelISA(isa.c_str()));
    for (const TypeInfo &t : kTypes) {
      std::mt19937 rng(11);
      int64_t N = 29, K = t.block == 256 ? 512 : 320, M = 9;
      std::vector<uint8_t> w = randomWeights(t, N, K, rng);
      std::vector<float> x = randomFloats(M * K, rng);
      std::vector<float> rows(M * N), gemm(M * N);
      {
        ScopedMatmulPath p(MatmulPath::Rows);
        ttrt_matmul(w.data(), t.type, N, K, x.data(), M, rows.data(), nullptr);
      }
      {
        ScopedMatmulPath p(MatmulPath::Gemm);
        ttrt_matmul(w.data(), t.type, N, K, x.data(), M, gemm.data(), nullptr);
      }
      int64_t rowBytes = K / t.block * t.bytes;
      for (int64_t n = 0; n < N; ++n) {
        std::vector<double> wr = refDequant(t.type, w.data() + n * rowBytes, K);
        for (int64_t m = 0; m < M; ++m) {
          double mag = 0;
          for (int64_t k = 0; k < K; ++k)
            mag += std::fabs(wr[k] * x[m * K + k]);
          ASSERT_NEAR(gemm[m * N + n], rows[m * N + n], 1e-5 * mag + 1e-6)
              << t.name << " " << isa << " y[" << m << "][" << n << "]";
        }
      }
    }
  }
}

TEST_F(KernelsTest, DecodeQ4_0AgreesWithReferenceAndRowKernel) {
  // M = 1 over Q4_0 has its own AVX-512 kernel: scales 16 blocks at a
  // time, then a tail of blocks (odd counts included).
  const TypeInfo *q4 = nullptr;
  for (const TypeInfo &t : kTypes)
    if (t.type == TTRT_TYPE_Q4_0)
      q4 = &t;
  ASSERT_TRUE(q4);
  for (const std::string &isa : availableISAs()) {
    ASSERT_TRUE(setKernelISA(isa.c_str()));
    for (int64_t K : {32, 512, 544, 1184, 2080})
      for (int64_t N : {1, 7, 37}) {
        std::vector<float> fast =
            checkMatmul(*q4, {N, K, 1, N != 7}, isa + " decode");
        ScopedMatmulPath rows(MatmulPath::Rows);
        std::vector<float> ref =
            checkMatmul(*q4, {N, K, 1, N != 7}, isa + " decode rows");
        for (int64_t n = 0; n < N; ++n)
          ASSERT_NEAR(fast[n], ref[n], 1e-4 * (std::fabs(ref[n]) + 1))
              << isa << " N=" << N << " K=" << K << " y[" << n << "]";
      }
  }
}

TEST_F(KernelsTest, GemmSplitOverRowsGivesIdenticalResults) {
  // Few weight rows: the threads also split the activation rows.
  ScopedMatmulPath gemm(MatmulPath::Gemm);
  for (const TypeInfo &t : kTypes) {
    MatmulCase c{20, t.block == 256 ? 512 : 320, 64, true};
    ttrt_set_num_threads(1);
    std::vector<float> one = checkMatmul(t, c, "1 thread");
    ttrt_set_num_threads(3);
    std::vector<float> three = checkMatmul(t, c, "3 threads");
    EXPECT_EQ(0, std::memcmp(one.data(), three.data(), one.size() * 4))
        << t.name;
  }
}

TEST_F(KernelsTest, MatmulThreadsGiveIdenticalResults) {
  for (const TypeInfo &t : kTypes) {
    MatmulCase c{45, t.block == 256 ? 512 : 320, 5, true};
    ttrt_set_num_threads(1);
    std::vector<float> one = checkMatmul(t, c, "1 thread");
    ttrt_set_num_threads(3);
    std::vector<float> three = checkMatmul(t, c, "3 threads");
    EXPECT_EQ(0, std::memcmp(one.data(), three.data(), one.size() * 4))
        << t.name;
  }
}

TEST_F(KernelsTest, ThreadPoolRunsEveryChunkOnce) {
  // Many short jobs of both kinds back to back, as a decode step issues
  // them: every index is visited exactly once, every thread runs its share.
  for (int threads : {2, 3}) {
    ttrt_set_num_threads(threads);
    EXPECT_EQ(numThreads(), threads);
    for (int round = 0; round < 2000; ++round) {
      int64_t n = 1 + round % 97;
      std::vector<std::atomic<int>> seen(n);
      parallelFor(n, 1 + round % 5, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i)
          seen[i].fetch_add(1);
      });
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(seen[i].load(), 1) << "round " << round << " index " << i;
      if (round % 10 == 0) {
        std::atomic<int> ran{0};
        parallelRun([&](int tid, int nthreads) {
          EXPECT_EQ(nthreads, threads);
          ran.fetch_add(1 << tid);
        });
        ASSERT_EQ(ran.load(), (1 << threads) - 1);
      }
    }
  }
}

TEST_F(KernelsTest, IntegerKernelsAgreeAcrossISAs) {
  // The SIMD kernels compute the same integer sums as the scalar ones; only
  // float rounding order differs.
  std::vector<std::string> isas = availableISAs();
  for (const TypeInfo &t : kTypes) {
    if (t.block == 1)
      continue;
    std::mt19937 rng(7);
    int64_t N = 9, K = 512, M = 2;
    std::vector<uint8_t> w = randomWeights(t, N, K, rng);
    std::vector<float> x = randomFloats(M * K, rng);
    std::vector<float> first;
    for (const std::string &isa : isas) {
      setKernelISA(isa.c_str());
      std::vector<float> y(M * N);
      ttrt_matmul(w.data(), t.type, N, K, x.data(), M, y.data(), nullptr);
      if (first.empty()) {
        first = y;
        continue;
      }
      for (size_t i = 0; i < y.size(); ++i)
        EXPECT_NEAR(y[i], first[i], 1e-4 * (std::fabs(first[i]) + 1))
            << t.name << " " << isa;
    }
  }
}

TEST_F(KernelsTest, EmbeddingAndToF32) {
  for (const TypeInfo &t : kTypes) {
    std::mt19937 rng(3 + t.type);
    int64_t vocab = 11, dim = t.block == 1 ? 19 : 2 * t.block;
    std::vector<uint8_t> table = randomWeights(t, vocab, dim, rng);
    std::vector<int32_t> tokens = {5, 0, 10, 5};
    std::vector<float> out(tokens.size() * dim, NAN);
    ttrt_embedding(table.data(), t.type, vocab, dim, tokens.data(),
                   tokens.size(), out.data());
    int64_t rowBytes = dim / t.block * t.bytes;
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::vector<double> ref =
          refDequant(t.type, table.data() + tokens[i] * rowBytes, dim);
      for (int64_t j = 0; j < dim; ++j)
        ASSERT_NEAR(out[i * dim + j], ref[j], 1e-6 * (std::fabs(ref[j]) + 1e-3))
            << t.name << " token " << tokens[i] << " element " << j;
    }
    std::vector<float> flat(vocab * dim);
    ttrt_to_f32(table.data(), t.type, vocab * dim, flat.data());
    std::vector<double> ref = refDequant(t.type, table.data(), vocab * dim);
    for (int64_t j = 0; j < vocab * dim; ++j)
      ASSERT_NEAR(flat[j], ref[j], 1e-6 * (std::fabs(ref[j]) + 1e-3)) << t.name;
  }
}

TEST_F(KernelsTest, ErrorsNameTheProblem) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::vector<uint8_t> w(1024);
  std::vector<float> x(64), y(64);
  EXPECT_DEATH(
      ttrt_matmul(w.data(), TTRT_TYPE_Q4_1, 2, 32, x.data(), 1, y.data(),
                  nullptr),
      "matmul: weight type q4_1 \\(ggml type id 3\\) is not supported");
  EXPECT_DEATH(ttrt_matmul(w.data(), TTRT_TYPE_Q4_K, 2, 64, x.data(), 1,
                           y.data(), nullptr),
               "K=64 is not a multiple of q4_k's block of 256");
  int32_t bad = 12;
  EXPECT_DEATH(
      ttrt_embedding(w.data(), TTRT_TYPE_F32, 12, 4, &bad, 1, y.data()),
      "token id 12 \\(at index 0\\) is outside the vocabulary "
      "\\[0, 12\\)");
  EXPECT_DEATH(ttrt_attention(x.data(), x.data(), x.data(), 1, 0, 3, 2, 4, 0,
                              1.0f, 0.0f, y.data()),
               "heads must be a positive multiple of kv_heads");
}

/// Naive causal attention over the cache, in double.
std::vector<double> refAttention(const std::vector<float> &q,
                                 const std::vector<float> &k,
                                 const std::vector<float> &v, int64_t S,
                                 int64_t pos0, int64_t H, int64_t KVH,
                                 int64_t D, int64_t window, double scale,
                                 double softcap) {
  std::vector<double> out(S * H * D, 0.0);
  for (int64_t s = 0; s < S; ++s)
    for (int64_t h = 0; h < H; ++h) {
      int64_t kvh = h / (H / KVH), p = pos0 + s;
      int64_t lo = window > 0 ? std::max<int64_t>(0, p - window + 1) : 0;
      std::vector<double> sc;
      for (int64_t j = lo; j <= p; ++j) {
        double dot = 0;
        for (int64_t d = 0; d < D; ++d)
          dot += double(q[(s * H + h) * D + d]) * k[(j * KVH + kvh) * D + d];
        dot *= scale;
        if (softcap > 0)
          dot = softcap * std::tanh(dot / softcap);
        sc.push_back(dot);
      }
      double mx = *std::max_element(sc.begin(), sc.end()), sum = 0;
      for (double &e : sc)
        sum += (e = std::exp(e - mx));
      for (int64_t j = lo; j <= p; ++j)
        for (int64_t d = 0; d < D; ++d)
          out[(s * H + h) * D + d] +=
              sc[j - lo] / sum * v[(j * KVH + kvh) * D + d];
    }
  return out;
}

TEST_F(KernelsTest, AttentionMatchesNaive) {
  struct Case {
    int64_t S, pos0, H, KVH, D, window;
    float softcap;
  };
  const Case cases[] = {
      {1, 0, 4, 4, 8, 0, 0},      // first token
      {1, 9, 6, 2, 13, 0, 0},     // decode, GQA, odd head_dim
      {5, 3, 6, 3, 17, 0, 0},     // prefill after a prefix
      {4, 10, 4, 1, 16, 4, 0},    // sliding window, MQA
      {3, 6, 8, 2, 64, 0, 30.0f}, // softcap
      {7, 0, 2, 2, 9, 3, 5.0f},   // window and softcap from position 0
  };
  for (int threads : {1, 3}) {
    ttrt_set_num_threads(threads);
    for (const std::string &isa : availableISAs()) {
      setKernelISA(isa.c_str());
      for (const Case &c : cases) {
        std::mt19937 rng(static_cast<unsigned>(c.S * 31 + c.pos0 + c.D));
        int64_t C = c.pos0 + c.S + 2; // a cache longer than used
        std::vector<float> q = randomFloats(c.S * c.H * c.D, rng);
        std::vector<float> k = randomFloats(C * c.KVH * c.D, rng);
        std::vector<float> v = randomFloats(C * c.KVH * c.D, rng);
        float scale = 1.0f / std::sqrt(float(c.D));
        std::vector<float> out(c.S * c.H * c.D, NAN);
        ttrt_attention(q.data(), k.data(), v.data(), c.S, c.pos0, c.H, c.KVH,
                       c.D, c.window, scale, c.softcap, out.data());
        std::vector<double> ref = refAttention(q, k, v, c.S, c.pos0, c.H, c.KVH,
                                               c.D, c.window, scale, c.softcap);
        for (size_t i = 0; i < ref.size(); ++i)
          ASSERT_NEAR(out[i], ref[i], 1e-5)
              << isa << " threads=" << threads << " S=" << c.S
              << " pos0=" << c.pos0 << " window=" << c.window << " i=" << i;
      }
    }
  }
}

TEST_F(KernelsTest, AttentionSoftmaxIsStableForLargeScores) {
  // Scores around 1e4 would overflow exp() without the max subtraction.
  int64_t D = 4;
  std::vector<float> q = {100, 100, 100, 100};
  std::vector<float> k = {25, 25, 25, 25, 25, 25, 25, 24.9f};
  std::vector<float> v = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<float> out(4);
  ttrt_attention(q.data(), k.data(), v.data(), 1, 1, 1, 1, D, 0, 1.0f, 0.0f,
                 out.data());
  // Scores 10000 and 9990: weights 1/(1+e^-10) and the rest.
  double w0 = 1 / (1 + std::exp(-10.0));
  for (int d = 0; d < 4; ++d)
    EXPECT_NEAR(out[d], w0 * v[d] + (1 - w0) * v[4 + d], 1e-4);
}

} // namespace
