//===- TTToLinalg.h - Patterns lowering tt ops ------------------*- C++ -*-===//

#ifndef TT_CONVERSION_TTTOLINALG_TTTOLINALG_H
#define TT_CONVERSION_TTTOLINALG_TTTOLINALG_H

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

} // namespace tt

#endif // TT_CONVERSION_TTTOLINALG_TTTOLINALG_H
