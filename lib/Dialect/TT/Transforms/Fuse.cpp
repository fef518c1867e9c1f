//===- Fuse.cpp - The tt-fuse pass ----------------------------------------===//
//
// Marks what the CPU lowering computes together (tt/Dialect/TT/Transforms/
// Fusion.h): projections sharing an activation, the norm feeding them, the
// residual add after a sublayer, and RoPE inside attention. The ops are kept;
// the attributes say which lowering to use.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTInterfaces.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Fusion.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dominance.h"

namespace tt {
#define GEN_PASS_DEF_TTFUSE
#include "tt/Dialect/TT/Transforms/Passes.h.inc"
} // namespace tt

using namespace mlir;
using namespace tt;

namespace {

/// Adds `names` to op's tt.fuse, keeping the canonical order.
void addFusions(Operation *op, ArrayRef<StringRef> names) {
  static constexpr StringLiteral order[] = {fusion::kNorm, fusion::kQKV,
                                            fusion::kGateUp, fusion::kRope,
                                            fusion::kResidual};
  SmallVector<Attribute> list;
  for (StringRef name : order)
    if (fusion::fuses(op, name) || llvm::is_contained(names, name))
      list.push_back(StringAttr::get(op->getContext(), name));
  if (!list.empty())
    op->setAttr(fusion::kFuseAttr, ArrayAttr::get(op->getContext(), list));
}

struct FusePass : public tt::impl::TTFuseBase<FusePass> {
  using TTFuseBase::TTFuseBase;

  void runOnOperation() override {
    getOperation().walk([&](func::FuncOp fn) {
      DominanceInfo dom(fn);
      fn.walk([&](Operation *op) {
        if (auto a = dyn_cast<AttentionOp>(op))
          fuseAttention(a, dom);
        else if (auto m = dyn_cast<MLPOp>(op))
          fuseMLP(m, dom);
      });
    });
  }

  /// The pre-norm feeding `op` as its only use, if it can be computed in
  /// op's first projection call.
  static NormOp fusableNorm(Operation *op, Value input) {
    auto n = input.getDefiningOp<NormOp>();
    if (!n || !n->hasOneUse() || fusion::isFused(n))
      return {};
    return n;
  }

  /// The tt.add taking `op`'s only result, when its other operand is
  /// available before `op` (so the sublayer's last projection can add it).
  static AddOp fusableResidual(Operation *op, DominanceInfo &dom) {
    if (!isSublayer(op))
      return {};
    if (op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
      return {};
    auto add = dyn_cast<AddOp>(*op->getResult(0).getUsers().begin());
    if (!add || fusion::isFused(add))
      return {};
    Value other =
        add.getLhs() == op->getResult(0) ? add.getRhs() : add.getLhs();
    if (other == op->getResult(0) || !dom.properlyDominates(other, op))
      return {};
    return add;
  }

  void fuseAttention(AttentionOp a, DominanceInfo &dom) {
    SmallVector<StringRef> names;
    if (qkv) {
      names.push_back(fusion::kQKV);
      if (norm)
        if (NormOp n = fusableNorm(a, a.getInput())) {
          n->setAttr(fusion::kFusedAttr, UnitAttr::get(&getContext()));
          names.push_back(fusion::kNorm);
        }
    }
    if (rope && fusion::isStaticRope(a.getRopeAttr()))
      names.push_back(fusion::kRope);
    if (residual)
      if (AddOp add = fusableResidual(a, dom)) {
        add->setAttr(fusion::kFusedAttr, UnitAttr::get(&getContext()));
        names.push_back(fusion::kResidual);
      }
    addFusions(a, names);
  }

  void fuseMLP(MLPOp m, DominanceInfo &dom) {
    SmallVector<StringRef> names;
    // One call for the first projections: gate and up together, or up alone.
    bool oneCall = !m.getGate() || gateUp;
    if (gateUp && m.getGate())
      names.push_back(fusion::kGateUp);
    if (norm && oneCall)
      if (NormOp n = fusableNorm(m, m.getInput())) {
        n->setAttr(fusion::kFusedAttr, UnitAttr::get(&getContext()));
        names.push_back(fusion::kNorm);
      }
    if (residual)
      if (AddOp add = fusableResidual(m, dom)) {
        add->setAttr(fusion::kFusedAttr, UnitAttr::get(&getContext()));
        names.push_back(fusion::kResidual);
      }
    addFusions(m, names);
  }
};

} // namespace
