//===- RepackTest.cpp - Q4_0 matrices repacked at bind time ---------------===//
//
// tt/Runtime/Repack.h: ttrt_matmul and ttrt_matmul_fused over repacked Q4_0
// matrices against a naive reference (ggml's Q4_0 blocks de-quantised here,
// products in double) and against the stored-layout kernels, over odd
// shapes (rows not a multiple of the 16-row groups, odd block counts), every
// instruction set this CPU has and 1 and 3 threads; and the bind-time hook
// of ttrt_context (plain matrices, row ranges, stacked experts, release).
//
// Agreement with the stored-layout kernels:
// - scalar: bit-identical (the same terms in the same order);
// - SIMD GEMM (M > 1) against the stored-layout GEMM (MatmulPath::Gemm):
//   bit-identical (the same microkernel on the same panels);
// - SIMD decode (M = 1): the same integer dot products, float products
//   fused differently: |y - y_old| <= 1e-5 * sum_k |w_k x_k| + 1e-6.
// Against the reference, the activations' int8 quantisation error as in
// KernelsTest.cpp: sum_k |w_k| * amax(block of k) / 254 * 1.01 + 1e-5 *
// sum_k |w_k x_k| + 1e-6.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Context.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/Repack.h"
#include "tt/Runtime/RuntimeABI.h"
#include "tt/Runtime/WeightStore.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace tt;
using namespace tt::rt;

namespace {

double refHalf(const uint8_t *p) {
  uint16_t h = p[0] | (p[1] << 8);
  int sign = h >> 15, exp = (h >> 10) & 31, man = h & 1023;
  double v = exp == 0 ? std::ldexp(man, -24) : std::ldexp(1024 + man, exp - 25);
  return sign ? -v : v;
}

/// Row n of a Q4_0 matrix ({f16 d; u8 qs[16]} per 32 elements), naively.
std::vector<double> refRow(const uint8_t *w, int64_t n, int64_t K) {
  std::vector<double> y(K);
  const uint8_t *row = w + n * (K / 32) * 18;
  for (int64_t b = 0; b < K / 32; ++b) {
    const uint8_t *blk = row + 18 * b;
    for (int j = 0; j < 16; ++j) {
      y[32 * b + j] = refHalf(blk) * ((blk[2 + j] & 0xF) - 8);
      y[32 * b + j + 16] = refHalf(blk) * ((blk[2 + j] >> 4) - 8);
    }
  }
  return y;
}

std::vector<uint8_t> randomQ4_0(int64_t rows, int64_t K, std::mt19937 &rng) {
  std::vector<uint8_t> w(rows * (K / 32) * 18);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_real_distribution<float> scale(0.001f, 0.02f);
  for (uint8_t &b : w)
    b = static_cast<uint8_t>(byte(rng));
  for (size_t b = 0; b < w.size(); b += 18) {
    uint16_t h = floatToHalf(byte(rng) & 1 ? scale(rng) : -scale(rng));
    w[b] = h & 0xff;
    w[b + 1] = h >> 8;
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

/// y[m][n] against the reference with the quantisation bound.
void expectNearReference(const uint8_t *w, int64_t N, int64_t K,
                         const std::vector<float> &x, int64_t M,
                         const std::vector<float> &y, const float *bias,
                         const std::string &what) {
  for (int64_t n = 0; n < N; ++n) {
    std::vector<double> wr = refRow(w, n, K);
    for (int64_t m = 0; m < M; ++m) {
      const float *xm = x.data() + m * K;
      double ref = bias ? bias[n] : 0.0, mag = 0, quant = 0;
      for (int64_t b = 0; b < K / 32; ++b) {
        double amax = 0;
        for (int j = 0; j < 32; ++j)
          amax = std::max(amax, std::fabs(double(xm[32 * b + j])));
        for (int j = 0; j < 32; ++j) {
          double wk = wr[32 * b + j], xk = xm[32 * b + j];
          ref += wk * xk;
          mag += std::fabs(wk * xk);
          quant += std::fabs(wk) * amax / 254 * 1.01;
        }
      }
      ASSERT_NEAR(y[m * N + n], ref, quant + 1e-5 * mag + 1e-6)
          << what << " row " << n << " activation row " << m;
    }
  }
}

/// sum_k |w_k x_k| of row n and activation row m.
double magnitude(const uint8_t *w, int64_t n, int64_t K, const float *x) {
  std::vector<double> wr = refRow(w, n, K);
  double mag = 0;
  for (int64_t k = 0; k < K; ++k)
    mag += std::fabs(wr[k] * x[k]);
  return mag;
}

std::vector<std::string> availableISAs() {
  std::vector<std::string> isas;
  std::string current = kernelISA();
  for (const char *name : {"scalar", "avx2", "avx512-vnni"})
    if (setKernelISA(name))
      isas.push_back(name);
  setKernelISA(current.c_str());
  return isas;
}

class RepackTest : public ::testing::Test {
protected:
  void SetUp() override { defaultISA = kernelISA(); }
  void TearDown() override {
    setKernelISA(defaultISA.c_str());
    setMatmulPath(MatmulPath::Auto);
    ttrt_set_num_threads(1);
    releaseRepacked(this);
  }
  std::string defaultISA;
};

struct Shape {
  int64_t N, K;
};
const Shape kShapes[] = {{1, 32}, {5, 96}, {16, 64}, {17, 160},
                         {33, 32}, {70, 352}, {48, 1024}};

TEST_F(RepackTest, MatmulAgreesWithReferenceAndStoredLayout) {
  std::mt19937 rng(7);
  for (const Shape &s : kShapes) {
    std::vector<uint8_t> w = randomQ4_0(s.N, s.K, rng);
    std::vector<float> bias = randomFloats(s.N, rng);
    for (int64_t M : {1, 2, 3, 7, 8, 9, 21}) {
      std::vector<float> x = randomFloats(M * s.K, rng);
      for (const std::string &isa : availableISAs()) {
        ASSERT_TRUE(setKernelISA(isa.c_str()));
        bool scalar = isa == "scalar";
        for (int threads : {1, 3}) {
          ttrt_set_num_threads(threads);
          std::string what = isa + " N=" + std::to_string(s.N) +
                             " K=" + std::to_string(s.K) +
                             " M=" + std::to_string(M) +
                             " threads=" + std::to_string(threads);
          // The stored layout: the GEMM for every M > 1 (what the repacked
          // path runs), the decode kernel for M = 1.
          setMatmulPath(MatmulPath::Gemm);
          std::vector<float> old(M * s.N), now(M * s.N);
          ttrt_matmul(w.data(), TTRT_TYPE_Q4_0, s.N, s.K, x.data(), M,
                      old.data(), bias.data());
          ASSERT_GT(repackQ4_0(this, w.data(), s.N, s.K), 0u) << what;
          ASSERT_TRUE(isRepacked(w.data(), s.N, s.K));
          EXPECT_FALSE(isRepacked(w.data(), s.N + 1, s.K));
          ttrt_matmul(w.data(), TTRT_TYPE_Q4_0, s.N, s.K, x.data(), M,
                      now.data(), bias.data());
          // MatmulPath::Rows: the stored layout's row kernels, repacked or
          // not.
          std::vector<float> rows(M * s.N), rowsRepacked(M * s.N);
          setMatmulPath(MatmulPath::Rows);
          ttrt_matmul(w.data(), TTRT_TYPE_Q4_0, s.N, s.K, x.data(), M,
                      rowsRepacked.data(), bias.data());
          releaseRepacked(this);
          ASSERT_FALSE(isRepacked(w.data(), s.N, s.K));
          ttrt_matmul(w.data(), TTRT_TYPE_Q4_0, s.N, s.K, x.data(), M,
                      rows.data(), bias.data());
          ASSERT_EQ(rows, rowsRepacked) << what;
          expectNearReference(w.data(), s.N, s.K, x, M, now, bias.data(),
                              what);
          for (int64_t m = 0; m < M; ++m)
            for (int64_t n = 0; n < s.N; ++n) {
              float a = now[m * s.N + n], b = old[m * s.N + n];
              if (scalar || M > 1)
                ASSERT_EQ(a, b) << what << " row " << n << " m " << m;
              else
                ASSERT_NEAR(a, b,
                            1e-5 * magnitude(w.data(), n, s.K,
                                             x.data() + m * s.K) +
                                1e-6)
                    << what << " row " << n;
            }
        }
      }
    }
  }
}

TEST_F(RepackTest, FusedDecodeUsesRepackedProducts) {
  // Two Q4_0 products (one repacked, one not) and a residual, one row.
  std::mt19937 rng(11);
  const int64_t K = 96, N0 = 37, N1 = 20;
  std::vector<uint8_t> w0 = randomQ4_0(N0, K, rng), w1 = randomQ4_0(N1, K, rng);
  std::vector<float> x = randomFloats(K, rng), res = randomFloats(N0, rng);
  std::vector<float> b0 = randomFloats(N0, rng);
  for (const std::string &isa : availableISAs()) {
    ASSERT_TRUE(setKernelISA(isa.c_str()));
    for (int threads : {1, 3}) {
      ttrt_set_num_threads(threads);
      std::vector<float> y0(N0), y1(N1), r0(N0), r1(N1);
      ttrt_matmul_fused(x.data(), 1, K, TTRT_NORM_NONE, 0, nullptr, nullptr, 0,
                        res.data(), 2, w0.data(), TTRT_TYPE_Q4_0, N0,
                        r0.data(), b0.data(), w1.data(), TTRT_TYPE_Q4_0, N1,
                        r1.data(), nullptr, nullptr, 0, 0, nullptr, nullptr);
      ASSERT_GT(repackQ4_0(this, w0.data(), N0, K), 0u);
      ttrt_matmul_fused(x.data(), 1, K, TTRT_NORM_NONE, 0, nullptr, nullptr, 0,
                        res.data(), 2, w0.data(), TTRT_TYPE_Q4_0, N0,
                        y0.data(), b0.data(), w1.data(), TTRT_TYPE_Q4_0, N1,
                        y1.data(), nullptr, nullptr, 0, 0, nullptr, nullptr);
      releaseRepacked(this);
      for (int64_t n = 0; n < N1; ++n)
        ASSERT_EQ(y1[n], r1[n]) << isa << " unrepacked row " << n;
      for (int64_t n = 0; n < N0; ++n) {
        double tol = isa == "scalar"
                         ? 0.0
                         : 1e-5 * magnitude(w0.data(), n, K, x.data()) + 1e-6;
        ASSERT_NEAR(y0[n], r0[n], tol) << isa << " repacked row " << n;
      }
      // The product itself (the residual taken off again) against the
      // reference.
      std::vector<float> noRes(N0);
      for (int64_t n = 0; n < N0; ++n)
        noRes[n] = y0[n] - res[n];
      expectNearReference(w0.data(), N0, K, x, 1, noRes, b0.data(),
                          isa + " fused");
    }
  }
}

/// weights.gguf with a [33, 96] and a stacked [3, 17, 64] Q4_0 tensor and an
/// f32 one.
class RepackBinding : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tt-repack", dir));
    path = dir;
    llvm::sys::path::append(path, "weights.gguf");
    std::mt19937 rng(3);
    a = randomQ4_0(33, 96, rng);
    e = randomQ4_0(3 * 17, 64, rng);
    std::string out = "GGUF";
    auto u32 = [&](uint32_t v) { out.append(reinterpret_cast<char *>(&v), 4); };
    auto u64 = [&](uint64_t v) { out.append(reinterpret_cast<char *>(&v), 8); };
    auto str = [&](const std::string &s) {
      u64(s.size());
      out += s;
    };
    u32(3);
    u64(3); // tensors
    u64(0); // metadata
    str("a");
    u32(2);
    u64(96); // ggml order: innermost first
    u64(33);
    u32(TTRT_TYPE_Q4_0);
    u64(0);
    uint64_t eOffset = (a.size() + 31) / 32 * 32;
    str("e");
    u32(3);
    u64(64);
    u64(17);
    u64(3);
    u32(TTRT_TYPE_Q4_0);
    u64(eOffset);
    uint64_t fOffset = (eOffset + e.size() + 31) / 32 * 32;
    str("f");
    u32(2);
    u64(4);
    u64(2);
    u32(TTRT_TYPE_F32);
    u64(fOffset);
    out.resize((out.size() + 31) / 32 * 32, '\0');
    size_t data = out.size();
    out.append(reinterpret_cast<const char *>(a.data()), a.size());
    out.resize(data + eOffset, '\0');
    out.append(reinterpret_cast<const char *>(e.data()), e.size());
    out.resize(data + fOffset, '\0');
    std::vector<float> f(8, 1.5f);
    out.append(reinterpret_cast<const char *>(f.data()), 32);
    std::ofstream os(path.str().str(), std::ios::binary);
    os.write(out.data(), out.size());
  }
  void TearDown() override {
    setRepackEnabled(true);
    llvm::sys::fs::remove_directories(dir);
  }
  std::unique_ptr<ttrt_context> context() {
    auto store = WeightStore::open(path);
    if (!store) {
      ADD_FAILURE() << llvm::toString(store.takeError());
      return nullptr;
    }
    KVCacheShape shape;
    shape.kvHeads = 1;
    shape.headDim = 4;
    auto ctx = ttrt_context::create(std::move(*store), 1, shape, 8);
    if (!ctx) {
      ADD_FAILURE() << llvm::toString(ctx.takeError());
      return nullptr;
    }
    return std::move(*ctx);
  }
  llvm::SmallString<128> dir, path;
  std::vector<uint8_t> a, e;
};

TEST_F(RepackBinding, BindRepacksMatricesRangesAndExperts) {
  std::unique_ptr<ttrt_context> ctx = context();
  ASSERT_TRUE(ctx);
  if (llvm::Error err = ctx->bindAll(std::vector<std::string>{"a", "e", "a[5:30]", "f"}))
    FAIL() << llvm::toString(std::move(err));
  int32_t type = -1;
  const void *pa = ctx->weight("a", &type);
  EXPECT_EQ(type, TTRT_TYPE_Q4_0);
  const void *pr = ctx->weight("a[5:30]", &type);
  const auto *pe = static_cast<const uint8_t *>(ctx->weight("e", &type));
  ctx->weight("f", &type);
  EXPECT_TRUE(isRepacked(pa, 33, 96));
  EXPECT_TRUE(isRepacked(pr, 25, 96));
  const int64_t expertBytes = 17 * ttrt_row_bytes(TTRT_TYPE_Q4_0, 64);
  for (int ex = 0; ex < 3; ++ex)
    EXPECT_TRUE(isRepacked(pe + ex * expertBytes, 17, 64)) << "expert " << ex;
  EXPECT_FALSE(isRepacked(pe, 51, 64));

  // Products through the bound pointers: the whole matrix, the row range
  // and each expert, against the reference.
  std::mt19937 rng(5);
  std::vector<float> x = randomFloats(2 * 96, rng);
  std::vector<float> y(2 * 33);
  ttrt_matmul(pa, TTRT_TYPE_Q4_0, 33, 96, x.data(), 2, y.data(), nullptr);
  expectNearReference(a.data(), 33, 96, x, 2, y, nullptr, "a");
  std::vector<float> yr(25);
  ttrt_matmul(pr, TTRT_TYPE_Q4_0, 25, 96, x.data(), 1, yr.data(), nullptr);
  expectNearReference(a.data() + 5 * 54, 25, 96, x, 1, yr, nullptr, "a[5:30]");
  std::vector<float> xe = randomFloats(64, rng), ye(17);
  for (int ex = 0; ex < 3; ++ex) {
    ttrt_matmul(pe + ex * expertBytes, TTRT_TYPE_Q4_0, 17, 64, xe.data(), 1,
                ye.data(), nullptr);
    expectNearReference(e.data() + ex * expertBytes, 17, 64, xe, 1, ye,
                        nullptr, "expert " + std::to_string(ex));
  }
  // The stored layout stays readable (its pages come back from the file):
  // the embedding lookup of a repacked table.
  int32_t tok = 31;
  std::vector<float> row(96);
  ttrt_embedding(pa, TTRT_TYPE_Q4_0, 33, 96, &tok, 1, row.data());
  std::vector<double> ref = refRow(a.data(), 31, 96);
  for (int k = 0; k < 96; ++k)
    ASSERT_EQ(row[k], static_cast<float>(ref[k])) << k;

  ctx.reset();
  EXPECT_FALSE(isRepacked(pa, 33, 96));
  EXPECT_FALSE(isRepacked(pe, 17, 64));
}

TEST_F(RepackBinding, TensorParallelShards) {
  // Rank 1 of 3: rows 11 .. 21 of `a` (a view of the mapping) and columns
  // 32 .. 63 (a copy of one block per row), both repacked.
  std::unique_ptr<ttrt_context> ctx = context();
  ASSERT_TRUE(ctx);
  ctx->setParallel({1, 3, 0, 1});
  if (llvm::Error err = ctx->bindAll(
          std::vector<std::string>{"a@shard(0,3)", "a@shard(1,3)"}))
    FAIL() << llvm::toString(std::move(err));
  int32_t type = -1;
  const void *rows = ctx->weight("a@shard(0,3)", &type);
  const void *cols = ctx->weight("a@shard(1,3)", &type);
  ASSERT_TRUE(isRepacked(rows, 11, 96));
  ASSERT_TRUE(isRepacked(cols, 33, 32));
  std::mt19937 rng(9);
  std::vector<float> x = randomFloats(96, rng), y(33);
  ttrt_matmul(rows, TTRT_TYPE_Q4_0, 11, 96, x.data(), 1, y.data(), nullptr);
  y.resize(11);
  expectNearReference(a.data() + 11 * 54, 11, 96, x, 1, y, nullptr,
                      "row shard");
  // Column piece: block 1 of each row of `a`.
  std::vector<uint8_t> piece;
  for (int r = 0; r < 33; ++r)
    piece.insert(piece.end(), a.begin() + r * 54 + 18, a.begin() + r * 54 + 36);
  std::vector<float> xc = randomFloats(3 * 32, rng), yc(3 * 33);
  ttrt_matmul(cols, TTRT_TYPE_Q4_0, 33, 32, xc.data(), 3, yc.data(), nullptr);
  expectNearReference(piece.data(), 33, 32, xc, 3, yc, nullptr,
                      "column shard");
}

TEST_F(RepackBinding, DisabledBindsTheStoredLayout) {
  setRepackEnabled(false);
  std::unique_ptr<ttrt_context> ctx = context();
  ASSERT_TRUE(ctx);
  if (llvm::Error err = ctx->bindAll(std::vector<std::string>{"a"}))
    FAIL() << llvm::toString(std::move(err));
  int32_t type = -1;
  EXPECT_FALSE(isRepacked(ctx->weight("a", &type), 33, 96));
}

} // namespace
