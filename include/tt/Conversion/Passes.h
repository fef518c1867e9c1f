//===- Passes.h - Conversions out of the tt dialect -------------*- C++ -*-===//

#ifndef TT_CONVERSION_PASSES_H
#define TT_CONVERSION_PASSES_H

#include "tt/Dialect/TT/IR/TTDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Shard/IR/ShardDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace tt {

#define GEN_PASS_DECL
#include "tt/Conversion/Passes.h.inc"

/// Adds the passes that take a module of tt models to the LLVM dialect:
/// convert-tt-to-linalg, bufferization, buffer deallocation, loops and the
/// conversions to LLVM.
void buildTTToCPUPipeline(mlir::OpPassManager &pm);

/// Registers the conversion passes and `tt-to-cpu-pipeline`.
void registerConversionPasses();

#define GEN_PASS_REGISTRATION
#include "tt/Conversion/Passes.h.inc"

} // namespace tt

#endif // TT_CONVERSION_PASSES_H
