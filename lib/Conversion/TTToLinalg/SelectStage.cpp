//===- SelectStage.cpp - Keep one pipeline stage of a model ---------------===//
//
// tt-select-stage{stage=k}: what the process of stage k compiles. Ops are
// walked backwards so that an op without its own stage (a weight another
// stage declared, a constant) is kept exactly when a kept op uses it.
//
//===----------------------------------------------------------------------===//

#include "tt/Conversion/Passes.h"
#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "llvm/ADT/DenseSet.h"

namespace tt {
#define GEN_PASS_DEF_TTSELECTSTAGE
#include "tt/Conversion/Passes.h.inc"
} // namespace tt

using namespace mlir;
using namespace tt;

namespace {

constexpr StringLiteral kStageAttr = "tt.stage";

std::optional<int64_t> stageOf(Operation *op) {
  if (auto a = op->getAttrOfType<IntegerAttr>(kStageAttr))
    return a.getInt();
  return std::nullopt;
}

bool hasTT(func::FuncOp fn) {
  bool found = false;
  fn.walk([&](Operation *op) {
    if (isa<TTDialect>(op->getDialect()))
      found = true;
  });
  return found;
}

struct SelectStagePass : tt::impl::TTSelectStageBase<SelectStagePass> {
  using TTSelectStageBase::TTSelectStageBase;

  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (!fn.isExternal() && hasTT(fn) && failed(cut(fn)))
        return signalPassFailure();
  }

  LogicalResult cut(func::FuncOp fn) {
    Block &body = fn.getBody().front();
    int64_t stages = 0;
    for (Operation &op : body)
      if (auto s = stageOf(&op)) {
        if (*s < 0)
          return op.emitOpError() << "has a negative tt.stage " << *s;
        stages = std::max(stages, *s + 1);
      }
    if (stages == 0)
      return fn.emitError() << "model @" << fn.getSymName()
                            << " has no tt.stage attributes: run "
                               "tt-pipeline-parallel before tt-select-stage";
    const int64_t k = stage;
    if (k < 0 || k >= stages)
      return fn.emitError()
             << "tt-select-stage: stage " << k << " is not a stage of @"
             << fn.getSymName() << ", which has " << stages << " (0 .. "
             << stages - 1 << ")";

    auto ret = cast<func::ReturnOp>(body.getTerminator());
    llvm::DenseSet<Operation *> kept;
    kept.insert(ret);
    SmallVector<Operation *> erased;
    for (Operation &op : llvm::reverse(body.without_terminator())) {
      std::optional<int64_t> s = stageOf(&op);
      bool keep;
      if (s && !isa<WeightOp>(op)) {
        keep = *s == k;
      } else {
        keep = llvm::any_of(op.getUsers(), [&](Operation *user) {
          // The user may be nested (a weight used inside a tt.layer).
          Operation *top = body.findAncestorOpInBlock(*user);
          return top && top != ret && kept.contains(top);
        });
        // A weight with its own stage also stays on that stage.
        keep |= s && *s == k;
      }
      if (keep)
        kept.insert(&op);
      else
        erased.push_back(&op);
    }

    // What crosses into this stage must come through a recv.
    OpBuilder b(fn.getContext());
    for (Operation &op : body.without_terminator()) {
      if (!kept.contains(&op))
        continue;
      for (OpOperand &use : op.getOpOperands()) {
        Operation *def = use.get().getDefiningOp();
        if (!def || kept.contains(def))
          continue;
        if (isa<shard::RecvOp>(op) && use.getOperandNumber() == 0) {
          b.setInsertionPoint(&op);
          use.set(ub::PoisonOp::create(b, op.getLoc(), use.get().getType()));
          continue;
        }
        auto diag = op.emitOpError()
                    << "of stage " << k << " uses a value computed on "
                    << "stage " << stageOf(def).value_or(-1)
                    << " without a shard.recv";
        diag.attachNote(def->getLoc()) << "computed here";
        return diag;
      }
    }

    // Only the stage that computes the logits returns them.
    bool returnsHere = llvm::all_of(ret.getOperands(), [&](Value v) {
      Operation *def = v.getDefiningOp();
      return !def || kept.contains(def);
    });
    if (!returnsHere) {
      b.setInsertionPoint(ret);
      func::ReturnOp::create(b, ret.getLoc());
      ret.erase();
      fn.setFunctionType(
          FunctionType::get(fn.getContext(), fn.getArgumentTypes(), {}));
    }

    // `erased` is in reverse order: users go before what they use.
    for (Operation *op : erased) {
      op->dropAllUses();
      op->erase();
    }

    // The stage's layers count from 0: a layer's index selects its KV
    // cache, and this process holds caches for its own layers only.
    int64_t first = -1;
    for (auto layer : body.getOps<LayerOp>()) {
      int64_t index = layer.getIndex();
      if (first < 0)
        first = index;
      layer.setIndex(index - first);
    }
    return success();
  }
};

} // namespace
