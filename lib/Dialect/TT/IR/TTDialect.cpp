//===- TTDialect.cpp - The tt dialect -------------------------------------===//
//
// Registration, and verification of the dialect's discardable attributes:
// `tt.hardware` on the module is checked against every layer of the model.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTDialect.h"
#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/IR/BuiltinOps.h"

using namespace tt;

#include "tt/Dialect/TT/IR/TTDialect.cpp.inc"

void TTDialect::initialize() {
  registerAttributes();
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "tt/Dialect/TT/IR/TTOps.cpp.inc"
      >();
}

/// Checks that `size` splits `dim` evenly over `parallel` devices.
static LogicalResult checkDivides(Operation *op, StringRef parallelName,
                                  int64_t parallel, StringRef dimName,
                                  int64_t dim) {
  if (dim % parallel == 0)
    return success();
  return op->emitOpError() << parallelName << " = " << parallel
                           << " (from tt.hardware) does not divide " << dimName
                           << " = " << dim;
}

static LogicalResult verifyHardware(ModuleOp module, HardwareAttr hw) {
  int64_t tp = hw.getTensorParallel();
  int64_t pp = hw.getPipelineParallel();
  // After tt-tensor-parallel the module describes one device: its sizes
  // are already divided (the pass checked them against the whole model).
  bool tpApplied = SymbolTable::lookupSymbolIn(
                       module, TTDialect::getTensorParallelGridName()) != nullptr;
  WalkResult result = module.walk([&](Operation *op) -> WalkResult {
    if (tpApplied && isa<AttentionOp, MLPOp, MoEOp>(op))
      return WalkResult::advance();
    if (auto attn = dyn_cast<AttentionOp>(op)) {
      if (failed(checkDivides(op, "tensor_parallel", tp, "num_heads",
                              attn.getNumHeads())))
        return WalkResult::interrupt();
      int64_t kv = attn.getNumKvHeads();
      // With more devices than KV heads, each KV head is replicated on
      // tp / kv devices; that needs kv | tp.
      if (kv % tp != 0 && tp % kv != 0) {
        op->emitOpError() << "tensor_parallel = " << tp
                          << " (from tt.hardware) and num_kv_heads = " << kv
                          << " must divide one another (KV heads are split, "
                             "or replicated when there are fewer than devices)";
        return WalkResult::interrupt();
      }
    } else if (auto mlp = dyn_cast<MLPOp>(op)) {
      // This runs before the ops' own verifiers: skip shapes they reject.
      auto up = cast<ShapedType>(mlp.getUp().getType());
      if (up.getRank() == 2 &&
          failed(checkDivides(op, "tensor_parallel", tp, "intermediate size",
                              up.getDimSize(0))))
        return WalkResult::interrupt();
    } else if (auto moe = dyn_cast<MoEOp>(op)) {
      auto up = cast<ShapedType>(moe.getUp().getType());
      int64_t experts = moe.getNumExpertsAttr().getInt();
      // Experts are placed whole on devices (expert parallelism) when tp
      // divides their number, else each is split (tensor-parallel experts).
      if (up.getRank() == 3 && experts > 0 && experts % tp != 0 &&
          up.getDimSize(1) % tp != 0) {
        op->emitOpError() << "tensor_parallel = " << tp
                          << " (from tt.hardware) divides neither num_experts = "
                          << experts << " (expert parallelism) nor the expert "
                          << "intermediate size = " << up.getDimSize(1)
                          << " (tensor-parallel experts)";
        return WalkResult::interrupt();
      }
      if (Value sharedUp = moe.getSharedUp()) {
        auto shared = cast<ShapedType>(sharedUp.getType());
        if (shared.getRank() == 2 &&
            failed(checkDivides(op, "tensor_parallel", tp,
                                "shared expert intermediate size",
                                shared.getDimSize(0))))
          return WalkResult::interrupt();
      }
    } else if (auto func = dyn_cast<func::FuncOp>(op)) {
      int64_t layers = 0;
      for (Operation &nested : func.getOps())
        layers += isa<LayerOp>(nested);
      if (layers > 0 && pp > layers) {
        func.emitOpError() << "pipeline_parallel = " << pp
                           << " (from tt.hardware) exceeds the model's "
                           << layers << " layers";
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

LogicalResult TTDialect::verifyOperationAttribute(Operation *op,
                                                  NamedAttribute attr) {
  if (attr.getName() == getHardwareAttrName()) {
    auto hw = dyn_cast<HardwareAttr>(attr.getValue());
    if (!hw)
      return op->emitError() << "'" << getHardwareAttrName()
                             << "' must be a #tt.hardware attribute";
    auto module = dyn_cast<ModuleOp>(op);
    if (!module)
      return op->emitError() << "'" << getHardwareAttrName()
                             << "' belongs on a builtin.module";
    return verifyHardware(module, hw);
  }
  if (attr.getName() == getMaxPositionsAttrName()) {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    if (!value || value.getInt() < 1)
      return op->emitError() << "'" << getMaxPositionsAttrName()
                             << "' must be a positive integer";
    return success();
  }
  if (attr.getName() == getStageAttrName() ||
      attr.getName() == getVocabPerDeviceAttrName() ||
      attr.getName() == getExpertsPerDeviceAttrName()) {
    auto value = dyn_cast<IntegerAttr>(attr.getValue());
    bool isStage = attr.getName() == getStageAttrName();
    if (!value || value.getInt() < (isStage ? 0 : 1))
      return op->emitError() << "'" << attr.getName().getValue() << "' must be "
                             << (isStage ? "a non-negative" : "a positive")
                             << " integer";
    if (isStage) {
      auto grid = dyn_cast_or_null<shard::GridOp>(
          SymbolTable::lookupNearestSymbolFrom(
              op, StringAttr::get(op->getContext(),
                                  getPipelineParallelGridName())));
      if (!grid)
        return op->emitError() << "'" << getStageAttrName()
                               << "' needs a shard.grid @"
                               << getPipelineParallelGridName()
                               << " in the module";
      ArrayRef<int64_t> shape = grid.getShape();
      if (shape.size() == 1 && !ShapedType::isDynamic(shape[0]) &&
          value.getInt() >= shape[0])
        return op->emitError() << "'" << getStageAttrName() << "' is "
                               << value.getInt() << " but @"
                               << getPipelineParallelGridName() << " has "
                               << shape[0] << " stages";
    } else if (!isa<EmbeddingOp, MoEOp>(op) ||
               (attr.getName() == getVocabPerDeviceAttrName()) !=
                   isa<EmbeddingOp>(op)) {
      return op->emitError() << "'" << attr.getName().getValue()
                             << "' belongs on "
                             << (attr.getName() == getVocabPerDeviceAttrName()
                                     ? "tt.embedding"
                                     : "tt.moe");
    }
    return success();
  }
  // tt-fuse / tt-kv-cache (tt/Dialect/TT/Transforms/Fusion.h).
  if (attr.getName() == "tt.fuse") {
    auto list = dyn_cast<ArrayAttr>(attr.getValue());
    bool attention = isa<AttentionOp>(op);
    if (!list || (!attention && !isa<MLPOp>(op)))
      return op->emitError("'tt.fuse' must be an array of fusion names on "
                           "tt.attention or tt.mlp");
    for (Attribute a : list) {
      auto s = dyn_cast<StringAttr>(a);
      StringRef n = s ? s.getValue() : "";
      if (!(n == "norm" || n == "residual" ||
            (attention && (n == "qkv" || n == "rope")) ||
            (!attention && n == "gate_up")))
        return op->emitError()
               << "'tt.fuse' entry " << a << " is not a fusion of "
               << op->getName() << " (expected "
               << (attention ? "norm, qkv, rope, residual"
                             : "norm, gate_up, residual")
               << ")";
    }
    return success();
  }
  if (attr.getName() == "tt.fused") {
    if (!isa<UnitAttr>(attr.getValue()) || !isa<NormOp, AddOp>(op))
      return op->emitError("'tt.fused' is a unit attribute of tt.norm or "
                           "tt.add");
    return success();
  }
  if (attr.getName() == "tt.kv_cache_dtype") {
    auto t = dyn_cast<TypeAttr>(attr.getValue());
    Type v = t ? t.getValue() : Type();
    if (!v || !(v.isF32() || v.isF16() || v.isBF16() ||
                v.isSignlessInteger(8) ||
                isa<Float8E4M3FNType, Float8E5M2Type>(v)))
      return op->emitError("'tt.kv_cache_dtype' must be one of f32, f16, "
                           "bf16, i8, f8E4M3FN, f8E5M2");
    auto cost = dyn_cast<CostOpInterface>(op);
    if (!cost || cost.getKVCacheBytesPerToken(16) <= 0)
      return op->emitError("'tt.kv_cache_dtype' belongs on an op with a KV "
                           "cache (tt.attention)");
    return success();
  }
  // The importers' ALiBi maximum bias when it is not 8 (MPT).
  if (attr.getName() == "tt.alibi_max_bias") {
    auto f = dyn_cast<FloatAttr>(attr.getValue());
    auto attn = dyn_cast<AttentionOp>(op);
    if (!f || !(f.getValueAsDouble() > 0) || !attn || !attn.getAlibi())
      return op->emitError("'tt.alibi_max_bias' must be a positive float on "
                           "an alibi tt.attention");
    return success();
  }
  // convert-tt-to-linalg also emits the batched decode step (RuntimeABI.h).
  if (attr.getName() == "tt.decode_batch") {
    if (!isa<UnitAttr>(attr.getValue()) || !isa<ModuleOp>(op))
      return op->emitError("'tt.decode_batch' is a unit attribute of a "
                           "builtin.module");
    return success();
  }
  return op->emitError() << "unknown tt attribute '"
                         << attr.getName().getValue() << "'";
}
