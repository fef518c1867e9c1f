//===- TTAttributes.h - Attributes and types of the tt dialect --*- C++ -*-===//

#ifndef TT_DIALECT_TT_IR_TTATTRIBUTES_H
#define TT_DIALECT_TT_IR_TTATTRIBUTES_H

#include "tt/Dialect/TT/IR/TTDialect.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"

#include "tt/Dialect/TT/IR/TTEnums.h.inc"

namespace tt {
/// Parses a float literal (MLIR's: `10000.0`, `1.0e-05`; not `10000`).
FailureOr<double> parseF64(AsmParser &parser);
/// Parses a float literal as a double-precision APFloat.
FailureOr<llvm::APFloat> parseAPFloat(AsmParser &parser);
/// Prints the shortest decimal form of `value` that parses back exactly,
/// always with a `.` or an exponent so that it reads as a float.
void printF64(AsmPrinter &printer, double value);
/// Parses `true` or `false`.
FailureOr<bool> parseBool(AsmParser &parser);
} // namespace tt

#define GET_ATTRDEF_CLASSES
#include "tt/Dialect/TT/IR/TTAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "tt/Dialect/TT/IR/TTTypes.h.inc"

#endif // TT_DIALECT_TT_IR_TTATTRIBUTES_H
