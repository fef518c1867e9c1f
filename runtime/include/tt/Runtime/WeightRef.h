//===- WeightRef.h - What a compiled model asks the runtime to bind -*- C++ -*-===//
//
// A bind key is the string generated code passes to ttrt_weight and lists in
// m_weight_names: a tensor name, optionally followed by how the tensor the
// compiled code wants differs from the stored one. Passes that apply a
// hardware configuration record those differences on tt.weight
// (`stored_type`, `shard_dim`/`shard_parts`, `partial`); the lowering spells
// them as suffixes and the runtime derives the tensor once, at bind time:
//
//   key    := name ['[' a ':' b ']'] { '@' suffix }
//   suffix := 'transpose'            a stored [in, out] matrix used as
//                                    [out, in] (GPT-2's Conv1D)
//           | 'rows(' a ',' b ')'    rows a .. b-1 of the (transposed) matrix
//           | 'qkv(' G ',' a ',' b ')' rows a .. b-1 of a fused QKV tensor
//                                    stored as G groups of [q/G; kv/G; kv/G]
//                                    rows (Falcon), read as [Q; K; V]
//           | 'shard(' D ',' P ')'   this device's piece of P along dim D
//           | 'partial'              device 0 holds it, the others zeros
//           | 'as(' TYPE ')'         converted to TYPE (tt::rt::typeName)
//
// `name[a:b]` is WeightStore's row range of the stored tensor (fused tensors
// split by the importer); `@rows` is the same after `@transpose`. Suffixes
// apply in the order above.
//
//===----------------------------------------------------------------------===//

#ifndef TT_RUNTIME_WEIGHTREF_H
#define TT_RUNTIME_WEIGHTREF_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace tt {

struct WeightRef {
  /// The stored tensor, with its `[a:b]` row range if any (what
  /// WeightStore::lookup takes).
  std::string tensor;
  /// The stored matrix is [in, out]: transpose it (a copy).
  bool transpose = false;
  /// Rows [rowBegin, rowEnd) after the transposition; rowEnd < 0: all.
  int64_t rowBegin = 0, rowEnd = -1;
  /// Fused QKV stored in this many interleaved groups (0: none); the rows
  /// [rowBegin, rowEnd) then index the de-interleaved [Q; K; V] rows.
  int64_t qkvGroups = 0;
  /// Shard: dimension and number of pieces; shardParts == 0 means none.
  int64_t shardDim = 0;
  int64_t shardParts = 0;
  /// Held by device 0 of the tensor-parallel group only.
  bool partial = false;
  /// Conversion target (TTRT_TYPE_*), or -1 to use the stored type.
  int32_t asType = -1;

  bool isPlain() const {
    return !transpose && rowEnd < 0 && !qkvGroups && !shardParts &&
           !partial && asType < 0;
  }

  /// Parses a bind key. Errors name the key and what is wrong.
  static llvm::Expected<WeightRef> parse(llvm::StringRef key);
  /// The key again (canonical spelling).
  std::string str() const;
};

/// The TTRT_TYPE_* id of a runtime type name ("q8_0", "bf16"), or -1.
int32_t runtimeTypeFromName(llvm::StringRef name);

} // namespace tt

#endif // TT_RUNTIME_WEIGHTREF_H
