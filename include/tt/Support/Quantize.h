//===- Quantize.h - Reference encoders of weight storage formats --*- C++ -*-===//
//
// ggml's reference quantisers for the GGUF block formats Q8_0 and Q4_0,
// bit-identical to ggml's quantize_row_q8_0_ref / quantize_row_q4_0_ref.
// Used to write synthetic models and by weight quantisation; the runtime
// reads these layouts. f16/bf16 conversion is the runtime's
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

} // namespace tt

#endif // TT_SUPPORT_QUANTIZE_H
