//===- PipelineParallel.cpp - The tt-pipeline-parallel pass ---------------===//
//
// Cuts each model function into `pp` contiguous pipeline stages, balanced
// by CostOpInterface (bytes per token at decode), tags every op with
// `tt.stage` and makes the residual stream's crossings explicit with
// shard.send / shard.recv on `@tt_pp`. docs/Parallelism.md describes it.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/Analysis/Estimate.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Shard/IR/ShardDialect.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

namespace tt {
#define GEN_PASS_DEF_TTPIPELINEPARALLEL
#include "tt/Dialect/TT/Transforms/Passes.h.inc"
} // namespace tt

using namespace tt;

namespace {

struct PipelineParallelPass
    : public tt::impl::TTPipelineParallelBase<PipelineParallelPass> {
  using TTPipelineParallelBase::TTPipelineParallelBase;

  int64_t stages = 1;
  CostPoint point;

  /// Decode bytes per token of everything nested in `ops`.
  double load(ArrayRef<Operation *> ops) {
    double total = 0;
    for (Operation *top : ops)
      top->walk([&](CostOpInterface cost) {
        total += cost.getBytesPerToken(point);
      });
    return total;
  }

  LogicalResult runOnFunction(func::FuncOp func) {
    SmallVector<Operation *> before, after;
    SmallVector<LayerOp> layers;
    for (Operation &op : func.getBody().getOps()) {
      if (auto layer = dyn_cast<LayerOp>(op))
        layers.push_back(layer);
      else
        (layers.empty() ? before : after).push_back(&op);
    }
    if (layers.empty())
      return success();
    int64_t numLayers = layers.size();
    if (stages > numLayers)
      return func.emitOpError()
             << "cannot be split into " << stages
             << " pipeline stages: it has " << numLayers
             << " tt.layer ops and every stage needs at least one";

    // Stage of every top-level op; weights are placed by their users.
    SmallVector<double> loads;
    for (LayerOp layer : layers)
      loads.push_back(load({layer.getOperation()}));
    auto notWeight = [](Operation *op) { return !isa<WeightOp>(op); };
    SmallVector<Operation *> pre(llvm::make_filter_range(before, notWeight));
    SmallVector<Operation *> post(llvm::make_filter_range(after, notWeight));
    std::vector<int64_t> counts =
        balanceStages(loads, load(pre), load(post), stages);

    llvm::DenseMap<Operation *, int64_t> stageOf;
    for (Operation *op : pre)
      stageOf[op] = 0;
    for (Operation *op : post)
      stageOf[op] = stages - 1;
    SmallVector<LayerOp> lastOfStage;
    int64_t next = 0;
    for (int64_t s = 0; s < stages; ++s) {
      for (int64_t i = 0; i < counts[s]; ++i)
        stageOf[layers[next + i]] = s;
      next += counts[s];
      lastOfStage.push_back(layers[next - 1]);
    }

    // A top-level weight goes to the stage of its users; one used on
    // several stages (a tied embedding and lm_head) is cloned per stage.
    for (Operation &op : llvm::make_early_inc_range(func.getBody().getOps())) {
      auto weight = dyn_cast<WeightOp>(op);
      if (!weight)
        continue;
      llvm::SmallSetVector<int64_t, 2> userStages;
      for (Operation *user : weight->getUsers()) {
        Operation *top = func.getBody().front().findAncestorOpInBlock(*user);
        userStages.insert(stageOf.lookup(top));
      }
      if (userStages.empty()) {
        stageOf[weight] = 0;
        continue;
      }
      stageOf[weight] = userStages[0];
      OpBuilder b(weight);
      for (int64_t s : llvm::drop_begin(userStages)) {
        Operation *clone = b.clone(*weight);
        stageOf[clone] = s;
        weight.getResult().replaceUsesWithIf(
            clone->getResult(0), [&](OpOperand &use) {
              Operation *top =
                  func.getBody().front().findAncestorOpInBlock(*use.getOwner());
              return stageOf.lookup(top) == s;
            });
      }
    }

    // Only the residual stream, from one stage to the next, may cross.
    llvm::DenseMap<Operation *, LayerOp> boundaryOf;
    for (int64_t s = 0; s + 1 < stages; ++s)
      boundaryOf[lastOfStage[s]] = lastOfStage[s];
    for (Operation &op : func.getBody().getOps()) {
      int64_t s = stageOf.lookup(&op);
      for (Value operand : op.getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (!def || def->getBlock() != op.getBlock())
          continue;
        int64_t from = stageOf.lookup(def);
        if (from == s)
          continue;
        if (boundaryOf.count(def) && from + 1 == s)
          continue;
        InFlightDiagnostic diag =
            op.emitOpError()
            << "on pipeline stage " << s << " uses a value of stage " << from
            << "; only the residual stream between consecutive layers may "
               "cross a stage boundary";
        diag.attachNote(def->getLoc()) << "defined here";
        return failure();
      }
    }

    MLIRContext *ctx = func.getContext();
    Type i64 = IntegerType::get(ctx, 64);
    auto stageAttr = [&](int64_t s) { return IntegerAttr::get(i64, s); };
    for (Operation &op : func.getBody().getOps()) {
      IntegerAttr attr = stageAttr(stageOf.lookup(&op));
      op.walk([&](Operation *nested) {
        nested->setAttr(TTDialect::getStageAttrName(), attr);
      });
    }

    StringRef grid = TTDialect::getPipelineParallelGridName();
    SmallVector<int16_t> axes = {0};
    for (int64_t s = 0; s + 1 < stages; ++s) {
      LayerOp last = lastOfStage[s];
      Value stream = last.getResult();
      OpBuilder b(ctx);
      b.setInsertionPointAfter(last);
      auto send = shard::SendOp::create(
          b, last.getLoc(), stream.getType(), grid, axes, stream,
          b.getDenseI64ArrayAttr({s + 1}), ValueRange());
      send->setAttr(TTDialect::getStageAttrName(), stageAttr(s));
      auto recv = shard::RecvOp::create(
          b, last.getLoc(), stream.getType(), grid, axes, send.getResult(),
          b.getDenseI64ArrayAttr({s}), ValueRange());
      recv->setAttr(TTDialect::getStageAttrName(), stageAttr(s + 1));
      stream.replaceUsesWithIf(recv.getResult(), [&](OpOperand &use) {
        return use.getOwner() != send;
      });
    }
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto hw =
        module->getAttrOfType<HardwareAttr>(TTDialect::getHardwareAttrName());
    stages = pp ? static_cast<int64_t>(pp) : (hw ? hw.getPipelineParallel() : 1);
    if (stages < 1 || context < 1) {
      mlir::emitError(module.getLoc())
          << "tt-pipeline-parallel: pp and context must be at least 1, got pp="
          << stages << " context=" << static_cast<int64_t>(context);
      return signalPassFailure();
    }
    if (stages == 1)
      return markAllAnalysesPreserved();
    if (SymbolTable::lookupSymbolIn(module,
                                    TTDialect::getPipelineParallelGridName())) {
      mlir::emitError(module.getLoc())
          << "tt-pipeline-parallel: the module is already pipelined (it has "
             "shard.grid @"
          << TTDialect::getPipelineParallelGridName() << ")";
      return signalPassFailure();
    }
    unsigned kvBits = 16;
    if (hw && hw.getKvCacheDtype())
      kvBits = static_cast<unsigned>(
          getStorageBitsPerElement(hw.getKvCacheDtype()));
    point = CostPoint::decode(context, kvBits);

    int64_t layered = 0;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (llvm::any_of(func.getBody().getOps(),
                       [](Operation &op) { return isa<LayerOp>(op); }))
        ++layered;
      if (failed(runOnFunction(func)))
        return signalPassFailure();
    }
    if (layered == 0) {
      mlir::emitError(module.getLoc())
          << "tt-pipeline-parallel: pp=" << stages
          << " needs a function with tt.layer ops to cut into stages";
      return signalPassFailure();
    }

    MLIRContext *ctx = module.getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToStart(module.getBody());
    shard::GridOp::create(b, module.getLoc(),
                          TTDialect::getPipelineParallelGridName(),
                          ArrayRef<int64_t>{stages});
    if (hw && hw.getPipelineParallel() != stages)
      module->setAttr(
          TTDialect::getHardwareAttrName(),
          HardwareAttr::get(ctx, hw.getDevice(), hw.getTensorParallel(),
                            stages, hw.getWeightDtype(),
                            hw.getQuantizeWeights(),
                            hw.getQuantizeActivations(), hw.getKvCacheDtype(),
                            hw.getFlashAttention(), hw.getFusedKernels(),
                            hw.getActivationCheckpointing(),
                            hw.getOptimizeForInference()));
  }
};

} // namespace
