//===- TTToLinalg.h - Patterns lowering tt ops ------------------*- C++ -*-===//

#ifndef TT_CONVERSION_TTTOLINALG_TTTOLINALG_H
#define TT_CONVERSION_TTTOLINALG_TTTOLINALG_H

#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/StringMap.h"

namespace tt {

/// Patterns that lower tt's layer ops inside a step function made by
/// convert-tt-to-linalg. `weightNameGlobals` maps each weight name to the
/// `llvm.mlir.global` holding it as a NUL-terminated string.
void populateTTToLinalgPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns,
    const llvm::StringMap<std::string> &weightNameGlobals);

/// The unit attribute on a module that asks convert-tt-to-linalg for the
/// batched decode step `@m_decode_batch` as well (RuntimeABI.h).
inline constexpr llvm::StringLiteral kDecodeBatchAttrName = "tt.decode_batch";

/// `name` with every `{e}` replaced by `expert`.
std::string expandExpertName(llvm::StringRef name, int64_t expert);

/// The bind keys a tt.weight uses at run time (tt/Runtime/WeightRef.h): its
/// name, or one name per expert (its leading dimension) when the name has
/// `{e}`, each followed by the `@shard`, `@partial` and `@as` suffixes its
/// attributes ask for.
llvm::SmallVector<std::string> boundWeightNames(WeightOp weight);

/// The bind key of tensor `name` (the weight's name, or one expert's) of
/// `weight`.
std::string weightBindKey(WeightOp weight, llvm::StringRef name);

/// The runtime's name of a weight element type (`f32`, `bf16`, `q8_0`), or
/// "" when the runtime has none.
std::string runtimeTypeName(mlir::Type elementType);

} // namespace tt

#endif // TT_CONVERSION_TTTOLINALG_TTTOLINALG_H
