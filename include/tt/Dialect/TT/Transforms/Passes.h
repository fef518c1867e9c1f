//===- Passes.h - Passes of the tt dialect ----------------------*- C++ -*-===//

#ifndef TT_DIALECT_TT_TRANSFORMS_PASSES_H
#define TT_DIALECT_TT_TRANSFORMS_PASSES_H

#include "tt/Dialect/TT/IR/TTDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace tt {

#define GEN_PASS_DECL
#include "tt/Dialect/TT/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tt/Dialect/TT/Transforms/Passes.h.inc"

} // namespace tt

#endif // TT_DIALECT_TT_TRANSFORMS_PASSES_H
