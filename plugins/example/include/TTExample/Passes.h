//===- Passes.h - Passes of the ttx example plugin --------------*- C++ -*-===//

#ifndef TTEXAMPLE_PASSES_H
#define TTEXAMPLE_PASSES_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace ttx {

#define GEN_PASS_DECL
#include "TTExample/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "TTExample/Passes.h.inc"

} // namespace ttx

#endif // TTEXAMPLE_PASSES_H
