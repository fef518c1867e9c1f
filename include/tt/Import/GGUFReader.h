//===- GGUFReader.h - GGUF metadata and tensor infos -------------*- C++ -*-===//
//
// Reads a GGUF file's header, metadata and tensor infos (versions 2 and 3)
// without touching the tensor data. Every read is bounds-checked: a bad
// magic, version, count, string length or type, a truncated file, or tensor
// data outside the file or overlapping is an error naming the byte offset.
//
//===----------------------------------------------------------------------===//

#ifndef TT_IMPORT_GGUFREADER_H
#define TT_IMPORT_GGUFREADER_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tt {

/// A ggml tensor type, by GGUF's numbering.
struct GGMLType {
  uint32_t id;
  const char *name;    ///< ggml's name: "f32", "q4_k", ...
  int64_t blockSize;   ///< elements per block (1 for plain types)
  int64_t blockBytes;  ///< bytes per block
};

/// The ggml type with GGUF id `id`, or none for an unknown or removed id.
std::optional<GGMLType> lookupGGMLType(uint32_t id);

struct GGUFTensorInfo {
  std::string name;
  /// ggml's ne[]: ne[0] is the innermost (contiguous) dimension.
  llvm::SmallVector<int64_t, 4> ne;
  GGMLType type;
  uint64_t offset = 0; ///< from the start of the data section
  uint64_t bytes = 0;
  /// The shape in row-major order (outermost first): reversed ne.
  llvm::SmallVector<int64_t, 4> getShape() const;
  int64_t getNumElements() const;
};

struct GGUFFile {
  uint32_t version = 0;
  uint64_t alignment = 32;
  uint64_t dataOffset = 0; ///< file offset of the data section
  /// Metadata in file order; values as JSON (integers, doubles, bools,
  /// strings, arrays).
  std::vector<std::pair<std::string, llvm::json::Value>> metadata;
  std::vector<GGUFTensorInfo> tensors;

  const llvm::json::Value *lookup(llvm::StringRef key) const;
  const GGUFTensorInfo *findTensor(llvm::StringRef name) const;
};

/// Parses `buffer` (named `name` in errors). `requireData`: the tensor data
/// must lie within the buffer (false for vocab-only files with no tensors).
llvm::Expected<GGUFFile> parseGGUF(llvm::MemoryBufferRef buffer,
                                   bool requireData = true);

/// Maps and parses the file at `path`.
llvm::Expected<GGUFFile> readGGUF(llvm::StringRef path);

} // namespace tt

#endif // TT_IMPORT_GGUFREADER_H
