//===- AnnotateCosts.cpp - The ttx-annotate-costs pass --------------------===//
//
// Sets ttx.params and ttx.flops on every op implementing tt::CostOpInterface.
// The pass names no op: tt's layers and plugin layers are found alike.
//
//===----------------------------------------------------------------------===//

#include "TTExample/Passes.h"

#include "tt/Dialect/TT/IR/TTCost.h"
#include "tt/Dialect/TT/IR/TTInterfaces.h"

#include "mlir/IR/Builders.h"

namespace ttx {
#define GEN_PASS_DEF_TTXANNOTATECOSTS
#include "TTExample/Passes.h.inc"
} // namespace ttx

using namespace mlir;

namespace {
struct AnnotateCostsPass
    : public ttx::impl::TTXAnnotateCostsBase<AnnotateCostsPass> {
  using TTXAnnotateCostsBase::TTXAnnotateCostsBase;

  void runOnOperation() override {
    Builder builder(&getContext());
    const ::tt::CostPoint point = ::tt::CostPoint::decode(1);
    getOperation()->walk([&](::tt::CostOpInterface cost) {
      cost->setAttr("ttx.params",
                    builder.getI64IntegerAttr(cost.getParameterCount()));
      cost->setAttr("ttx.flops",
                    builder.getF64FloatAttr(cost.getFlopsPerToken(point)));
    });
  }
};
} // namespace
