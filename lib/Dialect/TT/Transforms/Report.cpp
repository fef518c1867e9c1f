//===- Report.cpp - The tt-report pass ------------------------------------===//

#include "tt/Dialect/TT/Analysis/ModelSummary.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace tt {
#define GEN_PASS_DEF_TTREPORT
#include "tt/Dialect/TT/Transforms/Passes.h.inc"
} // namespace tt

using namespace tt;

namespace {
struct ReportPass : public tt::impl::TTReportBase<ReportPass> {
  using TTReportBase::TTReportBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (seqLen < 1 || context < 1) {
      module.emitError() << "tt-report needs seq-len and context of at least "
                            "1, got seq-len="
                         << seqLen << " context=" << context;
      return signalPassFailure();
    }
    FailureOr<ModelSummary> summary = summarizeModel(module, seqLen, context);
    if (failed(summary))
      return signalPassFailure();
    llvm::json::Value json = summary->toJSON();
    if (pretty)
      llvm::outs() << llvm::formatv("{0:2}", json) << "\n";
    else
      llvm::outs() << json << "\n";
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }
};
} // namespace
