//===- TTExampleDialect.h - The ttx example dialect -------------*- C++ -*-===//

#ifndef TTEXAMPLE_TTEXAMPLEDIALECT_H
#define TTEXAMPLE_TTEXAMPLEDIALECT_H

#include "tt/Dialect/TT/IR/TTDialect.h"

#include "mlir/IR/Dialect.h"

#include "TTExample/TTExampleDialect.h.inc"

#endif // TTEXAMPLE_TTEXAMPLEDIALECT_H
