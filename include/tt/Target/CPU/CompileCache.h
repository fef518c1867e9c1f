//===- CompileCache.h - Compiled models kept on disk ------------*- C++ -*-===//
//
// The machine code JITModel compiles for a model is kept in a directory, one
// file per key, so that the next run of the same model (any file holding a
// model of the same shape and types: weights are bound by name at run time
// and are not part of the code) loads it instead of lowering and compiling
// again. docs/CompileCache.md describes what the key covers.
//
// An entry is one file `<key>.tto`:
//   tt-compile-cache 1\n
//   {"key": ..., "tt_build": ..., "object_bytes": N, "object_sha256": ...}\n
//   N bytes of a host object file defining the entry points
// written to a temporary file beside it and renamed into place, so that
// processes compiling the same model at once (the ranks of an mpirun) never
// read a partial entry.
//
//===----------------------------------------------------------------------===//

#ifndef TT_TARGET_CPU_COMPILECACHE_H
#define TT_TARGET_CPU_COMPILECACHE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tt {

/// The code generator a compiled object is for.
struct CodegenTarget {
  std::string triple;
  std::string cpu;      ///< e.g. "sapphirerapids"
  std::string features; ///< LLVM's feature string, e.g. "+avx2,-avx512f,..."
  unsigned optLevel = 3;
};

/// The host CPU, as the JIT compiles for it, at `optLevel`.
CodegenTarget hostCodegenTarget(unsigned optLevel);

/// Identifies the tt build that generates the code: a SHA-256 over the
/// sources of the compiler (lib/, include/) and the runtime ABI header
/// (runtime/include/tt/Runtime/RuntimeABI.h), computed when tt is built.
llvm::StringRef ttBuildId();

/// The cache key of `module` (the one model function to compile, under the
/// name the entry points get) compiled for `target`: the SHA-256, as 64 hex
/// digits, of the tt build id, LLVM's version, the lowering pipeline and its
/// options, `target`, and the module in generic form without locations.
std::string compileCacheKey(mlir::ModuleOp module,
                            const CodegenTarget &target);

/// The directory of the cache when none is given: $TT_CACHE_DIR, else
/// $XDG_CACHE_HOME/tt, else $HOME/.cache/tt; empty when none of these is
/// set.
std::string defaultCompileCacheDir();

/// A directory of compiled models.
class CompileCache {
public:
  explicit CompileCache(std::string directory)
      : dir(std::move(directory)) {}

  llvm::StringRef directory() const { return dir; }
  /// The file that holds (or would hold) the entry `key`.
  std::string entryPath(llvm::StringRef key) const;

  struct Entry {
    std::string path;
    std::vector<std::string> entryPoints;
    std::unique_ptr<llvm::MemoryBuffer> object;
  };
  /// The entry `key`: std::nullopt when there is none; an error naming the
  /// file when there is one that cannot be used (truncated, corrupt, written
  /// for another key or by another tt build).
  llvm::Expected<std::optional<Entry>> load(llvm::StringRef key) const;
  /// Writes the entry `key` atomically (creating the directory). Returns its
  /// path.
  llvm::Expected<std::string> store(llvm::StringRef key,
                                    llvm::ArrayRef<std::string> entryPoints,
                                    llvm::StringRef object) const;

private:
  std::string dir;
};

} // namespace tt

#endif // TT_TARGET_CPU_COMPILECACHE_H
