//===- ConvertWeight.cpp - Re-encode a weight at bind time ----------------===//

#include "tt/Runtime/ConvertWeight.h"
#include "tt/Runtime/Formats.h"
#include "tt/Runtime/Kernels.h"
#include "tt/Runtime/RuntimeABI.h"
#include "tt/Support/Quantize.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstring>

using namespace tt;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

bool rt::canEncode(int32_t type) {
  switch (type) {
  case TTRT_TYPE_F32:
  case TTRT_TYPE_F16:
  case TTRT_TYPE_BF16:
  case TTRT_TYPE_Q8_0:
  case TTRT_TYPE_Q4_0:
    return true;
  default:
    // tt-quantize's formats (tt/Runtime/Formats.h) all have an encoder.
    return rt::isFormatType(type);
  }
}

/// Encodes one row of `n` f32 values as `type` at `out`.
static void encodeRow(int32_t type, const float *x, int64_t n, uint8_t *out) {
  switch (type) {
  case TTRT_TYPE_F32:
    std::memcpy(out, x, n * sizeof(float));
    return;
  case TTRT_TYPE_F16:
    for (int64_t i = 0; i < n; ++i) {
      uint16_t h = rt::floatToHalf(x[i]);
      std::memcpy(out + 2 * i, &h, 2);
    }
    return;
  case TTRT_TYPE_BF16:
    for (int64_t i = 0; i < n; ++i) {
      uint16_t h = rt::floatToBF16(x[i]);
      std::memcpy(out + 2 * i, &h, 2);
    }
    return;
  default:
    // q8_0, q4_0 and tt's formats: TTSupport's encoders, the ones the
    // quantiser tests check.
    if (!quantizeRow(type, x, n, out))
      rt::fatal("convertWeight: cannot encode type %s (id %d)",
                rt::typeName(type), type);
  }
}

llvm::Expected<std::vector<uint8_t>>
rt::convertWeight(const void *src, int32_t srcType, int64_t rows, int64_t cols,
                  int32_t dstType) {
  if (!ttrt_type_supported(srcType))
    return fail(llvm::formatv("cannot read weights of type {0}",
                              rt::typeName(srcType)));
  if (!canEncode(dstType))
    return fail(llvm::formatv("cannot convert weights to {0}",
                              rt::typeName(dstType)));
  if (rows < 0 || cols <= 0)
    return fail(llvm::formatv("bad weight shape {0} x {1}", rows, cols));
  int64_t srcRow = ttrt_row_bytes(srcType, cols);
  int64_t dstRow = ttrt_row_bytes(dstType, cols);
  if (srcRow == 0)
    return fail(llvm::formatv("a row of {0} elements is not a whole number "
                              "of {1} blocks",
                              cols, rt::typeName(srcType)));
  if (dstRow == 0)
    return fail(llvm::formatv("a row of {0} elements is not a whole number "
                              "of {1} blocks ({2} elements each)",
                              cols, rt::typeName(dstType),
                              rt::blockElements(dstType)));
  std::vector<uint8_t> out(static_cast<size_t>(rows) * dstRow);
  std::vector<float> row(cols);
  const auto *in = static_cast<const uint8_t *>(src);
  for (int64_t r = 0; r < rows; ++r) {
    ttrt_to_f32(in + r * srcRow, srcType, cols, row.data());
    encodeRow(dstType, row.data(), cols, out.data() + r * dstRow);
  }
  return out;
}
