//===- TensorParallel.cpp - The tt-tensor-parallel pass -------------------===//
//
// Megatron-style tensor parallelism: rewrites the module into what one
// device of a group of `tp` runs. How each weight splits comes from
// ShardingOpInterface; the core ops whose attributes depend on the split
// sizes (attention heads, vocab-parallel embedding and lm_head, expert
// parallelism) are adjusted here. The collectives are MLIR shard ops on
// `@tt_tp`. docs/Parallelism.md describes the scheme.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Shard/IR/ShardDialect.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"

namespace tt {
#define GEN_PASS_DEF_TTTENSORPARALLEL
#include "tt/Dialect/TT/Transforms/Passes.h.inc"
} // namespace tt

using namespace tt;

namespace {

/// How one tt.weight is held on a device.
struct WeightSplit {
  int64_t dim = -1;   // logical dimension cut; -1: whole tensor
  int64_t parts = 1;  // pieces along `dim` (may be < tp: replicated pieces)
  bool partial = false;
  Operation *firstUser = nullptr;

  bool operator==(const WeightSplit &o) const {
    return dim == o.dim && parts == o.parts && partial == o.partial;
  }
};

std::string describeSplit(const WeightSplit &s) {
  if (s.partial)
    return "partial";
  if (s.dim < 0)
    return "replicated";
  return "split in " + std::to_string(s.parts) + " along dimension " +
         std::to_string(s.dim);
}

bool inRange(MutableOperandRange mutableRange, unsigned index) {
  OperandRange range = mutableRange;
  return !range.empty() && range.getBeginOperandIndex() <= index &&
         index < range.getBeginOperandIndex() + range.size();
}

struct TensorParallelPass
    : public tt::impl::TTTensorParallelBase<TensorParallelPass> {
  using TTTensorParallelBase::TTTensorParallelBase;

  int64_t size = 1;
  llvm::MapVector<Operation *, WeightSplit> splits;
  bool failedPlan = false;

  /// Reports that `what` (a size of `op`) does not divide over the group.
  void notDivisible(Operation *op, StringRef what, int64_t value,
                    StringRef extra = "") {
    op->emitOpError() << "cannot be split over tensor-parallel size " << size
                      << ": " << what << " " << value
                      << " is not divisible by " << size << extra;
    failedPlan = true;
  }

  /// Records how operand `index` of `op`, a tt.weight result, splits.
  void plan(Operation *op, unsigned index, WeightSplit split) {
    auto weight = op->getOperand(index).getDefiningOp<WeightOp>();
    if (!weight)
      return;
    auto type = cast<RankedTensorType>(weight.getType());
    if (split.dim >= type.getRank()) {
      op->emitOpError() << "operand #" << index << " ('" << weight.getName()
                        << "') has rank " << type.getRank()
                        << " but its sharding splits dimension " << split.dim;
      failedPlan = true;
      return;
    }
    if (split.dim >= 0) {
      int64_t extent = type.getDimSize(split.dim);
      if (extent % split.parts != 0) {
        op->emitOpError() << "cannot be split over tensor-parallel size "
                          << size << ": weight '" << weight.getName()
                          << "' has " << extent << " along dimension "
                          << split.dim << ", not divisible by " << split.parts;
        failedPlan = true;
        return;
      }
      if (auto quant = dyn_cast<QuantType>(type.getElementType());
          quant && split.dim == type.getRank() - 1 &&
          (extent / split.parts) % quant.getBlockSize() != 0) {
        op->emitOpError() << "cannot be split over tensor-parallel size "
                          << size << ": weight '" << weight.getName()
                          << "' would keep " << extent / split.parts
                          << " elements of its last dimension per device, "
                             "not a multiple of the "
                          << stringifyQuantKind(quant.getKind())
                          << " block size " << quant.getBlockSize();
        failedPlan = true;
        return;
      }
    }
    split.firstUser = op;
    auto [it, inserted] = splits.try_emplace(weight, split);
    if (!inserted && !(it->second == split)) {
      InFlightDiagnostic diag =
          op->emitOpError()
          << "uses weight '" << weight.getName() << "' "
          << describeSplit(split) << ", but another op uses it "
          << describeSplit(it->second);
      diag.attachNote(it->second.firstUser->getLoc()) << "the other use";
      failedPlan = true;
    }
  }

  /// The generic split of a ShardKind (attention K/V override `parts`).
  WeightSplit splitFor(ShardKind kind, int64_t parts) {
    WeightSplit s;
    switch (kind) {
    case ShardKind::Replicated:
      break;
    case ShardKind::Partial:
      s.partial = true;
      break;
    case ShardKind::Column:
    case ShardKind::Vocab:
    case ShardKind::Expert:
      s.dim = 0;
      s.parts = parts;
      break;
    case ShardKind::Row:
      s.dim = 1;
      s.parts = parts;
      break;
    }
    return s;
  }

  void planOp(Operation *op, ShardingOpInterface sharding) {
    // Op-specific checks first: they name the model's dimensions.
    int64_t kvParts = size;
    if (auto attn = dyn_cast<AttentionOp>(op)) {
      if (attn.getAlibi()) {
        op->emitOpError() << "cannot be split over tensor-parallel size "
                          << size
                          << ": ALiBi slopes depend on the global head index";
        failedPlan = true;
        return;
      }
      int64_t heads = attn.getNumHeads(), kv = attn.getNumKvHeads();
      if (heads % size != 0)
        return notDivisible(op, "num_heads", heads);
      if (size <= kv) {
        if (kv % size != 0)
          return notDivisible(op, "num_kv_heads", kv);
      } else if (size % kv != 0) {
        op->emitOpError() << "cannot be split over tensor-parallel size "
                          << size << ": num_kv_heads " << kv
                          << " is smaller than " << size
                          << " and does not divide it, so KV heads cannot "
                             "be replicated evenly";
        failedPlan = true;
        return;
      }
      kvParts = std::min(size, kv);
    } else if (auto mlp = dyn_cast<MLPOp>(op)) {
      if (mlp.getIntermediateSize() % size != 0)
        return notDivisible(op, "intermediate size",
                            mlp.getIntermediateSize());
    } else if (auto moe = dyn_cast<MoEOp>(op)) {
      if (moe.getNumExperts() % size != 0)
        return notDivisible(op, "num_experts", moe.getNumExperts(),
                            " (experts are placed whole on devices)");
      if (Value sharedUp = moe.getSharedUp()) {
        int64_t si = cast<ShapedType>(sharedUp.getType()).getDimSize(0);
        if (si % size != 0)
          return notDivisible(op, "shared expert intermediate size", si);
      }
    } else if (auto emb = dyn_cast<EmbeddingOp>(op)) {
      if (emb.getVocabSize() % size != 0)
        return notDivisible(op, "vocab size", emb.getVocabSize());
    } else if (auto head = dyn_cast<LMHeadOp>(op)) {
      int64_t vocab =
          cast<ShapedType>(head.getWeight().getType()).getDimSize(0);
      if (vocab % size != 0)
        return notDivisible(op, "vocab size", vocab);
    }

    auto attn = dyn_cast<AttentionOp>(op);
    for (OpOperand &operand : op->getOpOperands()) {
      if (!operand.get().getDefiningOp<WeightOp>())
        continue;
      unsigned index = operand.getOperandNumber();
      int64_t parts = size;
      if (attn && (inRange(attn.getWkMutable(), index) ||
                   inRange(attn.getWvMutable(), index) ||
                   inRange(attn.getBkMutable(), index) ||
                   inRange(attn.getBvMutable(), index) ||
                   inRange(attn.getKNormMutable(), index)))
        parts = kvParts;
      plan(op, index, splitFor(sharding.getWeightSharding(index), parts));
    }
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto hw =
        module->getAttrOfType<HardwareAttr>(TTDialect::getHardwareAttrName());
    size = tp ? static_cast<int64_t>(tp) : (hw ? hw.getTensorParallel() : 1);
    if (size < 1) {
      mlir::emitError(module.getLoc())
          << "tt-tensor-parallel: tp must be at least 1, got " << size;
      return signalPassFailure();
    }
    if (size == 1)
      return markAllAnalysesPreserved();
    if (SymbolTable::lookupSymbolIn(module,
                                    TTDialect::getTensorParallelGridName())) {
      mlir::emitError(module.getLoc())
          << "tt-tensor-parallel: the module is already tensor-parallel "
             "(it has shard.grid @"
          << TTDialect::getTensorParallelGridName() << ")";
      return signalPassFailure();
    }

    // Plan every split first, so that a bad size changes nothing.
    SmallVector<Operation *> shardedOps;
    module.walk([&](Operation *op) {
      if (auto sharding = dyn_cast<ShardingOpInterface>(op)) {
        if (sharding.needsAllReduce() && op->getNumResults() != 1) {
          op->emitOpError() << "needs an all-reduce after it under tensor "
                               "parallelism, but has "
                            << op->getNumResults()
                            << " results; tt-tensor-parallel reduces one";
          failedPlan = true;
          return;
        }
        planOp(op, sharding);
        shardedOps.push_back(op);
        return;
      }
      // An op that does not say how to split runs whole on every device:
      // the weights it reads stay whole (a conflict with a split use is an
      // error).
      for (OpOperand &operand : op->getOpOperands())
        if (operand.get().getDefiningOp<WeightOp>())
          plan(op, operand.getOperandNumber(), WeightSplit());
    });
    if (failedPlan)
      return signalPassFailure();

    MLIRContext *ctx = module.getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToStart(module.getBody());
    shard::GridOp::create(b, module.getLoc(),
                          TTDialect::getTensorParallelGridName(),
                          ArrayRef<int64_t>{size});
    if (hw && hw.getTensorParallel() != size)
      module->setAttr(
          TTDialect::getHardwareAttrName(),
          HardwareAttr::get(ctx, hw.getDevice(), size,
                            hw.getPipelineParallel(), hw.getWeightDtype(),
                            hw.getQuantizeWeights(),
                            hw.getQuantizeActivations(), hw.getKvCacheDtype(),
                            hw.getFlashAttention(), hw.getFusedKernels(),
                            hw.getActivationCheckpointing(),
                            hw.getOptimizeForInference()));

    // The weights: per-device types and contract-1 attributes.
    Type i64 = IntegerType::get(ctx, 64);
    for (auto &[op, split] : splits) {
      auto weight = cast<WeightOp>(op);
      if (split.partial) {
        weight->setAttr("partial", UnitAttr::get(ctx));
        continue;
      }
      if (split.dim < 0)
        continue;
      auto type = cast<RankedTensorType>(weight.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape[split.dim] /= split.parts;
      weight.getResult().setType(type.clone(shape));
      // shard_dim names a dimension of the stored tensor.
      int64_t storedDim = weight.getTransposed() ? 1 - split.dim : split.dim;
      weight->setAttr("shard_dim", IntegerAttr::get(i64, storedDim));
      weight->setAttr("shard_parts", IntegerAttr::get(i64, split.parts));
    }

    // The ops: per-device attributes and the collectives.
    SmallVector<int16_t> axes = {0};
    StringRef grid = TTDialect::getTensorParallelGridName();
    for (Operation *op : shardedOps) {
      if (auto attn = dyn_cast<AttentionOp>(op)) {
        int64_t headDim = attn.getHeadDimOrDefault();
        int64_t kv = attn.getNumKvHeads();
        attn.setHeadDimAttr(IntegerAttr::get(i64, headDim));
        attn.setNumHeadsAttr(IntegerAttr::get(i64, attn.getNumHeads() / size));
        attn.setNumKvHeadsAttr(
            IntegerAttr::get(i64, kv / std::min(size, kv)));
      } else if (auto emb = dyn_cast<EmbeddingOp>(op)) {
        emb->setAttr(TTDialect::getVocabPerDeviceAttrName(),
                     IntegerAttr::get(i64, emb.getVocabSize()));
      } else if (auto moe = dyn_cast<MoEOp>(op)) {
        moe->setAttr(TTDialect::getExpertsPerDeviceAttrName(),
                     IntegerAttr::get(i64, moe.getNumExperts() / size));
      }

      auto sharding = cast<ShardingOpInterface>(op);
      if (op->getNumResults() != 1)
        continue;
      Value result = op->getResult(0);
      b.setInsertionPointAfter(op);
      if (auto head = dyn_cast<LMHeadOp>(op)) {
        // Each device computes its vocabulary slice; gather the logits.
        auto full = cast<RankedTensorType>(result.getType());
        SmallVector<int64_t> shape(full.getShape());
        shape.back() =
            cast<ShapedType>(head.getWeight().getType()).getDimSize(0);
        result.setType(full.clone(shape));
        auto gather = shard::AllGatherOp::create(
            b, op->getLoc(), full, grid, axes, result,
            llvm::APInt(64, full.getRank() - 1));
        result.replaceAllUsesExcept(gather.getResult(), gather);
        continue;
      }
      if (!sharding.needsAllReduce())
        continue;
      auto reduce = shard::AllReduceOp::create(
          b, op->getLoc(), result.getType(), grid, axes, result,
          shard::ReductionKind::Sum);
      result.replaceAllUsesExcept(reduce.getResult(), reduce);
    }
  }
};

} // namespace
