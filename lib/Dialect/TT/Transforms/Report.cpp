//===- Report.cpp - The tt-report pass ------------------------------------===//

#include "tt/Dialect/TT/Analysis/ModelSummary.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

#include "llvm/Support/FormatVariadic.h"
#include <cmath>
#include <cstdlib>
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
                         << static_cast<int64_t>(seqLen)
                         << " context=" << static_cast<int64_t>(context);
      return signalPassFailure();
    }
    FailureOr<ModelSummary> summary = summarizeModel(module, seqLen, context);
    if (failed(summary))
      return signalPassFailure();
    if (expectedParams < 0 || expectedLayers < 0) {
      module.emitError() << "tt-report needs non-negative expected-params "
                            "and expected-layers, got expected-params="
                         << static_cast<int64_t>(expectedParams)
                         << " expected-layers="
                         << static_cast<int64_t>(expectedLayers);
      return signalPassFailure();
    }
    llvm::json::Value json = summary->toJSON();
    if (expectedParams > 0 || expectedLayers > 0) {
      llvm::json::Array discrepancies;
      auto relDiff = [](int64_t actual, int64_t expected) {
        return std::abs(static_cast<double>(actual) -
                        static_cast<double>(expected)) /
               static_cast<double>(expected);
      };
      if (expectedParams > 0) {
        double d = relDiff(summary->totalParams, expectedParams);
        if (d > 0.01)
          discrepancies.push_back(llvm::formatv(
              "total_params {0} differs from expected {1}: relative "
              "difference {2:F2}% (tolerance 1%)",
              summary->totalParams, expectedParams, d * 100.0).str());
      }
      if (expectedLayers > 0 && summary->numLayers != expectedLayers) {
        double d = relDiff(summary->numLayers, expectedLayers);
        discrepancies.push_back(llvm::formatv(
            "num_layers {0} differs from expected {1}: relative "
            "difference {2:F2}%",
            summary->numLayers, expectedLayers, d * 100.0).str());
      }
      for (const llvm::json::Value &d : discrepancies)
        mlir::emitWarning(module.getLoc()) << "tt-report validation: " << *d.getAsString();
      bool valid = discrepancies.empty();
      json.getAsObject()->insert(
          {"validation",
           llvm::json::Object{{"valid", valid},
                              {"discrepancies", std::move(discrepancies)}}});
    }
    if (pretty)
      llvm::outs() << llvm::formatv("{0:2}", json) << "\n";
    else
      llvm::outs() << json << "\n";
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }
};
} // namespace
