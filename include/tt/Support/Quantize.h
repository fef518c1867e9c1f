//===- Quantize.h - Reference encoders of weight storage formats --*- C++ -*-===//
//
// ggml's reference quantisers for the GGUF block formats Q8_0, Q4_0 and
// MXFP4, bit-identical to ggml's quantize_row_*_ref, and tt's own formats
// (tt/Runtime/Formats.h). Used to write synthetic models and by the
// runtime's bind-time weight conversion (tt-quantize); the runtime's kernels
// read these layouts. f16/bf16 conversion is the runtime's
// (tt/Runtime/Kernels.h: tt::rt::floatToHalf, halfToFloat, floatToBF16).
//
//===----------------------------------------------------------------------===//
#ifndef TT_SUPPORT_QUANTIZE_H
#define TT_SUPPORT_QUANTIZE_H

#include <cstddef>
#include <cstdint>

namespace tt {

/// Q8_0: blocks of 32 values, { f16 d; int8 q[32]; }, x = d * q.
constexpr size_t kQ8_0BlockBytes = 34;
/// Q4_0: blocks of 32 values, { f16 d; uint8 q[16]; }, x = d * (q - 8);
/// value j of the block is the low nibble of q[j] for j < 16 and the high
/// nibble of q[j - 16] otherwise.
constexpr size_t kQ4_0BlockBytes = 18;

/// Quantises `n` values (a multiple of 32) into n / 32 blocks at `out`.
void quantizeQ8_0(const float *x, size_t n, void *out);
void quantizeQ4_0(const float *x, size_t n, void *out);

/// ggml's reference MXFP4 quantiser (quantize_row_mxfp4_ref, bit-identical):
/// per block of 32, e = floor(log2(amax)) - 2 + 127 (0 for an all-zero
/// block), each value the nearest E2M1 code (the first on a tie).
void quantizeMXFP4(const float *x, size_t n, void *out);

/// tt's formats (layouts in tt/Runtime/Formats.h, rationale in
/// docs/Quantization.md), round to nearest:
/// - MXINT8 (OCP MX): e = floor(log2(amax)) + 127, q = round(64 x / 2^(e-127))
///   clamped to [-127, 127];
/// - FP8 E4M3 with an f16 scale per block of 32: d = amax / 448, codes are
///   x / d rounded to nearest even (E4M3FN, saturating);
/// - group-wise int8/int4: symmetric d = amax / 127 (int8) or amax / 7
///   (int4); asymmetric d = (max - min) / 255 or / 15 and m = min. The codes
///   are computed from the f16-rounded d and m, which is what decoding uses.
void quantizeMXINT8(const float *x, size_t n, void *out);
void quantizeFP8E4M3(const float *x, size_t n, void *out);
void quantizeGroupedInt(const float *x, size_t n, int bits, size_t group,
                        bool asym, void *out);

/// E4M3FN code of `f` (bias 7, max 448, no infinities), round to nearest
/// even, saturating to +-448; NaN stays NaN.
uint8_t floatToE4M3(float f);

/// Quantises one row of `n` values to the runtime type `type` (TTRT_TYPE_*:
/// q8_0, q4_0 and every format of tt/Runtime/Formats.h); `n` must be a
/// whole number of blocks. False for a type without a quantiser here.
bool quantizeRow(int32_t type, const float *x, size_t n, void *out);

} // namespace tt

#endif // TT_SUPPORT_QUANTIZE_H
