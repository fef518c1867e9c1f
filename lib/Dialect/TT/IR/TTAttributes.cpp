//===- TTAttributes.cpp - Attributes and types of the tt dialect ----------===//

#include "tt/Dialect/TT/IR/TTAttributes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <cstdio>

using namespace tt;

#include "tt/Dialect/TT/IR/TTEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tt/Dialect/TT/IR/TTAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "tt/Dialect/TT/IR/TTTypes.cpp.inc"

//===----------------------------------------------------------------------===//
// Parameter parsing and printing
//===----------------------------------------------------------------------===//

FailureOr<double> tt::parseF64(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return value;
}

void tt::printF64(AsmPrinter &printer, double value) {
  char buffer[64];
  // Plain decimals where they are short (10000.0, 0.125), else the
  // shortest exponent form (1.0e-05).
  double magnitude = std::fabs(value);
  if (magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e16)) {
    for (int decimals = 1; decimals <= 6; ++decimals) {
      std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
      if (std::strtod(buffer, nullptr) == value) {
        printer << buffer;
        return;
      }
    }
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  // MLIR's float literals need a '.' before any exponent: 1.0e-05.
  llvm::StringRef text(buffer);
  if (!std::isfinite(value) || text.contains('.')) {
    printer << text;
    return;
  }
  auto [mantissa, exponent] = text.split('e');
  printer << mantissa << ".0";
  if (!exponent.empty())
    printer << "e" << exponent;
}

FailureOr<llvm::APFloat> tt::parseAPFloat(AsmParser &parser) {
  FailureOr<double> value = parseF64(parser);
  if (failed(value))
    return failure();
  return llvm::APFloat(*value);
}

FailureOr<bool> tt::parseBool(AsmParser &parser) {
  if (succeeded(parser.parseOptionalKeyword("true")))
    return true;
  if (succeeded(parser.parseOptionalKeyword("false")))
    return false;
  return parser.emitError(parser.getCurrentLocation(),
                          "expected 'true' or 'false'");
}

//===----------------------------------------------------------------------===//
// RopeAttr
//===----------------------------------------------------------------------===//

LogicalResult
RopeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                 llvm::APFloat thetaF, llvm::APFloat partialF,
                 RopeScaling scaling, llvm::APFloat factorF,
                 int64_t originalMaxPosition, llvm::APFloat lowFreqFactorF,
                 llvm::APFloat highFreqFactorF, llvm::APFloat betaFastF,
                 llvm::APFloat betaSlowF, llvm::APFloat attentionFactorF,
                 bool interleaved) {
  double theta = thetaF.convertToDouble();
  double partial = partialF.convertToDouble();
  double factor = factorF.convertToDouble();
  double lowFreqFactor = lowFreqFactorF.convertToDouble();
  double highFreqFactor = highFreqFactorF.convertToDouble();
  double betaFast = betaFastF.convertToDouble();
  double betaSlow = betaSlowF.convertToDouble();
  double attentionFactor = attentionFactorF.convertToDouble();
  if (!(theta > 0) || !std::isfinite(theta))
    return emitError() << "rope theta must be positive, got " << theta;
  if (!(partial > 0 && partial <= 1))
    return emitError() << "rope partial rotary fraction must be in (0, 1], got "
                       << partial;
  if (scaling == RopeScaling::none)
    return success();
  if (!(factor >= 1) || !std::isfinite(factor))
    return emitError() << "rope scaling '" << stringifyRopeScaling(scaling)
                       << "' needs factor >= 1, got " << factor;
  if (originalMaxPosition < 0)
    return emitError() << "rope original_max_position must not be negative, got "
                       << originalMaxPosition;
  if ((scaling == RopeScaling::llama3 || scaling == RopeScaling::yarn) &&
      originalMaxPosition == 0)
    return emitError() << "rope scaling '" << stringifyRopeScaling(scaling)
                       << "' needs original_max_position";
  if (scaling == RopeScaling::llama3 && !(lowFreqFactor < highFreqFactor))
    return emitError() << "llama3 rope scaling needs low_freq_factor ("
                       << lowFreqFactor << ") < high_freq_factor ("
                       << highFreqFactor << ")";
  if (scaling == RopeScaling::yarn && !(betaSlow < betaFast))
    return emitError() << "yarn rope scaling needs beta_slow (" << betaSlow
                       << ") < beta_fast (" << betaFast << ")";
  if (attentionFactor < 0)
    return emitError() << "rope attention_factor must not be negative, got "
                       << attentionFactor;
  return success();
}

int64_t RopeAttr::getRotaryDims(int64_t headDim) const {
  return static_cast<int64_t>(std::floor(headDim * getPartial().convertToDouble()));
}

//===----------------------------------------------------------------------===//
// HardwareAttr
//===----------------------------------------------------------------------===//

LogicalResult HardwareAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, StringRef device,
    int64_t tensorParallel, int64_t pipelineParallel, Type weightDtype,
    bool quantizeWeights, bool quantizeActivations, Type kvCacheDtype,
    bool flashAttention, bool fusedKernels, bool activationCheckpointing,
    bool optimizeForInference) {
  if (device.empty())
    return emitError() << "hardware device must not be empty";
  if (tensorParallel < 1)
    return emitError() << "tensor_parallel must be at least 1, got "
                       << tensorParallel;
  if (pipelineParallel < 1)
    return emitError() << "pipeline_parallel must be at least 1, got "
                       << pipelineParallel;
  if (weightDtype && !isa<FloatType, QuantType, IntegerType>(weightDtype))
    return emitError() << "weight_dtype must be a float, integer or "
                          "!tt.quant type, got "
                       << weightDtype;
  if (kvCacheDtype) {
    bool ok = kvCacheDtype.isF32() || kvCacheDtype.isF16() ||
              kvCacheDtype.isBF16() || kvCacheDtype.isSignlessInteger(8) ||
              isa<Float8E4M3FNType, Float8E5M2Type>(kvCacheDtype);
    if (!ok)
      return emitError() << "kv_cache_dtype must be one of f32, f16, bf16, i8, "
                            "f8E4M3FN, f8E5M2; got "
                         << kvCacheDtype;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// QuantType
//===----------------------------------------------------------------------===//

namespace {
struct BlockLayout {
  int64_t weights;
  int64_t bytes;
};
} // namespace

// ggml's block sizes (ggml-common.h): weights per block and bytes per block.
static BlockLayout getBlockLayout(QuantKind kind) {
  switch (kind) {
  case QuantKind::q4_0: return {32, 18};
  case QuantKind::q4_1: return {32, 20};
  case QuantKind::q5_0: return {32, 22};
  case QuantKind::q5_1: return {32, 24};
  case QuantKind::q8_0: return {32, 34};
  case QuantKind::q8_1: return {32, 36};
  case QuantKind::q2_k: return {256, 84};
  case QuantKind::q3_k: return {256, 110};
  case QuantKind::q4_k: return {256, 144};
  case QuantKind::q5_k: return {256, 176};
  case QuantKind::q6_k: return {256, 210};
  case QuantKind::q8_k: return {256, 292};
  case QuantKind::iq2_xxs: return {256, 66};
  case QuantKind::iq2_xs: return {256, 74};
  case QuantKind::iq3_xxs: return {256, 98};
  case QuantKind::iq1_s: return {256, 50};
  case QuantKind::iq4_nl: return {32, 18};
  case QuantKind::iq3_s: return {256, 110};
  case QuantKind::iq2_s: return {256, 82};
  case QuantKind::iq4_xs: return {256, 136};
  case QuantKind::iq1_m: return {256, 56};
  case QuantKind::tq1_0: return {256, 54};
  case QuantKind::tq2_0: return {256, 66};
  case QuantKind::mxfp4: return {32, 17};
  // tt's formats (docs/Quantization.md); int8/int4 depend on the group.
  case QuantKind::mxint8: return {32, 33};
  case QuantKind::fp8_e4m3: return {32, 34};
  case QuantKind::int8:
  case QuantKind::int4: return {0, 0};
  }
  llvm_unreachable("unknown quant kind");
}

int64_t QuantType::getBlockSize() const {
  if (isGroupWise(getKind()))
    return getGroup();
  return getBlockLayout(getKind()).weights;
}

int64_t QuantType::getBlockBytes() const {
  if (!isGroupWise(getKind()))
    return getBlockLayout(getKind()).bytes;
  // An f16 scale (and an f16 minimum when asymmetric), then the codes.
  int64_t codes = getKind() == QuantKind::int8 ? getGroup() : getGroup() / 2;
  return codes + (getAsym() ? 4 : 2);
}

std::string QuantType::getFormatName() const {
  std::string name = stringifyQuantKind(getKind()).str();
  if (isGroupWise(getKind())) {
    name += "_g" + std::to_string(getGroup());
    if (getAsym())
      name += "_asym";
  }
  return name;
}

LogicalResult QuantType::verify(function_ref<InFlightDiagnostic()> emitError,
                                QuantKind kind, int64_t group, bool asym) {
  if (!isGroupWise(kind)) {
    if (group != 0 || asym)
      return emitError() << "!tt.quant<" << stringifyQuantKind(kind)
                         << "> takes no group size or asymmetry (only int8 "
                            "and int4 do)";
    return success();
  }
  if (group < 32 || group > 4096 || !llvm::isPowerOf2_64(group))
    return emitError() << "!tt.quant<" << stringifyQuantKind(kind)
                       << "> needs a group size that is a power of two from "
                          "32 to 4096, got "
                       << group;
  return success();
}

// `<kind>` for the fixed formats (as GGUF names them), `<kind, group = G>`
// or `<kind, group = G, asym>` for the group-wise integers.
Type QuantType::parse(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<QuantKind> kind = symbolizeQuantKind(keyword);
  if (!kind) {
    parser.emitError(loc) << "unknown quantisation format '" << keyword << "'";
    return {};
  }
  int64_t group = 0;
  bool asym = false;
  while (succeeded(parser.parseOptionalComma())) {
    if (succeeded(parser.parseOptionalKeyword("asym"))) {
      asym = true;
      continue;
    }
    if (parser.parseKeyword("group") || parser.parseEqual() ||
        parser.parseInteger(group))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); },
                    parser.getContext(), *kind, group, asym);
}

void QuantType::print(AsmPrinter &printer) const {
  printer << "<" << stringifyQuantKind(getKind());
  if (isGroupWise(getKind()))
    printer << ", group = " << getGroup();
  if (getAsym())
    printer << ", asym";
  printer << ">";
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void TTDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tt/Dialect/TT/IR/TTAttrs.cpp.inc"
      >();
}

void TTDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "tt/Dialect/TT/IR/TTTypes.cpp.inc"
      >();
}
