//===- Kernels.cpp - The runtime ABI's kernels ----------------------------===//
//
// ttrt_matmul, ttrt_embedding, ttrt_to_f32, ttrt_attention and the type
// helpers. The inner dot products come from the KernelTable chosen at load
// time (AVX-512 VNNI, AVX2 + FMA + F16C, or scalar); this file is compiled
// for the baseline CPU.
//
//===----------------------------------------------------------------------===//

#include "tt/Runtime/Kernels.h"
#include "KernelTable.h"
#include "RepackTable.h"
#include "tt/Runtime/Formats.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

using namespace tt::rt;

void tt::rt::fatal(const char *fmt, ...) {
  std::fflush(stdout);
  std::fputs("ttrt: ", stderr);
  va_list args;
  va_start(args, fmt);
  std::vfprintf(stderr, fmt, args);
  va_end(args);
  std::fputc('\n', stderr);
  std::abort();
}

//===----------------------------------------------------------------------===//
// Types and conversions
//===----------------------------------------------------------------------===//

float tt::rt::halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
  if (exp == 0) {
    float f = static_cast<float>(man) * (1.0f / 16777216.0f);
    return sign ? -f : f;
  }
  if (exp == 31)
    bits = sign | 0x7f800000u | (man << 13);
  else
    bits = sign | ((exp + 112) << 23) | (man << 13);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t tt::rt::floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint16_t sign = (x >> 16) & 0x8000;
  uint32_t ax = x & 0x7fffffffu;
  if (ax >= 0x7f800000u) // infinity or NaN (kept quiet)
    return sign | 0x7c00 | (ax > 0x7f800000u ? 0x200 : 0);
  if (ax >= 0x477ff000u) // rounds to beyond 65504
    return sign | 0x7c00;
  if (ax < 0x38800000u) { // below 2^-14: subnormal half or zero
    float a;
    std::memcpy(&a, &ax, 4);
    return sign | static_cast<uint16_t>(std::nearbyint(a * 16777216.0f));
  }
  ax += 0xfff + ((ax >> 13) & 1); // round to nearest even
  return sign | static_cast<uint16_t>((ax - 0x38000000u) >> 13);
}

float tt::rt::bf16ToFloat(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t tt::rt::floatToBF16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((x >> 16) | 0x40);
  x += 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>(x >> 16);
}

int64_t tt::rt::blockElements(int32_t type) {
  switch (type) {
  case TTRT_TYPE_F32:
  case TTRT_TYPE_F16:
  case TTRT_TYPE_BF16:
    return 1;
  case TTRT_TYPE_Q8_0:
  case TTRT_TYPE_Q4_0:
    return 32;
  case TTRT_TYPE_Q4_K:
  case TTRT_TYPE_Q5_K:
  case TTRT_TYPE_Q6_K:
    return 256;
  default:
    return formatBlockElements(type);
  }
}

static int64_t blockBytes(int32_t type) {
  switch (type) {
  case TTRT_TYPE_F32:
    return 4;
  case TTRT_TYPE_F16:
  case TTRT_TYPE_BF16:
    return 2;
  case TTRT_TYPE_Q8_0:
    return 34;
  case TTRT_TYPE_Q4_0:
    return 18;
  case TTRT_TYPE_Q4_K:
    return 144;
  case TTRT_TYPE_Q5_K:
    return 176;
  case TTRT_TYPE_Q6_K:
    return 210;
  default:
    return formatBlockBytes(type);
  }
}

const char *tt::rt::typeName(int32_t type) {
  switch (type) {
  case 0:
    return "f32";
  case 1:
    return "f16";
  case 2:
    return "q4_0";
  case 3:
    return "q4_1";
  case 6:
    return "q5_0";
  case 7:
    return "q5_1";
  case 8:
    return "q8_0";
  case 9:
    return "q8_1";
  case 10:
    return "q2_k";
  case 11:
    return "q3_k";
  case 12:
    return "q4_k";
  case 13:
    return "q5_k";
  case 14:
    return "q6_k";
  case 15:
    return "q8_k";
  case 16:
    return "iq2_xxs";
  case 17:
    return "iq2_xs";
  case 18:
    return "iq3_xxs";
  case 19:
    return "iq1_s";
  case 20:
    return "iq4_nl";
  case 21:
    return "iq3_s";
  case 22:
    return "iq2_s";
  case 23:
    return "iq4_xs";
  case 24:
    return "i8";
  case 25:
    return "i16";
  case 26:
    return "i32";
  case 27:
    return "i64";
  case 28:
    return "f64";
  case 29:
    return "iq1_m";
  case 30:
    return "bf16";
  case 34:
    return "tq1_0";
  case 35:
    return "tq2_0";
  case 39:
    return "mxfp4";
  default: {
    const char *name = formatTypeName(type);
    return name ? name : "unknown";
  }
  }
}

extern "C" int64_t ttrt_row_bytes(int32_t type, int64_t cols) {
  int64_t be = blockElements(type);
  if (!be || cols < 0 || cols % be)
    return 0;
  return cols / be * blockBytes(type);
}

extern "C" int32_t ttrt_type_supported(int32_t type) {
  return blockElements(type) != 0;
}

static void checkSupported(int32_t type, const char *what) {
  if (!ttrt_type_supported(type))
    fatal("%s: weight type %s (ggml type id %d) is not supported (supported: "
          "f32, f16, bf16, q8_0, q4_0, q4_k, q5_k, q6_k, mxfp4, mxint8, "
          "fp8_e4m3, int8_g<G>[_asym], int4_g<G>[_asym])",
          what, typeName(type), type);
}

//===----------------------------------------------------------------------===//
// De-quantisation (reference speed; used for embeddings and 1-D weights)
//===----------------------------------------------------------------------===//

static float loadHalf(const uint8_t *p) {
  uint16_t h;
  std::memcpy(&h, p, 2);
  return halfToFloat(h);
}

static void scaleMinK4(int j, const uint8_t *q, int &d, int &m) {
  if (j < 4) {
    d = q[j] & 63;
    m = q[j + 4] & 63;
  } else {
    d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

void tt::rt::dequantizeRow(int32_t type, const void *src, int64_t n,
                           float *dst) {
  checkSupported(type, "dequantize");
  int64_t be = blockElements(type);
  if (n % be)
    fatal("dequantize: %lld elements of %s are not a whole number of "
          "%lld-element blocks",
          static_cast<long long>(n), typeName(type),
          static_cast<long long>(be));
  if (isFormatType(type))
    return dequantizeFormatRow(type, src, n, dst);
  const uint8_t *p = static_cast<const uint8_t *>(src);
  switch (type) {
  case TTRT_TYPE_F32:
    std::memcpy(dst, src, n * sizeof(float));
    return;
  case TTRT_TYPE_F16:
    for (int64_t i = 0; i < n; ++i)
      dst[i] = loadHalf(p + 2 * i);
    return;
  case TTRT_TYPE_BF16:
    for (int64_t i = 0; i < n; ++i) {
      uint16_t h;
      std::memcpy(&h, p + 2 * i, 2);
      dst[i] = bf16ToFloat(h);
    }
    return;
  case TTRT_TYPE_Q8_0:
    for (int64_t b = 0; b < n / 32; ++b, p += 34, dst += 32) {
      float d = loadHalf(p);
      for (int j = 0; j < 32; ++j)
        dst[j] = d * static_cast<int8_t>(p[2 + j]);
    }
    return;
  case TTRT_TYPE_Q4_0:
    for (int64_t b = 0; b < n / 32; ++b, p += 18, dst += 32) {
      float d = loadHalf(p);
      for (int j = 0; j < 16; ++j) {
        dst[j] = d * ((p[2 + j] & 0xF) - 8);
        dst[j + 16] = d * ((p[2 + j] >> 4) - 8);
      }
    }
    return;
  case TTRT_TYPE_Q4_K:
  case TTRT_TYPE_Q5_K: {
    bool five = type == TTRT_TYPE_Q5_K;
    for (int64_t b = 0; b < n / 256; ++b, p += five ? 176 : 144) {
      float d = loadHalf(p), dmin = loadHalf(p + 2);
      const uint8_t *qh = p + 16, *qs = p + (five ? 48 : 16);
      for (int j = 0; j < 4; ++j) {
        for (int half = 0; half < 2; ++half, dst += 32) {
          int sc, m;
          scaleMinK4(2 * j + half, p + 4, sc, m);
          for (int l = 0; l < 32; ++l) {
            int q = half ? qs[32 * j + l] >> 4 : qs[32 * j + l] & 0xF;
            if (five && ((qh[l] >> (2 * j + half)) & 1))
              q += 16;
            dst[l] = d * sc * q - dmin * m;
          }
        }
      }
    }
    return;
  }
  case TTRT_TYPE_Q6_K:
    for (int64_t b = 0; b < n / 256; ++b, p += 210) {
      const uint8_t *ql = p, *qh = p + 128;
      const int8_t *sc = reinterpret_cast<const int8_t *>(p + 192);
      float d = loadHalf(p + 208);
      for (int half = 0; half < 2; ++half, dst += 128) {
        for (int l = 0; l < 32; ++l) {
          int is = l / 16;
          const uint8_t *L = ql + 64 * half, *H = qh + 32 * half;
          const int8_t *S = sc + 8 * half;
          dst[l] = d * S[is] * (((L[l] & 0xF) | ((H[l] & 3) << 4)) - 32);
          dst[l + 32] = d * S[is + 2] *
                        (((L[l + 32] & 0xF) | (((H[l] >> 2) & 3) << 4)) - 32);
          dst[l + 64] =
              d * S[is + 4] * (((L[l] >> 4) | (((H[l] >> 4) & 3) << 4)) - 32);
          dst[l + 96] = d * S[is + 6] *
                        (((L[l + 32] >> 4) | (((H[l] >> 6) & 3) << 4)) - 32);
        }
      }
    }
    return;
  }
}

//===----------------------------------------------------------------------===//
// ISA dispatch
//===----------------------------------------------------------------------===//

static bool cpuHasF16C() {
#if defined(__x86_64__)
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d))
    return false;
  return (c & bit_F16C) != 0;
#else
  return false;
#endif
}

static bool cpuHasAVX2() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
         cpuHasF16C();
#else
  return false;
#endif
}

static bool cpuHasAVX512() {
#if defined(__x86_64__)
  return cpuHasAVX2() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512vnni");
#else
  return false;
#endif
}

static const KernelTable *tableNamed(const std::string &name) {
  if (name == "scalar")
    return &kScalarTable;
  if (name == "avx2")
    return cpuHasAVX2() ? &kAVX2Table : nullptr;
  if (name == "avx512-vnni")
    return cpuHasAVX512() ? &kAVX512Table : nullptr;
  return nullptr;
}

static const KernelTable *chooseTable() {
  if (const char *forced = std::getenv("TT_RT_ISA"))
    if (const KernelTable *t = tableNamed(forced))
      return t;
  if (cpuHasAVX512())
    return &kAVX512Table;
  if (cpuHasAVX2())
    return &kAVX2Table;
  return &kScalarTable;
}

static std::atomic<const KernelTable *> &currentTable() {
  static std::atomic<const KernelTable *> t{chooseTable()};
  return t;
}

static const KernelTable &table() { return *currentTable().load(); }

static const GemmTable &gemmTable(const KernelTable &t) {
  if (&t == &kAVX512Table)
    return kAVX512Gemm;
  if (&t == &kAVX2Table)
    return kAVX2Gemm;
  return kScalarGemm;
}

static MatmulPath initialMatmulPath() {
  const char *env = std::getenv("TT_RT_MATMUL");
  if (!env || !std::strcmp(env, "auto"))
    return MatmulPath::Auto;
  if (!std::strcmp(env, "gemm"))
    return MatmulPath::Gemm;
  if (!std::strcmp(env, "rows"))
    return MatmulPath::Rows;
  fatal("TT_RT_MATMUL=%s: expected auto, gemm or rows", env);
}

static std::atomic<MatmulPath> &matmulPath() {
  static std::atomic<MatmulPath> p{initialMatmulPath()};
  return p;
}

MatmulPath tt::rt::setMatmulPath(MatmulPath path) {
  return matmulPath().exchange(path);
}

bool tt::rt::packedPathEnabled() {
  return matmulPath().load() != MatmulPath::Rows;
}

const char *tt::rt::kernelISA() { return table().name; }

namespace tt::rt {
/// The chosen table, for the other kernel files (KernelsFused.cpp).
const KernelTable &activeKernelTable();
} // namespace tt::rt
const KernelTable &tt::rt::activeKernelTable() { return table(); }

bool tt::rt::setKernelISA(const char *name) {
  const KernelTable *t = tableNamed(name);
  if (!t)
    return false;
  currentTable().store(t);
  return true;
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

/// Prefill over float weights: two weight rows per pass, so each activation
/// load feeds two rows' FMAs.
static void matmulRowPairs(const uint8_t *w, int64_t rowBytes, int64_t n0,
                           int64_t n1, int64_t N, int64_t K, const float *x,
                           int64_t M, float *y, const float *bias,
                           FloatDotFn dot, FloatDot2Fn dot2) {
  float out0[kMaxRows], out1[kMaxRows];
  const float *xs[kMaxRows];
  for (int64_t nt = n0; nt < n1; nt += kRowTile) {
    int64_t ne = std::min(nt + kRowTile, n1);
    for (int64_t m0 = 0; m0 < M; m0 += kMaxRows) {
      int nx = static_cast<int>(std::min<int64_t>(kMaxRows, M - m0));
      for (int i = 0; i < nx; ++i)
        xs[i] = x + (m0 + i) * K;
      int64_t n = nt;
      for (; n + 2 <= ne; n += 2) {
        dot2(w + n * rowBytes, w + (n + 1) * rowBytes, xs, nx, K, out0, out1);
        float b0 = bias ? bias[n] : 0.0f, b1 = bias ? bias[n + 1] : 0.0f;
        for (int i = 0; i < nx; ++i) {
          y[(m0 + i) * N + n] = out0[i] + b0;
          y[(m0 + i) * N + n + 1] = out1[i] + b1;
        }
      }
      if (n < ne) {
        dot(w + n * rowBytes, xs, nx, K, out0);
        float b = bias ? bias[n] : 0.0f;
        for (int i = 0; i < nx; ++i)
          y[(m0 + i) * N + n] = out0[i] + b;
      }
    }
  }
}

/// In Auto mode, the GEMM kernels from this many activation rows on (below
/// it, packing weight panels costs more than the row kernels lose; measured
/// with tt-bench-kernels --gemm --prefill-m M on Zen 4).
constexpr int64_t kGemmMinRowsFloat = 16;
constexpr int64_t kGemmMinRowsInt = 8;

/// The GEMM kernels of `g` for wtype (both null for types without).
static void selectGemm(const GemmTable &g, int32_t wtype, FloatGemmFn &f,
                       QuantGemmFn &q) {
  f = nullptr;
  q = nullptr;
  switch (wtype) {
  case TTRT_TYPE_F32:
    f = g.f32;
    break;
  case TTRT_TYPE_F16:
    f = g.f16;
    break;
  case TTRT_TYPE_BF16:
    f = g.bf16;
    break;
  case TTRT_TYPE_Q8_0:
    q = g.q8_0;
    break;
  case TTRT_TYPE_Q4_0:
    q = g.q4_0;
    break;
  case TTRT_TYPE_Q4_K:
    q = g.q4_k;
    break;
  case TTRT_TYPE_Q5_K:
    q = g.q5_k;
    break;
  case TTRT_TYPE_Q6_K:
    q = g.q6_k;
    break;
  }
}

/// Whether M activation rows go to the GEMM kernels (float or integer).
static bool gemmRows(int64_t M, bool isFloat) {
  MatmulPath path = matmulPath().load();
  return M > 1 && path != MatmulPath::Rows &&
         (path == MatmulPath::Gemm ||
          M >= (isFloat ? kGemmMinRowsFloat : kGemmMinRowsInt));
}

bool tt::rt::gemmRange(const KernelTable &t, const void *w, int32_t wtype,
                       int64_t rowBytes, int64_t n0, int64_t n1, int64_t ldy,
                       int64_t K, const float *x, const XBlock *xq, int64_t M,
                       float *y, const float *bias) {
  FloatGemmFn f;
  QuantGemmFn q;
  selectGemm(gemmTable(t), wtype, f, q);
  if (!(f || q) || !gemmRows(M, f != nullptr) || n0 >= n1)
    return false;
  if (f)
    f(w, rowBytes, n0, n1, ldy, K, x, M, y, bias);
  else
    q(w, rowBytes, n0, n1, ldy, K, xq, M, y, bias);
  return true;
}

/// Runs run(n0, n1, m0, m1) over tiles of [0, N) x [0, M) on the thread
/// pool: over N in multiples of `align`, and also over M (in multiples of
/// mAlign) when N alone gives the threads too few pieces.
template <typename Run>
static void parallelGemm(int64_t N, int64_t M, int64_t align, int64_t mAlign,
                         Run run) {
  int threads = numThreads();
  int64_t tiles = (N + align - 1) / align;
  int64_t mUnits = (M + mAlign - 1) / mAlign;
  int64_t mParts = 1;
  if (threads > 1 && tiles < 4 * threads)
    mParts = std::min(mUnits, (4 * threads + tiles - 1) / tiles);
  if (mParts <= 1) {
    // Guided: the chunks shrink towards the end, so the threads finish
    // together even when one of them was held up.
    parallelForGuided(N, align,
                      [&](int64_t n0, int64_t n1) { run(n0, n1, 0, M); });
    return;
  }
  int64_t mChunk = (mUnits + mParts - 1) / mParts * mAlign;
  mParts = (M + mChunk - 1) / mChunk;
  parallelFor(tiles * mParts, 1, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      int64_t nt = i / mParts, mp = i % mParts;
      run(nt * align, std::min(N, (nt + 1) * align), mp * mChunk,
          std::min(M, (mp + 1) * mChunk));
    }
  });
}

extern "C" void ttrt_matmul(const void *w, int32_t wtype, int64_t N, int64_t K,
                            const float *x, int64_t M, float *y,
                            const float *bias) {
  checkSupported(wtype, "matmul");
  if (N < 0 || K < 0 || M < 0)
    fatal("matmul: negative size (N=%lld, K=%lld, M=%lld)",
          static_cast<long long>(N), static_cast<long long>(K),
          static_cast<long long>(M));
  int64_t rowBytes = ttrt_row_bytes(wtype, K);
  if (K > 0 && rowBytes == 0)
    fatal("matmul: K=%lld is not a multiple of %s's block of %lld elements",
          static_cast<long long>(K), typeName(wtype),
          static_cast<long long>(blockElements(wtype)));
  if (N == 0 || M == 0)
    return;
  if (K == 0) {
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n)
        y[m * N + n] = bias ? bias[n] : 0.0f;
    return;
  }
  if (isFormatType(wtype))
    return matmulFormat(w, wtype, N, K, x, M, y, bias);
  const KernelTable &t = table();
  // Q4_0 matrices repacked at bind time (tt/Runtime/Repack.h).
  if (wtype == TTRT_TYPE_Q4_0 && packedPathEnabled())
    if (const PackedQ4_0 *packed = findPackedQ4_0(w, N, K))
      return matmulPackedQ4_0(t, *packed, x, M, y, bias);
  const uint8_t *wb = static_cast<const uint8_t *>(w);
  FloatDotFn fdot = nullptr;
  FloatDot2Fn fdot2 = nullptr;
  QuantDotFn qdot = nullptr;
  switch (wtype) {
  case TTRT_TYPE_F32:
    fdot = t.dotF32;
    fdot2 = t.dot2F32;
    break;
  case TTRT_TYPE_F16:
    fdot = t.dotF16;
    fdot2 = t.dot2F16;
    break;
  case TTRT_TYPE_BF16:
    fdot = t.dotBF16;
    fdot2 = t.dot2BF16;
    break;
  case TTRT_TYPE_Q8_0:
    qdot = t.dotQ8_0;
    break;
  case TTRT_TYPE_Q4_0:
    qdot = t.dotQ4_0;
    break;
  case TTRT_TYPE_Q4_K:
    qdot = t.dotQ4_K;
    break;
  case TTRT_TYPE_Q5_K:
    qdot = t.dotQ5_K;
    break;
  case TTRT_TYPE_Q6_K:
    qdot = t.dotQ6_K;
    break;
  }
  const GemmTable &g = gemmTable(t);
  FloatGemmFn fgemm;
  QuantGemmFn qgemm;
  selectGemm(g, wtype, fgemm, qgemm);
  MatmulPath path = matmulPath().load();
  bool gemm = gemmRows(M, fgemm != nullptr);
  if (gemm && fgemm) {
    parallelGemm(N, M, g.rowAlign, 1,
                 [&](int64_t n0, int64_t n1, int64_t m0, int64_t m1) {
                   fgemm(wb, rowBytes, n0, n1, N, K, x + m0 * K, m1 - m0,
                         y + m0 * N, bias);
                 });
    return;
  }
  if (fdot && M == 1) {
    parallelFor(N, kMaxRows, [&](int64_t n0, int64_t n1) {
      matmulRows(wb, rowBytes, n0, n1, N, K, x, K, M, y, bias, fdot);
    });
    return;
  }
  if (fdot) {
    parallelFor(N, kMaxRows, [&](int64_t n0, int64_t n1) {
      matmulRowPairs(wb, rowBytes, n0, n1, N, K, x, M, y, bias, fdot, fdot2);
    });
    return;
  }
  if (M == 1 && wtype == TTRT_TYPE_Q4_0 && g.q4_0Decode &&
      path != MatmulPath::Rows) {
    static thread_local std::vector<uint8_t> xp;
    size_t bytes = static_cast<size_t>(g.q4_0DecodeBytes(K));
    if (xp.size() < bytes)
      xp.resize(bytes);
    g.q4_0DecodePrep(x, K, xp.data());
    const void *xpData = xp.data();
    parallelFor(N, kMaxRows, [&](int64_t n0, int64_t n1) {
      g.q4_0Decode(wb, rowBytes, n0, n1, K, xpData, y, bias);
    });
    return;
  }
  // Quantise the activations once (llama.cpp's vec_dot_type), then run the
  // integer dot products.
  int64_t blocks = K / 32;
  static thread_local std::vector<XBlock> xq;
  if (static_cast<int64_t>(xq.size()) < M * blocks)
    xq.resize(M * blocks);
  XBlock *xqData = xq.data();
  parallelFor(M, 1, [&](int64_t m0, int64_t m1) {
    for (int64_t m = m0; m < m1; ++m)
      t.quantize(x + m * K, K, xqData + m * blocks);
  });
  if (gemm && qgemm) {
    parallelGemm(N, M, g.rowAlign, 1,
                 [&](int64_t n0, int64_t n1, int64_t m0, int64_t m1) {
                   qgemm(wb, rowBytes, n0, n1, N, K, xqData + m0 * blocks,
                         m1 - m0, y + m0 * N, bias);
                 });
    return;
  }
  parallelFor(N, kMaxRows, [&](int64_t n0, int64_t n1) {
    matmulRows(wb, rowBytes, n0, n1, N, K, xqData, blocks, M, y, bias, qdot);
  });
}

//===----------------------------------------------------------------------===//
// Embedding, conversion
//===----------------------------------------------------------------------===//

extern "C" void ttrt_embedding(const void *table, int32_t ttype, int64_t vocab,
                               int64_t dim, const int32_t *tokens, int64_t n,
                               float *out) {
  checkSupported(ttype, "embedding");
  int64_t rowBytes = ttrt_row_bytes(ttype, dim);
  if (dim > 0 && rowBytes == 0)
    fatal("embedding: dim=%lld is not a multiple of %s's block of %lld "
          "elements",
          static_cast<long long>(dim), typeName(ttype),
          static_cast<long long>(blockElements(ttype)));
  const uint8_t *base = static_cast<const uint8_t *>(table);
  for (int64_t i = 0; i < n; ++i) {
    int32_t tok = tokens[i];
    if (tok < 0 || tok >= vocab)
      fatal("embedding: token id %d (at index %lld) is outside the "
            "vocabulary [0, %lld)",
            tok, static_cast<long long>(i), static_cast<long long>(vocab));
    dequantizeRow(ttype, base + tok * rowBytes, dim, out + i * dim);
  }
}

extern "C" void ttrt_to_f32(const void *src, int32_t type, int64_t n,
                            float *dst) {
  dequantizeRow(type, src, n, dst);
}

//===----------------------------------------------------------------------===//
// Attention and the typed KV cache
//===----------------------------------------------------------------------===//

namespace {

/// FP8 E4M3FN (bias 7, no infinities, 0x7f/0xff NaN, max 448), round to
/// nearest even, saturating.
uint8_t floatToE4M3(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint8_t sign = static_cast<uint8_t>((x >> 24) & 0x80);
  uint32_t ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u)
    return sign | 0x7f;
  float a;
  std::memcpy(&a, &ax, 4);
  if (a >= 448.0f)
    return sign | 0x7e;
  if (a < 0.015625f) // below 2^-6: subnormal steps of 2^-9 (8 rounds up to
                     // the smallest normal, whose code is also 8)
    return sign | static_cast<uint8_t>(std::nearbyint(a * 512.0f));
  ax += 0x7ffffu + ((ax >> 20) & 1); // to 3 mantissa bits, ties to even
  int e = static_cast<int>((ax >> 23) & 0xff) - 127 + 7;
  uint32_t m = (ax >> 20) & 7;
  if (e > 15 || (e == 15 && m == 7))
    return sign | 0x7e;
  return sign | static_cast<uint8_t>((e << 3) | m);
}

float e4m3ToFloat(uint8_t b) {
  int e = (b >> 3) & 15, m = b & 7;
  float v;
  if (e == 0)
    v = std::ldexp(static_cast<float>(m), -9);
  else if (e == 15 && m == 7)
    v = NAN;
  else
    v = std::ldexp(1.0f + m / 8.0f, e - 7);
  return (b & 0x80) ? -v : v;
}

/// FP8 E5M2: an f16 rounded to its top byte (ties to even), saturating at
/// 57344 instead of overflowing to infinity.
uint8_t floatToE5M2(float f) {
  uint16_t h = floatToHalf(f);
  if ((h & 0x7c00) == 0x7c00) // infinity or NaN
    return static_cast<uint8_t>((h >> 8) | ((h & 0x3ff) ? 0x02 : 0));
  uint32_t r = h + 0x7fu + ((h >> 8) & 1);
  uint8_t b = static_cast<uint8_t>(r >> 8);
  if ((b & 0x7c) == 0x7c) // rounded up to infinity: saturate
    b = static_cast<uint8_t>((h >> 8) & 0x80) | 0x7b;
  return b;
}

float e5m2ToFloat(uint8_t b) { return halfToFloat(static_cast<uint16_t>(b) << 8); }

void storeKVRow(const float *x, int64_t D, int32_t type, uint8_t *dst) {
  switch (type) {
  case TTRT_KV_F32:
    std::memcpy(dst, x, D * sizeof(float));
    return;
  case TTRT_KV_F16:
    for (int64_t i = 0; i < D; ++i) {
      uint16_t h = floatToHalf(x[i]);
      std::memcpy(dst + 2 * i, &h, 2);
    }
    return;
  case TTRT_KV_BF16:
    for (int64_t i = 0; i < D; ++i) {
      uint16_t h = floatToBF16(x[i]);
      std::memcpy(dst + 2 * i, &h, 2);
    }
    return;
  case TTRT_KV_I8: {
    float amax = 0;
    for (int64_t i = 0; i < D; ++i)
      amax = std::max(amax, std::fabs(x[i]));
    float d = amax / 127.0f, id = amax > 0 ? 127.0f / amax : 0.0f;
    std::memcpy(dst, &d, 4);
    int8_t *q = reinterpret_cast<int8_t *>(dst + 4);
    for (int64_t i = 0; i < D; ++i)
      q[i] = static_cast<int8_t>(std::nearbyint(x[i] * id));
    return;
  }
  case TTRT_KV_F8E4M3:
    for (int64_t i = 0; i < D; ++i)
      dst[i] = floatToE4M3(x[i]);
    return;
  case TTRT_KV_F8E5M2:
    for (int64_t i = 0; i < D; ++i)
      dst[i] = floatToE5M2(x[i]);
    return;
  }
  fatal("kv cache: unknown cache type %d", type);
}

/// IEEE half to float without branches (so that loops of it vectorise):
/// the exponent and mantissa moved into a float's and rescaled by 2^112,
/// which is exact for normal and subnormal halves; infinities and NaNs get
/// the all-ones exponent. Equal to halfToFloat for every input.
inline float halfToFloatFlat(uint16_t h) {
  uint32_t em = h & 0x7fffu;
  uint32_t bits = em << 13;
  float f;
  std::memcpy(&f, &bits, 4);
  f *= 0x1p112f;
  std::memcpy(&bits, &f, 4);
  bits |= em >= 0x7c00u ? 0x7f800000u : 0u;
  bits |= static_cast<uint32_t>(h & 0x8000u) << 16;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// The f32 values of cache row `r`: the row itself for f32 caches, else
/// converted into `buf` (D floats).
struct KVRows {
  const uint8_t *base;
  int32_t type;
  int64_t D, rowBytes;

  /// q . row r; f16 and bf16 rows through the weights' SIMD dot kernels.
  float dot(const KernelTable &t, const float *q, int64_t r,
            float *buf) const {
    const uint8_t *p = base + r * rowBytes;
    float out;
    if (type == TTRT_KV_F16) {
      t.dotF16(p, &q, 1, D, &out);
      return out;
    }
    if (type == TTRT_KV_BF16) {
      t.dotBF16(p, &q, 1, D, &out);
      return out;
    }
    return t.dot(q, row(r, buf), D);
  }

  const float *row(int64_t r, float *buf) const {
    const uint8_t *p = base + r * rowBytes;
    switch (type) {
    case TTRT_KV_F32:
      return reinterpret_cast<const float *>(p);
    case TTRT_KV_F16:
      for (int64_t i = 0; i < D; ++i) {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        buf[i] = halfToFloatFlat(h);
      }
      return buf;
    case TTRT_KV_BF16:
      for (int64_t i = 0; i < D; ++i) {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        buf[i] = bf16ToFloat(h);
      }
      return buf;
    case TTRT_KV_I8: {
      float d;
      std::memcpy(&d, p, 4);
      const int8_t *q = reinterpret_cast<const int8_t *>(p + 4);
      for (int64_t i = 0; i < D; ++i)
        buf[i] = d * q[i];
      return buf;
    }
    case TTRT_KV_F8E4M3:
    case TTRT_KV_F8E5M2: {
      static const std::vector<float> e4m3 = [] {
        std::vector<float> t(256);
        for (int b = 0; b < 256; ++b)
          t[b] = e4m3ToFloat(static_cast<uint8_t>(b));
        return t;
      }();
      static const std::vector<float> e5m2 = [] {
        std::vector<float> t(256);
        for (int b = 0; b < 256; ++b)
          t[b] = e5m2ToFloat(static_cast<uint8_t>(b));
        return t;
      }();
      const float *lut = type == TTRT_KV_F8E4M3 ? e4m3.data() : e5m2.data();
      for (int64_t i = 0; i < D; ++i)
        buf[i] = lut[p[i]];
      return buf;
    }
    }
    return nullptr;
  }
};

/// cos and sin of (pos0 + s) * invFreq[i] for the S positions of a step,
/// [S][rot/2] each, in f32 as the unfused lowering's tables
/// (ConvertTTToLinalg's Emitter::ropeTables): computed once per call.
struct RopeTables {
  int64_t half = 0;
  std::vector<float> cosT, sinT;
  RopeTables(const float *invFreq, int64_t rot, int64_t S, int64_t pos0)
      : half(rot / 2), cosT(S * half), sinT(S * half) {
    for (int64_t s = 0; s < S; ++s) {
      float pf = static_cast<float>(pos0 + s);
      for (int64_t i = 0; i < half; ++i) {
        float angle = pf * invFreq[i];
        cosT[s * half + i] = std::cos(angle);
        sinT[s * half + i] = std::sin(angle);
      }
    }
  }
};

/// Rotary embedding of one head vector x (D) of step row s into y, as the
/// unfused lowering computes it (ConvertTTToLinalg's Emitter::rope).
void ropeRow(const float *x, int64_t D, int64_t s, const RopeTables &t,
             bool interleaved, float *y) {
  int64_t half = t.half, rot = 2 * half;
  const float *cs = t.cosT.data() + s * half, *sn = t.sinT.data() + s * half;
  for (int64_t d = 0; d < D; ++d) {
    if (d >= rot) {
      y[d] = x[d];
      continue;
    }
    bool lower;
    int64_t partner, fi;
    if (interleaved) {
      int64_t rem = d % 2;
      lower = rem == 0;
      partner = lower ? d + 1 : d - rem;
      fi = d / 2;
    } else {
      lower = d < half;
      partner = lower ? d + half : d - half;
      fi = lower ? d : d - half;
    }
    float other = x[partner];
    if (lower)
      other = -other;
    float r = x[d] * cs[fi];
    float t2 = other * sn[fi];
    y[d] = r + t2;
  }
}

void checkAttentionShape(const char *what, int64_t S, int64_t pos0, int64_t H,
                         int64_t KVH, int64_t D) {
  if (S < 0 || pos0 < 0 || H <= 0 || KVH <= 0 || D <= 0 || H % KVH)
    fatal("%s: bad shape (S=%lld, pos0=%lld, heads=%lld, kv_heads=%lld, "
          "head_dim=%lld): heads must be a positive multiple of kv_heads",
          what, static_cast<long long>(S), static_cast<long long>(pos0),
          static_cast<long long>(H), static_cast<long long>(KVH),
          static_cast<long long>(D));
}

/// Causal attention of S queries over cache rows read through `keys` and
/// `values`; queries rotated first with `rope` when non-null.
void attend(const KernelTable &t, const float *q, const KVRows &keys,
            const KVRows &values, int64_t S, int64_t pos0, int64_t H,
            int64_t KVH, int64_t D, int64_t window, float scale,
            float softcap, const RopeTables *rope, bool interleaved,
            float *out, const float *alibiSlopes = nullptr) {
  int64_t group = H / KVH;
  parallelFor(S * H, 1, [&](int64_t begin, int64_t end) {
    std::vector<float> scores(pos0 + S);
    std::vector<float> buf(2 * D);
    float *rowBuf = buf.data(), *qBuf = buf.data() + D;
    for (int64_t idx = begin; idx < end; ++idx) {
      int64_t s = idx / H, h = idx % H, kvh = h / group;
      int64_t p = pos0 + s;
      int64_t lo = window > 0 ? std::max<int64_t>(0, p - window + 1) : 0;
      const float *qv = q + (s * H + h) * D;
      if (rope) {
        ropeRow(qv, D, s, *rope, interleaved, qBuf);
        qv = qBuf;
      }
      float maxScore = -INFINITY;
      for (int64_t j = lo; j <= p; ++j) {
        float sc = keys.dot(t, qv, j * KVH + kvh, rowBuf) * scale;
        if (softcap > 0)
          sc = softcap * std::tanh(sc / softcap);
        // ALiBi: slope_h * (key position - query position).
        if (alibiSlopes)
          sc += alibiSlopes[h] * static_cast<float>(j - p);
        scores[j - lo] = sc;
        maxScore = std::max(maxScore, sc);
      }
      float sum = 0;
      for (int64_t j = lo; j <= p; ++j) {
        float e = std::exp(scores[j - lo] - maxScore);
        scores[j - lo] = e;
        sum += e;
      }
      float *o = out + (s * H + h) * D;
      std::fill(o, o + D, 0.0f);
      float inv = 1.0f / sum;
      for (int64_t j = lo; j <= p; ++j)
        t.axpy(scores[j - lo] * inv, values.row(j * KVH + kvh, rowBuf), o, D);
    }
  });
}

} // namespace

extern "C" int64_t ttrt_kv_row_bytes(int32_t kvtype, int64_t D) {
  if (D < 0)
    return 0;
  switch (kvtype) {
  case TTRT_KV_F32:
    return 4 * D;
  case TTRT_KV_F16:
  case TTRT_KV_BF16:
    return 2 * D;
  case TTRT_KV_I8:
    return D + 4;
  case TTRT_KV_F8E4M3:
  case TTRT_KV_F8E5M2:
    return D;
  default:
    return 0;
  }
}

extern "C" void ttrt_kv_store(const float *src, int64_t rows, int64_t D,
                              int32_t kvtype, void *dst) {
  int64_t rowBytes = ttrt_kv_row_bytes(kvtype, D);
  if (!rowBytes)
    fatal("kv_store: unknown KV cache type %d (TTRT_KV_*) or head_dim %lld",
          kvtype, static_cast<long long>(D));
  uint8_t *d = static_cast<uint8_t *>(dst);
  for (int64_t r = 0; r < rows; ++r)
    storeKVRow(src + r * D, D, kvtype, d + r * rowBytes);
}

extern "C" void ttrt_attention(const float *q, const float *kcache,
                               const float *vcache, int64_t S, int64_t pos0,
                               int64_t H, int64_t KVH, int64_t D,
                               int64_t window, float scale, float softcap,
                               float *out) {
  checkAttentionShape("attention", S, pos0, H, KVH, D);
  KVRows keys{reinterpret_cast<const uint8_t *>(kcache), TTRT_KV_F32, D,
              4 * D};
  KVRows values{reinterpret_cast<const uint8_t *>(vcache), TTRT_KV_F32, D,
                4 * D};
  attend(table(), q, keys, values, S, pos0, H, KVH, D, window, scale, softcap,
         nullptr, false, out);
}

/// ALiBi's per-head slopes (Press et al.; HF's build_alibi_tensor, MPT's
/// gen_slopes, llama.cpp's m0/m1): with n the largest power of two <= H,
/// heads h < n get 2^(-maxBias (h+1) / n), the rest interleave in from the
/// next power of two: 2^(-maxBias (2(h-n)+1) / (2n)).
static std::vector<float> alibiSlopes(int64_t H, double maxBias) {
  int64_t n = 1;
  while (2 * n <= H)
    n *= 2;
  std::vector<float> slopes(H);
  for (int64_t h = 0; h < H; ++h)
    slopes[h] = static_cast<float>(
        h < n ? std::exp2(-maxBias * static_cast<double>(h + 1) / n)
              : std::exp2(-maxBias * static_cast<double>(2 * (h - n) + 1) /
                          (2.0 * n)));
  return slopes;
}

extern "C" void ttrt_alibi_slopes(int64_t H, float maxBias, float *out) {
  if (H <= 0 || !(maxBias > 0))
    fatal("alibi_slopes: heads %lld and max bias %g must be positive",
          static_cast<long long>(H), static_cast<double>(maxBias));
  std::vector<float> s = alibiSlopes(H, maxBias);
  std::copy(s.begin(), s.end(), out);
}

extern "C" void ttrt_attention_alibi(const float *q, const float *k,
                                     const float *v, void *kcache,
                                     void *vcache, int32_t kvtype, int64_t S,
                                     int64_t pos0, int64_t H, int64_t KVH,
                                     int64_t D, int64_t window, float scale,
                                     float softcap, float maxBias,
                                     float *out) {
  checkAttentionShape("attention_alibi", S, pos0, H, KVH, D);
  int64_t rowBytes = ttrt_kv_row_bytes(kvtype, D);
  if (!rowBytes)
    fatal("attention_alibi: unknown KV cache type %d (TTRT_KV_*)", kvtype);
  if (!(maxBias > 0))
    fatal("attention_alibi: max bias %g must be positive",
          static_cast<double>(maxBias));
  uint8_t *kc = static_cast<uint8_t *>(kcache);
  uint8_t *vc = static_cast<uint8_t *>(vcache);
  int64_t first = pos0 * KVH; // this step's first cache row
  ttrt_kv_store(k, S * KVH, D, kvtype, kc + first * rowBytes);
  ttrt_kv_store(v, S * KVH, D, kvtype, vc + first * rowBytes);
  KVRows keys{kc, kvtype, D, rowBytes};
  KVRows values{vc, kvtype, D, rowBytes};
  std::vector<float> slopes = alibiSlopes(H, maxBias);
  attend(table(), q, keys, values, S, pos0, H, KVH, D, window, scale, softcap,
         nullptr, false, out, slopes.data());
}

extern "C" void ttrt_attention_kv(const float *q, const float *k,
                                  const float *v, void *kcache, void *vcache,
                                  int32_t kvtype, int64_t S, int64_t pos0,
                                  int64_t H, int64_t KVH, int64_t D,
                                  int64_t window, float scale, float softcap,
                                  const float *invFreq, int64_t rot,
                                  int32_t interleaved, float *out) {
  checkAttentionShape("attention_kv", S, pos0, H, KVH, D);
  int64_t rowBytes = ttrt_kv_row_bytes(kvtype, D);
  if (!rowBytes)
    fatal("attention_kv: unknown KV cache type %d (TTRT_KV_*)", kvtype);
  if (invFreq && (rot <= 0 || rot > D || rot % 2))
    fatal("attention_kv: rotary dimensions %lld must be even and in (0, "
          "head_dim=%lld]",
          static_cast<long long>(rot), static_cast<long long>(D));
  uint8_t *kc = static_cast<uint8_t *>(kcache);
  uint8_t *vc = static_cast<uint8_t *>(vcache);
  int64_t first = pos0 * KVH; // this step's first cache row
  std::unique_ptr<RopeTables> rope;
  if (invFreq) {
    rope = std::make_unique<RopeTables>(invFreq, rot, S, pos0);
    std::vector<float> rotated(D);
    for (int64_t r = 0; r < S * KVH; ++r) {
      ropeRow(k + r * D, D, r / KVH, *rope, interleaved != 0, rotated.data());
      storeKVRow(rotated.data(), D, kvtype, kc + (first + r) * rowBytes);
    }
  } else {
    ttrt_kv_store(k, S * KVH, D, kvtype, kc + first * rowBytes);
  }
  ttrt_kv_store(v, S * KVH, D, kvtype, vc + first * rowBytes);
  KVRows keys{kc, kvtype, D, rowBytes};
  KVRows values{vc, kvtype, D, rowBytes};
  attend(table(), q, keys, values, S, pos0, H, KVH, D, window, scale, softcap,
         rope.get(), interleaved != 0, out);
}
