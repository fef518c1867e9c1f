//===- Kernels.h - C++ helpers of the runtime kernels -------------*- C++
//-*-===//
//
// The C++ side of runtime/lib/Kernels (library TTRuntimeKernels), for the
// runtime's own libraries, tools and tests. Generated code uses only the C
// functions of RuntimeABI.h.
//
// Block layouts are ggml's (as stored in GGUF files):
//   Q8_0: 32 elements, 34 bytes: f16 d; int8 qs[32]           x = d*q
//   Q4_0: 32 elements, 18 bytes: f16 d; u8 qs[16]; element j < 16 is the low
//         nibble of qs[j], element j + 16 its high nibble      x = d*(q-8)
//   Q4_K: 256 elements, 144 bytes: f16 d, dmin; u8 scales[12] (eight 6-bit
//         scales and mins); u8 qs[128]                x = d*sc*q - dmin*m
//   Q5_K: 256 elements, 176 bytes: f16 d, dmin; u8 scales[12]; u8 qh[32]
//         (fifth bits); u8 qs[128]
//   Q6_K: 256 elements, 210 bytes: u8 ql[128]; u8 qh[64]; int8 scales[16];
//         f16 d                                        x = d*sc*(q-32)
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_KERNELS_H
#define TT_RUNTIME_KERNELS_H

#include "tt/Runtime/RuntimeABI.h"

#include <cstdint>
#include <functional>

namespace tt {
namespace rt {

/// IEEE half <-> float (round to nearest even; NaN and infinities kept).
float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);
/// bfloat16 <-> float (round to nearest even).
float bf16ToFloat(uint16_t h);
uint16_t floatToBF16(float f);

/// Elements per block of `type` (1 for plain types); 0 if unsupported.
int64_t blockElements(int32_t type);
/// ggml's name for a type id ("q4_k"), or "unknown".
const char *typeName(int32_t type);

/// De-quantises `n` elements (a multiple of the block size) of `type` at
/// `src` to f32. Fatal error for an unsupported type.
void dequantizeRow(int32_t type, const void *src, int64_t n, float *dst);

/// The size of the pool set by ttrt_set_num_threads.
int numThreads();
/// Runs fn(tid, nthreads) once on each of the pool's threads (the caller is
/// thread 0) and waits for all of them.
void parallelRun(const std::function<void(int tid, int nthreads)> &fn);
/// Splits [0, n) into chunks, each a multiple of `align` long except the
/// last (about 4 per thread), and runs fn(begin, end) for each in parallel;
/// the threads claim chunks dynamically. fn must not depend on which thread
/// runs it: results are then the same for any thread count.
void parallelFor(int64_t n, int64_t align,
                 const std::function<void(int64_t begin, int64_t end)> &fn);
/// parallelFor with guided chunks: each chunk is about 1 / (2 * threads)
/// of what is left (a multiple of `align`, at least `align`), so the first
/// chunks are large and the last ones small: a thread that falls behind
/// (descheduled, slower) leaves at most a small chunk for the others to wait
/// on. For long loops of equal-cost units (the prefill GEMM's weight rows).
void parallelForGuided(
    int64_t n, int64_t align,
    const std::function<void(int64_t begin, int64_t end)> &fn);

/// Which SIMD kernels were chosen at load time: "avx512-vnni", "avx2" or
/// "scalar". TT_RT_ISA=avx2 or scalar in the environment forces a lower
/// level (for tests and benchmarks).
const char *kernelISA();
/// Switches to the kernels for `name` (as kernelISA() names them); false if
/// this CPU lacks that instruction set. For tests and benchmarks; not to be
/// called while kernels run.
bool setKernelISA(const char *name);

/// How ttrt_matmul runs M > 1 (prefill). Auto (the default): the GEMM
/// kernels (register-tiled over several activation rows and weight rows;
/// runtime/lib/Kernels/GemmImpl.inc) from a few rows on, where they are
/// faster. Gemm: the GEMM kernels for every M > 1. Rows: the dot-product
/// kernels, one pass over each weight row per group of up to 4 activation
/// rows (the path before the GEMM kernels; for tests and the benchmark's
/// before/after comparison; for M = 1 it also turns off the AVX-512 Q4_0
/// decode kernel). The scalar kernels have no GEMM and always use Rows. TT_RT_MATMUL=auto|gemm|rows in the environment sets the initial
/// mode. Returns the previous mode; not to be called while kernels run.
enum class MatmulPath { Auto, Gemm, Rows };
MatmulPath setMatmulPath(MatmulPath path);

/// Prints a message prefixed with "ttrt: " to stderr and aborts.
[[noreturn]] void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

} // namespace rt
} // namespace tt

#endif // TT_RUNTIME_KERNELS_H
