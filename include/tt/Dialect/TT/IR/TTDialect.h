//===- TTDialect.h - The tt dialect ------------------------------*- C++ -*-===//

#ifndef TT_DIALECT_TT_IR_TTDIALECT_H
#define TT_DIALECT_TT_IR_TTDIALECT_H

#include "tt/Support/LLVM.h"

#include "mlir/IR/Dialect.h"

#include "tt/Dialect/TT/IR/TTDialect.h.inc"

#endif // TT_DIALECT_TT_IR_TTDIALECT_H
