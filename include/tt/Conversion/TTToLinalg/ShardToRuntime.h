//===- ShardToRuntime.h - shard collectives to runtime calls ----*- C++ -*-===//
//
// Part of convert-tt-to-linalg: the collectives tt-tensor-parallel and
// tt-pipeline-parallel make explicit with MLIR's shard dialect become calls
// to the runtime's ttrt_* collectives (RuntimeABI.h, runtime/lib/Comm):
//
//   shard.all_reduce %x on @tt_tp grid_axes = [0]       ttrt_all_reduce_sum
//   shard.all_gather %x on @tt_tp ... gather_axis = 2    ttrt_all_gather
//   shard.send %x on @tt_pp ... destination = [k]        ttrt_send
//   shard.recv %x on @tt_pp ... source = [k]             ttrt_recv
//
//===----------------------------------------------------------------------===//

#ifndef TT_CONVERSION_TTTOLINALG_SHARDTORUNTIME_H
#define TT_CONVERSION_TTTOLINALG_SHARDTORUNTIME_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tt {

/// The tensor-parallel and pipeline grids' names (CONTRACTS.md section 3).
constexpr llvm::StringLiteral kTensorParallelGrid = "tt_tp";
constexpr llvm::StringLiteral kPipelineGrid = "tt_pp";

/// Adds the patterns lowering shard collectives inside a step function of
/// convert-tt-to-linalg and marks the shard dialect illegal there.
void populateShardToRuntimePatterns(const mlir::TypeConverter &converter,
                                    mlir::ConversionTarget &target,
                                    mlir::RewritePatternSet &patterns);

/// After the step functions are lowered: declares the ttrt_* collectives
/// they call and erases the shard.grid ops nothing refers to any more.
void finishShardToRuntime(mlir::ModuleOp module);

} // namespace tt

#endif // TT_CONVERSION_TTTOLINALG_SHARDTORUNTIME_H
