//===- TTOps.h - Operations of the tt dialect -------------------*- C++ -*-===//

#ifndef TT_DIALECT_TT_IR_TTOPS_H
#define TT_DIALECT_TT_IR_TTOPS_H

#include "tt/Dialect/TT/IR/TTAttributes.h"
#include "tt/Dialect/TT/IR/TTDialect.h"
#include "tt/Dialect/TT/IR/TTInterfaces.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace tt {
/// Formats a shape for diagnostics: `[4096, ?]`.
std::string formatShape(llvm::ArrayRef<int64_t> shape);
} // namespace tt

#define GET_OP_CLASSES
#include "tt/Dialect/TT/IR/TTOps.h.inc"

#endif // TT_DIALECT_TT_IR_TTOPS_H
