//===- ConvertWeight.h - Re-encode a weight at bind time ---------*- C++ -*-===//
//
// When a pass changed a weight's storage type (tt-quantize: `stored_type` on
// tt.weight, `@as(TYPE)` in its bind key), the runtime converts the stored
// tensor once, when it binds it, into memory the context owns. Rows are
// converted independently: a [rows, cols] tensor becomes rows rows of
// ttrt_row_bytes(type, cols) bytes.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_CONVERTWEIGHT_H
#define TT_RUNTIME_CONVERTWEIGHT_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace tt {
namespace rt {

/// Converts `rows` rows of `cols` elements of `srcType` at `src` to `dstType`
/// (any type the runtime reads to any type it can encode). Errors: a type it
/// cannot encode, or `cols` not a whole number of `dstType` blocks.
llvm::Expected<std::vector<uint8_t>> convertWeight(const void *src,
                                                   int32_t srcType,
                                                   int64_t rows, int64_t cols,
                                                   int32_t dstType);

/// Whether convertWeight can produce `type`.
bool canEncode(int32_t type);

} // namespace rt
} // namespace tt

#endif // TT_RUNTIME_CONVERTWEIGHT_H
