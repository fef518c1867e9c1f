//===- TTInterfaces.h - Op interfaces of the tt dialect ---------*- C++ -*-===//

#ifndef TT_DIALECT_TT_IR_TTINTERFACES_H
#define TT_DIALECT_TT_IR_TTINTERFACES_H

#include "tt/Dialect/TT/IR/TTCost.h"

#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"

#include <string>

#include "tt/Dialect/TT/IR/TTInterfaces.h.inc"

namespace tt {
namespace OpTrait {
/// Marks a sublayer of the residual stream (attention, MLP, MoE, or a
/// plugin's layer of that kind): pre-norms feed it, post-norms follow it.
template <typename ConcreteType>
class Sublayer : public ::mlir::OpTrait::TraitBase<ConcreteType, Sublayer> {};
} // namespace OpTrait

/// Whether `op` is a sublayer (has the Sublayer trait).
bool isSublayer(Operation *op);
} // namespace tt

#endif // TT_DIALECT_TT_IR_TTINTERFACES_H
