//===- InitAllDialects.h - Register tt's dialects ---------------*- C++ -*-===//

#ifndef TT_INITALLDIALECTS_H
#define TT_INITALLDIALECTS_H

#include "tt/Dialect/TT/IR/TTDialect.h"

#include "mlir/IR/DialectRegistry.h"

namespace tt {
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<TTDialect>();
}
} // namespace tt

#endif // TT_INITALLDIALECTS_H
