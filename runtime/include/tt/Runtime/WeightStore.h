//===- WeightStore.h - A model's tensors, mmap'd, by name --------*- C++
//-*-===//
//
// Maps a GGUF file, or a Hugging Face model directory's safetensors
// (model.safetensors, or the shards named by model.safetensors.index.json),
// read-only into memory and looks its tensors up by name. Nothing is copied
// or converted: a Weight points into the mapping, in the tensor's storage
// type (a ttrt type id of RuntimeABI.h), so the kernels use quantized blocks
// as stored.
//
// A name may end in a row range, `name[a:b]`: rows a .. b-1 of the tensor
// (its outermost dimension), as the importer names the parts of fused
// tensors (e.g. Phi-3's `model.layers.0.self_attn.qkv_proj.weight[0:3072]`).
//
// Tensors of a type the runtime cannot use (GGUF q4_1, safetensors I8 or
// F8_E4M3, ...) are listed but a lookup of one is an error naming the tensor
// and its type.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_WEIGHTSTORE_H
#define TT_RUNTIME_WEIGHTSTORE_H

#include "tt/Import/GGUFReader.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tt {

/// One tensor (or a row range of one) in a WeightStore.
struct Weight {
  const void *data = nullptr; ///< into the mapped file
  int32_t type = 0;           ///< TTRT_TYPE_*
  /// Row-major shape, outermost first (for a GGUF tensor: ggml's ne
  /// reversed), so a matrix is [rows, cols].
  llvm::SmallVector<int64_t, 4> shape;
  uint64_t bytes = 0;
};

class WeightStore {
public:
  /// Opens `path`: a .gguf file, or a directory with safetensors. Errors name
  /// the file and, for bad tensors, the tensor.
  static llvm::Expected<std::unique_ptr<WeightStore>>
  open(llvm::StringRef path);
  static llvm::Expected<std::unique_ptr<WeightStore>>
  openGGUF(llvm::StringRef path);
  static llvm::Expected<std::unique_ptr<WeightStore>>
  openSafetensors(llvm::StringRef dir);

  ~WeightStore();
  WeightStore(const WeightStore &) = delete;
  WeightStore &operator=(const WeightStore &) = delete;

  /// The tensor `name` (optionally with a `[a:b]` row range). Errors: no
  /// such tensor, a type the runtime cannot use, a bad or out-of-bounds
  /// range.
  llvm::Expected<Weight> lookup(llvm::StringRef name) const;
  /// Whether a tensor of this exact name (no range) exists, usable or not.
  bool contains(llvm::StringRef name) const;
  /// All tensor names, sorted.
  std::vector<std::string> names() const;
  size_t size() const { return tensors.size(); }

  /// The file or directory opened.
  llvm::StringRef getPath() const { return path; }
  /// The parsed GGUF header (metadata, tensor infos) for a GGUF store.
  const GGUFFile *getGGUF() const { return gguf ? &*gguf : nullptr; }
  /// Bytes of tensor data mapped (the sum over all tensors).
  uint64_t getTotalBytes() const;

private:
  WeightStore() = default;
  struct Entry {
    const uint8_t *data = nullptr;
    int32_t type = -1;    ///< TTRT_TYPE_*, or -1 if the runtime cannot use it
    std::string typeName; ///< as the file names it ("q4_1", "I8", ...)
    llvm::SmallVector<int64_t, 4> shape;
    uint64_t bytes = 0;
    std::string file;
  };
  /// Maps `file` whole, read-only; returns its bytes.
  llvm::Expected<llvm::StringRef> mapFile(llvm::StringRef file);

  std::string path;
  std::vector<std::unique_ptr<llvm::sys::fs::mapped_file_region>> maps;
  llvm::StringMap<Entry> tensors;
  std::optional<GGUFFile> gguf;
};

} // namespace tt

#endif // TT_RUNTIME_WEIGHTSTORE_H
