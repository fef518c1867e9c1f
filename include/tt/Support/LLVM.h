//===- LLVM.h - Import common MLIR and LLVM names into tt -------*- C++ -*-===//
//
// tt's C++ lives in its own top-level namespace `tt` (as CIRCT's lives in
// `circt`) so that a plugin can link against tt-mlir (`mlir::tt`) without
// clashes. This header brings the MLIR names tt uses everywhere into it.
//
//===----------------------------------------------------------------------===//

#ifndef TT_SUPPORT_LLVM_H
#define TT_SUPPORT_LLVM_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Attribute;
class Block;
class Builder;
class DialectRegistry;
class Location;
class MLIRContext;
class ModuleOp;
class Operation;
class OpBuilder;
class Region;
class Type;
class Value;
} // namespace mlir

namespace tt {
using namespace ::mlir;
} // namespace tt

#endif // TT_SUPPORT_LLVM_H
