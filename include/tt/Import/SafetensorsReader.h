//===- SafetensorsReader.h - safetensors headers ------------------*- C++ -*-===//
//
// Reads only the headers of safetensors files (an 8-byte little-endian
// length, then a JSON object of name -> {dtype, shape, data_offsets}), single
// or sharded through model.safetensors.index.json; tensor data is never read.
// A header longer than the file, malformed JSON, an unknown dtype, offsets
// that disagree with the shape, lie outside the data or overlap are errors
// naming the file and tensor.
//
//===----------------------------------------------------------------------===//

#ifndef TT_IMPORT_SAFETENSORSREADER_H
#define TT_IMPORT_SAFETENSORSREADER_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tt {

struct SafetensorsTensor {
  std::string name;
  std::string dtype; ///< safetensors' name: F32, BF16, F8_E4M3, ...
  llvm::SmallVector<int64_t, 4> shape;
  std::string file; ///< the file holding it
  /// Where its data lies in `file`: the byte offset from the start of the
  /// file (8 + header length + data_offsets[0]) and the length in bytes.
  uint64_t fileOffset = 0;
  uint64_t dataBytes = 0;
};

/// Bytes per element of a safetensors dtype, or 0 if unknown.
unsigned getSafetensorsDtypeBytes(llvm::StringRef dtype);

/// Reads the header of one .safetensors file.
llvm::Expected<std::vector<SafetensorsTensor>>
readSafetensorsHeader(llvm::StringRef path);

/// Reads the headers of a model directory: model.safetensors, or every file
/// named by model.safetensors.index.json's weight_map. Returns an empty list
/// when the directory has neither. The index must agree with the headers.
llvm::Expected<std::vector<SafetensorsTensor>>
readSafetensorsDirectory(llvm::StringRef dir);

} // namespace tt

#endif // TT_IMPORT_SAFETENSORSREADER_H
