//===- Report.cpp - The tt-report pass ------------------------------------===//

#include "tt/Dialect/TT/Analysis/Estimate.h"
#include "tt/Dialect/TT/Analysis/ModelSummary.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <cstdlib>

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
      mlir::emitError(module.getLoc())
          << "tt-report needs seq-len and context of at least "
             "1, got seq-len="
          << static_cast<int64_t>(seqLen)
          << " context=" << static_cast<int64_t>(context);
      return signalPassFailure();
    }
    FailureOr<ModelSummary> summary = summarizeModel(module, seqLen, context);
    if (failed(summary))
      return signalPassFailure();
    if (expectedParams < 0 || expectedLayers < 0) {
      mlir::emitError(module.getLoc())
          << "tt-report needs non-negative expected-params "
             "and expected-layers, got expected-params="
          << static_cast<int64_t>(expectedParams)
          << " expected-layers=" << static_cast<int64_t>(expectedLayers);
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
          discrepancies.push_back(
              llvm::formatv(
                  "total_params {0} differs from expected {1}: relative "
                  "difference {2:F2}% (tolerance 1%)",
                  summary->totalParams, expectedParams, d * 100.0)
                  .str());
      }
      if (expectedLayers > 0 && summary->numLayers != expectedLayers) {
        double d = relDiff(summary->numLayers, expectedLayers);
        discrepancies.push_back(
            llvm::formatv("num_layers {0} differs from expected {1}: relative "
                          "difference {2:F2}%",
                          summary->numLayers, expectedLayers, d * 100.0)
                .str());
      }
      for (const llvm::json::Value &d : discrepancies)
        mlir::emitWarning(module.getLoc())
            << "tt-report validation: " << *d.getAsString();
      bool valid = discrepancies.empty();
      json.getAsObject()->insert(
          {"validation",
           llvm::json::Object{{"valid", valid},
                              {"discrepancies", std::move(discrepancies)}}});
    }
    if (failed(addEstimate(module, *json.getAsObject())))
      return signalPassFailure();
    if (pretty)
      llvm::outs() << llvm::formatv("{0:2}", json) << "\n";
    else
      llvm::outs() << json << "\n";
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }

  /// The `estimate` object, when a hardware profile is given.
  LogicalResult addEstimate(ModuleOp module, llvm::json::Object &json) {
    bool wantsHardware = batch != 1 || tp != 0 || pp != 0 ||
                         memoryBudget != 0 || fit || maxDevices != 0 ||
                         !weightDtype.empty() || !rooflineSvg.empty();
    if (hardware.empty()) {
      if (wantsHardware)
        return mlir::emitError(module.getLoc())
               << "tt-report: batch, tp, pp, memory-budget, fit, "
                  "max-devices, weight-dtype and roofline-svg need "
                  "hardware=NAME (a profile in "
               << getDefaultHardwareDir() << ")";
      return success();
    }
    if (memoryBudget < 0 || maxDevices < 0 || tp < 0 || pp < 0)
      return mlir::emitError(module.getLoc())
             << "tt-report: memory-budget, max-devices, tp and pp must not "
                "be negative";
    llvm::Expected<HardwareProfile> profile =
        loadHardwareProfile(hardware, getDefaultHardwareDir());
    if (!profile)
      return mlir::emitError(module.getLoc())
             << "tt-report: " << llvm::toString(profile.takeError());
    EstimateOptions options;
    options.batch = batch;
    options.seqLen = seqLen;
    options.context = context;
    options.tp = tp;
    options.pp = pp;
    options.memoryBudget = memoryBudget;
    options.weightDtype = weightDtype;
    Estimate estimate;
    std::string reason;
    if (fit) {
      if (tp != 0 || pp != 0)
        return mlir::emitError(module.getLoc())
               << "tt-report: fit=1 chooses tp and pp; do not give them";
      FailureOr<FitResult> result =
          fitModel(module, *profile, options, maxDevices);
      if (failed(result))
        return failure();
      estimate = std::move(result->estimate);
      reason = std::move(result->reason);
    } else {
      FailureOr<Estimate> result = estimateModel(module, *profile, options);
      if (failed(result))
        return failure();
      estimate = std::move(*result);
    }
    llvm::json::Value value = estimate.toJSON();
    llvm::json::Object &obj = *value.getAsObject();
    obj["profile"] = profile->toJSON();
    if (fit)
      obj["fit"] = llvm::json::Object{
          {"tp", estimate.tp},
          {"pp", estimate.pp},
          {"weight_dtype", estimate.weightDtype.empty() ? std::string("model")
                                                        : estimate.weightDtype},
          {"reason", reason}};
    if (!rooflineSvg.empty()) {
      std::error_code ec;
      llvm::raw_fd_ostream os(rooflineSvg, ec, llvm::sys::fs::OF_Text);
      if (ec)
        return mlir::emitError(module.getLoc())
               << "tt-report: cannot write roofline-svg '" << rooflineSvg
               << "': " << ec.message();
      os << renderRooflineSVG(estimate, *profile);
    }
    json["estimate"] = std::move(value);
    return success();
  }
};
} // namespace
