//===- Quantize.cpp - tt-quantize: weight-only quantisation ---------------===//
//
// Re-types the weight matrices that QuantizableOpInterface names and records
// their source type as `stored_type`; the runtime re-encodes them at bind
// time. The decision is made per tt.weight over all its uses, so a tensor
// shared by two ops (a tied embedding and lm_head) gets one type.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MathExtras.h"

namespace tt {
#define GEN_PASS_DEF_TTQUANTIZE
#include "tt/Dialect/TT/Transforms/Passes.h.inc"
} // namespace tt

using namespace tt;

namespace {

/// One `exclude` entry: a layer kind, and the same text as a name glob.
struct ExcludeEntry {
  std::string text;
  llvm::GlobPattern glob;
  bool used = false;
};

/// Why a weight is left as it is (empty: it is quantised).
struct Decision {
  std::string keepReason;
  bool warn = false;
};

struct QuantizePass : public tt::impl::TTQuantizeBase<QuantizePass> {
  using TTQuantizeBase::TTQuantizeBase;

  void runOnOperation() override;

private:
  /// The target element type from the options, or an error at the module.
  FailureOr<QuantType> targetType(ModuleOp module);
  /// The kind of layer `op` is, for `exclude`.
  static std::string layerKind(Operation *op);
};

} // namespace

std::string QuantizePass::layerKind(Operation *op) {
  if (auto cost = dyn_cast<CostOpInterface>(op))
    return cost.getLayerKind();
  return op->getName().stripDialect().str();
}

FailureOr<QuantType> QuantizePass::targetType(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  std::string name = StringRef(format).trim().lower();
  if (name.empty()) {
    module.emitError("tt-quantize needs format=FORMAT (int8, int4, q8_0, "
                     "q4_0, mxint8, mxfp4, fp8)");
    return failure();
  }
  if (name == "fp8")
    name = "fp8_e4m3";
  std::optional<QuantKind> kind = symbolizeQuantKind(name);
  bool known =
      kind &&
      (QuantType::isGroupWise(*kind) ||
       llvm::is_contained({QuantKind::q8_0, QuantKind::q4_0, QuantKind::mxint8,
                           QuantKind::mxfp4, QuantKind::fp8_e4m3},
                          *kind));
  if (!known) {
    module.emitError() << "tt-quantize: unknown format '" << format
                       << "' (expected int8, int4, q8_0, q4_0, mxint8, "
                          "mxfp4 or fp8)";
    return failure();
  }
  if (!QuantType::isGroupWise(*kind)) {
    if (groupSize.hasValue() || symmetric.hasValue()) {
      module.emitError() << "tt-quantize: format " << name
                         << " has fixed blocks of "
                         << QuantType::get(ctx, *kind).getBlockSize()
                         << "; group-size and symmetric apply to int8 and "
                            "int4 only";
      return failure();
    }
    return QuantType::get(ctx, *kind);
  }
  int64_t group = groupSize;
  if (group < 32 || group > 4096 ||
      !llvm::isPowerOf2_64(static_cast<uint64_t>(group))) {
    module.emitError() << "tt-quantize: group-size must be a power of two "
                          "from 32 to 4096, got "
                       << group;
    return failure();
  }
  return QuantType::get(ctx, *kind, group, !symmetric);
}

void QuantizePass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<QuantType> target = targetType(module);
  if (failed(target))
    return signalPassFailure();

  SmallVector<ExcludeEntry> excludes;
  for (const std::string &text : exclude) {
    auto glob = llvm::GlobPattern::create(text);
    if (!glob) {
      module.emitError() << "tt-quantize: bad exclude pattern '" << text
                         << "': " << llvm::toString(glob.takeError());
      return signalPassFailure();
    }
    excludes.push_back({text, std::move(*glob)});
  }

  // The quantisable uses of each weight, in the order the IR names them.
  llvm::MapVector<Operation *, SmallVector<OpOperand *>> quantizableUses;
  module.walk([&](QuantizableOpInterface op) {
    for (unsigned index : op.getQuantizableWeightOperands()) {
      OpOperand &operand = op->getOpOperand(index);
      if (auto weight = operand.get().getDefiningOp<WeightOp>())
        quantizableUses[weight].push_back(&operand);
    }
  });

  llvm::MapVector<Operation *, Decision> decisions;
  for (auto &[weightOp, uses] : quantizableUses) {
    auto weight = cast<WeightOp>(weightOp);
    auto type = cast<RankedTensorType>(weight.getType());
    Type element = type.getElementType();
    Decision decision;
    // Exclusion by any user, or by name, keeps the shared tensor whole.
    for (OpOperand *use : uses) {
      std::string kind = layerKind(use->getOwner());
      for (ExcludeEntry &entry : excludes) {
        if (entry.text == kind || entry.glob.match(weight.getName())) {
          entry.used = true;
          if (decision.keepReason.empty()) {
            decision.keepReason =
                entry.text == kind
                    ? "its user " +
                          use->getOwner()->getName().getStringRef().str() +
                          " is excluded (exclude=" + entry.text + ")"
                    : "its name matches exclude=" + entry.text;
            if (uses.size() > 1)
              decision.keepReason += "; the " + std::to_string(uses.size()) +
                                     " ops sharing it keep it too";
          }
        }
      }
    }
    if (decision.keepReason.empty()) {
      for (OpOperand &use : weight->getUses()) {
        if (!llvm::is_contained(uses, &use)) {
          decision.keepReason =
              "it is also used by " +
              use.getOwner()->getName().getStringRef().str() + " (operand " +
              std::to_string(use.getOperandNumber()) +
              "), which does not take quantised weights there";
          break;
        }
      }
    }
    if (decision.keepReason.empty()) {
      std::string typeText;
      llvm::raw_string_ostream os(typeText);
      os << element;
      if (isa<QuantType, IntegerType>(element))
        decision.keepReason = "it is already stored as " + typeText;
      else if (!element.isF32() && !element.isF16() && !element.isBF16())
        decision.keepReason =
            "its element type " + typeText + " is not f32, f16 or bf16";
      else if (weight.getTransposed())
        decision.keepReason = "it is stored transposed, so its blocks would "
                              "run along the other dimension";
    }
    if (decision.keepReason.empty()) {
      int64_t last = type.getRank() ? type.getDimSize(type.getRank() - 1) : 0;
      int64_t block = target->getBlockSize();
      if (ShapedType::isDynamic(last) || last % block != 0) {
        decision.keepReason =
            "its last dimension " +
            (ShapedType::isDynamic(last) ? std::string("?")
                                         : std::to_string(last)) +
            " is not a whole number of " + target->getFormatName() +
            " blocks of " + std::to_string(block);
        decision.warn = true;
      }
    }

    decisions[weight] = decision;
  }

  // Copies of one stored tensor (a tied weight cloned per pipeline stage)
  // get one type: if one is kept, all are.
  llvm::StringMap<Operation *> keptByName;
  for (auto &[weightOp, decision] : decisions)
    if (!decision.keepReason.empty())
      keptByName.try_emplace(cast<WeightOp>(weightOp).getName(), weightOp);
  for (auto &[weightOp, decision] : decisions) {
    auto weight = cast<WeightOp>(weightOp);
    Operation *kept = keptByName.lookup(weight.getName());
    if (decision.keepReason.empty() && kept)
      decision.keepReason = "another tt.weight of the same tensor is kept";
    if (!decision.keepReason.empty()) {
      std::string message = "tt-quantize: weight \"" + weight.getName().str() +
                            "\" kept as it is: " + decision.keepReason;
      InFlightDiagnostic diag = decision.warn ? weight.emitWarning(message)
                                              : weight.emitRemark(message);
      if (kept && kept != weightOp)
        diag.attachNote(kept->getLoc()) << "the copy that is kept";
      continue;
    }
    auto type = cast<RankedTensorType>(weight.getType());
    Type element = type.getElementType();
    // The source type stays the original one if an earlier pass already
    // re-typed this weight.
    if (!weight.getStoredType())
      weight.setStoredTypeAttr(TypeAttr::get(element));
    weight.getResult().setType(
        RankedTensorType::get(type.getShape(), *target, type.getEncoding()));
  }

  for (const ExcludeEntry &entry : excludes)
    if (!entry.used)
      module.emitWarning() << "tt-quantize: exclude=" << entry.text
                           << " matches no layer kind and no quantisable "
                              "weight's name";
}
