//===- Formats.h - tt's own weight storage formats ----------------*- C++
//-*-===//
//
// The storage formats tt-quantize writes beyond ggml's (docs/Quantization.md
// has the rationale): their type ids, block layouts and decoders. Kernels.cpp
// consults these for the type tables; KernelsFormats.cpp implements them.
//
// Layouts (blocks run along a row; f16 is IEEE half, little-endian):
//   int8_g<G>       G elements, G+2 bytes:   f16 d; int8 q[G]      x = d*q
//   int8_g<G>_asym  G elements, G+4 bytes:   f16 d, m; u8 q[G]     x = d*q + m
//   int4_g<G>       G elements, G/2+2 bytes: f16 d; u8 q[G/2]      x = d*(q-8)
//   int4_g<G>_asym  G elements, G/2+4 bytes: f16 d, m; u8 q[G/2]   x = d*q + m
//                   int4 codes: within each run of 32 elements, element j
//                   (j < 16) is the low nibble of byte j of the run's 16
//                   bytes, element j + 16 its high nibble (Q4_0's order).
//   mxint8          32 elements, 33 bytes: u8 e (E8M0); int8 q[32]
//                   x = 2^(e-127) * q / 64   (OCP MX v1.0 MXINT8)
//   mxfp4           32 elements, 17 bytes: ggml's block_mxfp4 (GGUF id 39):
//                   u8 e; u8 qs[16] (Q4_0's nibble order) of E2M1 codes
//                   x = 2^(e-127) * e2m1(q)
//   fp8_e4m3        32 elements, 34 bytes: f16 d; u8 q[32] (E4M3FN codes)
//                   x = d * e4m3(q)
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_FORMATS_H
#define TT_RUNTIME_FORMATS_H

#include "tt/Runtime/RuntimeABI.h"

#include <cstdint>

namespace tt {
namespace rt {

/// A group-wise integer format, decoded from its type id.
struct GroupedInt {
  int bits;      ///< 8 or 4
  int64_t group; ///< elements per group: a power of two, 32 .. 4096
  bool asym;     ///< a minimum per group besides the scale
};

/// The type id of a group-wise integer format, or -1 when `bits` is not 8 or
/// 4 or `group` is not a power of two from 32 to 4096.
int32_t groupedIntType(int bits, int64_t group, bool asym);
/// Decodes a group-wise integer type id; false for any other id.
bool decodeGroupedInt(int32_t type, GroupedInt &out);

/// Whether `type` is one of the formats of this header (served by
/// KernelsFormats.cpp rather than Kernels.cpp's own kernels).
bool isFormatType(int32_t type);
/// Elements and bytes per block of a format type; 0 for other ids.
int64_t formatBlockElements(int32_t type);
int64_t formatBlockBytes(int32_t type);
/// The name of a format type ("int4_g128_asym", "mxfp4"), or nullptr.
const char *formatTypeName(int32_t type);

/// Decoders of the element codes.
float fp8E4M3ToFloat(uint8_t q);
/// E8M0 scale 2^(e-127) (e = 255 is NaN).
float e8m0ToFloat(uint8_t e);
/// E2M1 codes as ggml stores them: twice the value (0, 1, 2, 3, 4, 6, 8, 12
/// and their negations for codes 8 .. 15).
extern const int8_t kE2M1Doubled[16];

/// De-quantises `n` elements (whole blocks) of a format type to f32.
void dequantizeFormatRow(int32_t type, const void *src, int64_t n, float *dst);

/// ttrt_matmul for a format type (sizes already checked by the caller):
/// y[m][n] = sum_k x[m][k] * W[n][k] (+ bias[n]).
void matmulFormat(const void *w, int32_t wtype, int64_t N, int64_t K,
                  const float *x, int64_t M, float *y, const float *bias);

} // namespace rt
} // namespace tt

#endif // TT_RUNTIME_FORMATS_H
