//===- TTExampleOps.h - Operations of the ttx dialect -----------*- C++ -*-===//

#ifndef TTEXAMPLE_TTEXAMPLEOPS_H
#define TTEXAMPLE_TTEXAMPLEOPS_H

#include "TTExample/TTExampleDialect.h"

// tt::CostOpInterface and the tt::OpTrait::Sublayer trait.
#include "tt/Dialect/TT/IR/TTInterfaces.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "TTExample/TTExampleOps.h.inc"

#endif // TTEXAMPLE_TTEXAMPLEOPS_H
