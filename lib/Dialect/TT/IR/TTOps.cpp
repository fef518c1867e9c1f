//===- TTOps.cpp - Operations of the tt dialect ---------------------------===//
//
// Op verifiers check every rule a spec can break and name the numbers that
// disagree; the custom assembly of tt.layer lives here too.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace tt;

//===----------------------------------------------------------------------===//
// custom<Decimal>: float attributes printed in their shortest exact form
//===----------------------------------------------------------------------===//

static ParseResult parseDecimal(OpAsmParser &parser, FloatAttr &attr) {
  FailureOr<double> value = tt::parseF64(parser);
  if (failed(value))
    return failure();
  attr = parser.getBuilder().getF64FloatAttr(*value);
  return success();
}

static void printDecimal(OpAsmPrinter &printer, Operation *, FloatAttr attr) {
  tt::printF64(printer, attr.getValueAsDouble());
}

#define GET_OP_CLASSES
#include "tt/Dialect/TT/IR/TTOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::string tt::formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return s;
}

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

/// Checks that weight `w` (in role `role`) has shape `expected`; `meaning`
/// spells out where each expected dimension comes from.
static LogicalResult checkWeightShape(Operation *op, Value w, StringRef role,
                                      ArrayRef<int64_t> expected,
                                      StringRef meaning) {
  if (!w)
    return success();
  ArrayRef<int64_t> actual = shapeOf(w);
  if (actual == expected)
    return success();
  return op->emitOpError() << role << " weight has shape "
                           << formatShape(actual) << " but the spec needs "
                           << formatShape(expected) << " (" << meaning << ")";
}

static std::string dims(std::initializer_list<std::pair<StringRef, int64_t>> parts,
                        StringRef joiner = " x ") {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      parts, os, [&](const auto &p) { os << p.first << " " << p.second; },
      joiner);
  return s;
}

static bool isPositiveFinite(const llvm::APFloat &value) {
  return value.isFiniteNonZero() && !value.isNegative();
}

static std::optional<int64_t> getMaxPositions(Operation *op) {
  auto func = op->getParentOfType<func::FuncOp>();
  if (!func)
    return std::nullopt;
  if (auto attr = func->getAttrOfType<IntegerAttr>(
          TTDialect::getMaxPositionsAttrName()))
    return attr.getInt();
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// WeightOp
//===----------------------------------------------------------------------===//

LogicalResult WeightOp::verify() {
  if (getName().empty())
    return emitOpError("weight name must not be empty");
  auto type = cast<RankedTensorType>(getType());
  if (type.getRank() == 0)
    return emitOpError("weight must have rank at least 1");
  if (getTransposed() && type.getRank() != 2)
    return emitOpError() << "only a matrix can be stored transposed, but the "
                            "weight has rank "
                         << type.getRank();
  if (auto quant = dyn_cast<QuantType>(type.getElementType())) {
    int64_t last = type.getShape().back();
    if (last % quant.getBlockSize() != 0)
      return emitOpError() << "last dimension " << last
                           << " is not a multiple of the "
                           << stringifyQuantKind(quant.getKind())
                           << " block size " << quant.getBlockSize();
  }
  if (getShardDim().has_value() != getShardParts().has_value())
    return emitOpError("'shard_dim' and 'shard_parts' go together");
  if (auto dim = getShardDim()) {
    if (*dim < 0 || *dim >= type.getRank())
      return emitOpError() << "shard_dim " << *dim
                           << " is not a dimension of a rank-"
                           << type.getRank() << " weight";
    if (*getShardParts() < 1)
      return emitOpError() << "shard_parts must be positive, but is "
                           << *getShardParts();
  }
  if (auto stored = getStoredType()) {
    Type t = *stored;
    if (!isa<FloatType, IntegerType, QuantType>(t))
      return emitOpError() << "stored_type must be a float, integer or "
                              "!tt.quant element type, but is "
                           << t;
  }
  if (getName().contains("{e}") && type.getRank() < 2)
    return emitOpError() << "a per-expert weight ('{e}' in the name) must "
                            "have a leading expert dimension, but has rank "
                         << type.getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// EmbeddingOp
//===----------------------------------------------------------------------===//

LogicalResult EmbeddingOp::verify() {
  auto table = cast<RankedTensorType>(getTable().getType());
  if (table.getRank() != 2)
    return emitOpError() << "table must be [vocab, hidden], got rank "
                         << table.getRank();
  auto tokens = cast<ShapedType>(getTokens().getType());
  auto result = cast<RankedTensorType>(getType());
  if (tokens.hasRank()) {
    SmallVector<int64_t> expected(tokens.getShape());
    expected.push_back(table.getDimSize(1));
    if (!succeeded(verifyCompatibleShape(result.getShape(), expected)))
      return emitOpError() << "result shape " << formatShape(result.getShape())
                           << " must be the token shape followed by hidden "
                           << table.getDimSize(1) << ": "
                           << formatShape(expected);
  }
  if (getPositions()) {
    if (shapeOf(getPositions()).size() != 2)
      return emitOpError() << "positions must be [max_positions, hidden], got "
                           << formatShape(shapeOf(getPositions()));
    if (failed(checkWeightShape(
            *this, getPositions(), "positions",
            {shapeOf(getPositions())[0], table.getDimSize(1)},
            dims({{"max_positions", shapeOf(getPositions())[0]},
                  {"hidden", table.getDimSize(1)}}, ", "))))
      return failure();
    if (auto maxPos = getMaxPositions(*this);
        maxPos && shapeOf(getPositions())[0] < *maxPos)
      return emitOpError() << "learned position table has "
                           << shapeOf(getPositions())[0]
                           << " rows but max_position_embeddings is "
                           << *maxPos;
  }
  if (auto scale = getScale(); scale && !isPositiveFinite(*scale))
    return emitOpError() << "embedding scale must be positive, got "
                         << scale->convertToDouble();
  return success();
}

//===----------------------------------------------------------------------===//
// NormOp
//===----------------------------------------------------------------------===//

LogicalResult NormOp::verify() {
  int64_t hidden = getInput().getType().getShape().back();
  if (!isPositiveFinite(getEps()))
    return emitOpError() << "eps must be positive, got "
                         << getEps().convertToDouble();
  if (failed(checkWeightShape(*this, getWeight(), "scale", {hidden},
                              dims({{"hidden", hidden}}))) ||
      failed(checkWeightShape(*this, getBias(), "bias", {hidden},
                              dims({{"hidden", hidden}}))))
    return failure();
  if (getBias() && getKind() != NormKind::layer)
    return emitOpError("only a layer norm has a bias; RMSNorm has none");
  if (getZeroCentered() && !getWeight())
    return emitOpError("zero_centered needs a scale weight");

  switch (getPlacement()) {
  case NormPlacement::pre:
    for (Operation *user : getResult().getUsers())
      if (!isSublayer(user))
        return emitOpError() << "is a pre-norm, so it must feed sublayers "
                                "(attention, mlp, moe), but it feeds '"
                             << user->getName() << "'";
    break;
  case NormPlacement::post: {
    Operation *def = getInput().getDefiningOp();
    // tt-tensor-parallel completes a sublayer's partial sums with an
    // all-reduce between the sublayer and its post-norm.
    if (def && def->getName().getStringRef() == "shard.all_reduce" &&
        def->getNumOperands() == 1)
      def = def->getOperand(0).getDefiningOp();
    if (!def || !isSublayer(def))
      return emitOpError() << "is a post-norm, so its input must come from a "
                              "sublayer (attention, mlp, moe), but it comes "
                              "from "
                           << (def ? "'" + def->getName().getStringRef().str() +
                                         "'"
                                   : std::string("a block argument"));
    break;
  }
  case NormPlacement::embedding: {
    Operation *def = getInput().getDefiningOp();
    // A vocabulary-split embedding is completed by an all-reduce.
    if (def && def->getName().getStringRef() == "shard.all_reduce" &&
        def->getNumOperands() == 1)
      def = def->getOperand(0).getDefiningOp();
    if (!isa_and_nonnull<EmbeddingOp>(def))
      return emitOpError() << "is an embedding norm, so its input must come "
                              "from tt.embedding, but it comes from "
                           << (def ? "'" + def->getName().getStringRef().str() +
                                         "'"
                                   : std::string("a block argument"));
    break;
  }
  case NormPlacement::final:
    for (Operation *user : getResult().getUsers())
      if (!isa<LMHeadOp>(user))
        return emitOpError() << "is a final norm, so it must feed tt.lm_head, "
                                "but it feeds '"
                             << user->getName() << "'";
    break;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

int64_t AttentionOp::getHeadDimOrDefault() {
  if (IntegerAttr hd = getHeadDimAttr())
    return hd.getInt();
  return getHiddenSize() / getNumHeadsAttr().getInt();
}

StringRef AttentionOp::getAttentionKind() {
  bool window = getSlidingWindow().has_value();
  if (getNumKvHeads() == getNumHeads())
    return window ? "SlidingWindowMultiHeadAttention" : "MultiHeadAttention";
  if (getNumKvHeads() == 1)
    return window ? "SlidingWindowMultiQueryAttention" : "MultiQueryAttention";
  return window ? "SlidingWindowGroupedQueryAttention"
                : "GroupedQueryAttention";
}

LogicalResult AttentionOp::verify() {
  int64_t hidden = getHiddenSize();
  // Integer attributes are signless: read them signed so that a negative
  // number is reported as written.
  int64_t heads = getNumHeadsAttr().getInt();
  int64_t kvHeads = getNumKvHeadsAttr().getInt();
  if (heads < 1)
    return emitOpError() << "num_heads must be at least 1, got " << heads;
  if (kvHeads < 1)
    return emitOpError() << "num_kv_heads must be at least 1, got " << kvHeads;
  if (kvHeads > heads)
    return emitOpError() << "num_kv_heads (" << kvHeads
                         << ") must not exceed num_heads (" << heads << ")";
  if (heads % kvHeads != 0)
    return emitOpError() << "num_heads (" << heads
                         << ") must be a multiple of num_kv_heads (" << kvHeads
                         << ") so that query heads share KV heads evenly";
  if (ShapedType::isDynamic(hidden))
    return emitOpError("hidden size (the input's last dimension) must be static");
  if (IntegerAttr hd = getHeadDimAttr()) {
    if (hd.getInt() < 1)
      return emitOpError() << "head_dim must be at least 1, got " << hd.getInt();
  } else if (hidden % heads != 0) {
    return emitOpError() << "hidden size " << hidden
                         << " is not divisible by num_heads " << heads
                         << "; give head_dim explicitly";
  }
  int64_t headDim = getHeadDimOrDefault();

  if (IntegerAttr windowAttr = getSlidingWindowAttr()) {
    int64_t window = windowAttr.getInt();
    if (window < 1)
      return emitOpError() << "sliding window must be at least 1, got "
                           << window;
    if (auto maxPos = getMaxPositions(*this); maxPos && window > *maxPos)
      return emitOpError() << "sliding window " << window
                           << " exceeds max_position_embeddings " << *maxPos;
  }
  if (auto cap = getSoftcap(); cap && !isPositiveFinite(*cap))
    return emitOpError() << "attention logit softcap must be positive, got "
                         << cap->convertToDouble();
  if (auto scale = getScale(); scale && !isPositiveFinite(*scale))
    return emitOpError() << "attention scale must be positive, got "
                         << scale->convertToDouble();
  if (getRopeAttr() && getAlibi())
    return emitOpError("rope and alibi are exclusive position encodings");
  if (RopeAttr rope = getRopeAttr()) {
    int64_t rotary = rope.getRotaryDims(headDim);
    if (rotary < 2 || rotary % 2 != 0)
      return emitOpError() << "rotary dims must be even and at least 2, but "
                              "head_dim "
                           << headDim << " x partial " << rope.getPartial().convertToDouble()
                           << " gives " << rotary;
  }

  int64_t q = heads * headDim, kv = kvHeads * headDim;
  std::string qMeaning = dims({{"heads", heads}, {"head_dim", headDim}});
  std::string kvMeaning = dims({{"kv_heads", kvHeads}, {"head_dim", headDim}});
  std::string hiddenMeaning = dims({{"hidden", hidden}});
  if (failed(checkWeightShape(*this, getWq(), "q", {q, hidden},
                              qMeaning + ", " + hiddenMeaning)) ||
      failed(checkWeightShape(*this, getWk(), "k", {kv, hidden},
                              kvMeaning + ", " + hiddenMeaning)) ||
      failed(checkWeightShape(*this, getWv(), "v", {kv, hidden},
                              kvMeaning + ", " + hiddenMeaning)) ||
      failed(checkWeightShape(*this, getWo(), "o", {hidden, q},
                              hiddenMeaning + ", " + qMeaning)) ||
      failed(checkWeightShape(*this, getBq(), "q_bias", {q}, qMeaning)) ||
      failed(checkWeightShape(*this, getBk(), "k_bias", {kv}, kvMeaning)) ||
      failed(checkWeightShape(*this, getBv(), "v_bias", {kv}, kvMeaning)) ||
      failed(checkWeightShape(*this, getBo(), "o_bias", {hidden},
                              hiddenMeaning)))
    return failure();

  if (static_cast<bool>(getQNorm()) != static_cast<bool>(getKNorm()))
    return emitOpError("q_norm and k_norm come together");
  if (getQNorm()) {
    ArrayRef<int64_t> qs = shapeOf(getQNorm()), ks = shapeOf(getKNorm());
    if (!(qs.size() == 1 && (qs[0] == headDim || qs[0] == q)))
      return emitOpError() << "q_norm weight has shape " << formatShape(qs)
                           << " but the spec needs [" << headDim
                           << "] (per head) or [" << q << "] (" << qMeaning
                           << ")";
    if (!(ks.size() == 1 && (ks[0] == headDim || ks[0] == kv)))
      return emitOpError() << "k_norm weight has shape " << formatShape(ks)
                           << " but the spec needs [" << headDim
                           << "] (per head) or [" << kv << "] (" << kvMeaning
                           << ")";
  }
  if (auto eps = getQkNormEps()) {
    if (!getQNorm())
      return emitOpError("qk_norm_eps is given but there is no q_norm/k_norm");
    if (!isPositiveFinite(*eps))
      return emitOpError() << "qk_norm_eps must be positive, got "
                           << eps->convertToDouble();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// MLPOp
//===----------------------------------------------------------------------===//

LogicalResult MLPOp::verify() {
  int64_t hidden = getHiddenSize();
  ArrayRef<int64_t> up = shapeOf(getUp());
  if (up.size() != 2)
    return emitOpError() << "up weight must be [intermediate, hidden], got "
                         << formatShape(up);
  int64_t inter = up[0];
  std::string meaning = dims({{"intermediate", inter}, {"hidden", hidden}}, ", ");
  std::string downMeaning =
      dims({{"hidden", hidden}, {"intermediate", inter}}, ", ");
  if (failed(checkWeightShape(*this, getUp(), "up", {inter, hidden}, meaning)) ||
      failed(checkWeightShape(*this, getGate(), "gate", {inter, hidden},
                              meaning)) ||
      failed(checkWeightShape(*this, getDown(), "down", {hidden, inter},
                              downMeaning)) ||
      failed(checkWeightShape(*this, getUpBias(), "up_bias", {inter},
                              dims({{"intermediate", inter}}))) ||
      failed(checkWeightShape(*this, getGateBias(), "gate_bias", {inter},
                              dims({{"intermediate", inter}}))) ||
      failed(checkWeightShape(*this, getDownBias(), "down_bias", {hidden},
                              dims({{"hidden", hidden}}))))
    return failure();
  if (getGateBias() && !getGate())
    return emitOpError("gate_bias needs a gate weight");
  return success();
}

//===----------------------------------------------------------------------===//
// MoEOp
//===----------------------------------------------------------------------===//

LogicalResult MoEOp::verify() {
  int64_t hidden = getHiddenSize();
  int64_t experts = getNumExpertsAttr().getInt();
  int64_t topK = getTopKAttr().getInt();
  if (experts < 1)
    return emitOpError() << "num_experts must be at least 1, got " << experts;
  if (topK < 1 || topK > experts)
    return emitOpError() << "top_k (" << topK
                         << ") must be between 1 and num_experts (" << experts
                         << ")";
  ArrayRef<int64_t> up = shapeOf(getUp());
  if (up.size() != 3)
    return emitOpError() << "up weight must be [experts, intermediate, "
                            "hidden], got "
                         << formatShape(up);
  int64_t inter = up[1];
  // Under expert parallelism (tt-tensor-parallel) the stacked weights hold
  // this device's experts; routing still spans all of them.
  int64_t stacked = experts;
  StringRef stackedName = "experts";
  if (auto local = (*this)->getAttrOfType<IntegerAttr>(
          TTDialect::getExpertsPerDeviceAttrName())) {
    stacked = local.getInt();
    stackedName = "experts per device";
    if (stacked < 1 || experts % stacked != 0)
      return emitOpError() << TTDialect::getExpertsPerDeviceAttrName() << " ("
                           << stacked << ") must divide num_experts ("
                           << experts << ")";
  }
  std::string meaning = dims(
      {{stackedName, stacked}, {"intermediate", inter}, {"hidden", hidden}}, ", ");
  if (failed(checkWeightShape(*this, getRouter(), "router", {experts, hidden},
                              dims({{"experts", experts}, {"hidden", hidden}},
                                   ", "))) ||
      failed(checkWeightShape(*this, getRouterBias(), "router_bias", {experts},
                              dims({{"experts", experts}}))) ||
      failed(checkWeightShape(*this, getUp(), "up", {stacked, inter, hidden},
                              meaning)) ||
      failed(checkWeightShape(*this, getGate(), "gate",
                              {stacked, inter, hidden}, meaning)) ||
      failed(checkWeightShape(
          *this, getDown(), "down", {stacked, hidden, inter},
          dims({{stackedName, stacked}, {"hidden", hidden}, {"intermediate", inter}},
               ", "))))
    return failure();

  bool anyShared = getSharedUp() || getSharedGate() || getSharedDown() ||
                   getSharedRouter();
  int64_t numShared =
      getNumSharedExpertsAttr() ? getNumSharedExpertsAttr().getInt() : 0;
  if (getNumSharedExperts() && numShared < 1)
    return emitOpError() << "shared_experts must be at least 1, got "
                         << numShared;
  if (numShared > 0 && !(getSharedUp() && getSharedDown()))
    return emitOpError() << "shared_experts(" << numShared
                         << ") needs shared_up and shared_down weights";
  if (numShared == 0 && anyShared)
    return emitOpError("shared expert weights are given but shared_experts is "
                       "not set");
  if (numShared > 0) {
    ArrayRef<int64_t> sup = shapeOf(getSharedUp());
    if (sup.size() != 2 || sup[0] % numShared != 0)
      return emitOpError() << "shared_up weight has shape " << formatShape(sup)
                           << " but the spec needs [shared_experts "
                           << numShared << " x intermediate, hidden " << hidden
                           << "]";
    int64_t sInter = sup[0];
    std::string sMeaning =
        dims({{"shared intermediate", sInter}, {"hidden", hidden}}, ", ");
    if (failed(checkWeightShape(*this, getSharedUp(), "shared_up",
                                {sInter, hidden}, sMeaning)) ||
        failed(checkWeightShape(*this, getSharedGate(), "shared_gate",
                                {sInter, hidden}, sMeaning)) ||
        failed(checkWeightShape(
            *this, getSharedDown(), "shared_down", {hidden, sInter},
            dims({{"hidden", hidden}, {"shared intermediate", sInter}}, ", "))) ||
        failed(checkWeightShape(*this, getSharedRouter(), "shared_router",
                                {1, hidden}, dims({{"hidden", hidden}}))))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// LMHeadOp
//===----------------------------------------------------------------------===//

bool LMHeadOp::isTied() {
  return llvm::any_of(getWeight().getUsers(),
                      [](Operation *user) { return isa<EmbeddingOp>(user); });
}

LogicalResult LMHeadOp::verify() {
  auto input = getInput().getType();
  ArrayRef<int64_t> w = shapeOf(getWeight());
  int64_t hidden = input.getShape().back();
  if (w.size() != 2)
    return emitOpError() << "weight must be [vocab, hidden], got "
                         << formatShape(w);
  int64_t vocab = w[0];
  if (failed(checkWeightShape(*this, getWeight(), "lm_head", {vocab, hidden},
                              dims({{"vocab", vocab}, {"hidden", hidden}},
                                   ", "))) ||
      failed(checkWeightShape(*this, getBias(), "bias", {vocab},
                              dims({{"vocab", vocab}}))))
    return failure();
  SmallVector<int64_t> expected(input.getShape());
  expected.back() = vocab;
  if (failed(verifyCompatibleShape(getLogits().getType().getShape(), expected)))
    return emitOpError() << "logits shape "
                         << formatShape(getLogits().getType().getShape())
                         << " must be the input shape with vocab " << vocab
                         << " last: " << formatShape(expected);
  if (auto cap = getSoftcap(); cap && !isPositiveFinite(*cap))
    return emitOpError() << "final logit softcap must be positive, got "
                         << cap->convertToDouble();
  return success();
}

//===----------------------------------------------------------------------===//
// UnsupportedOp
//===----------------------------------------------------------------------===//

LogicalResult UnsupportedOp::verify() {
  if (getKind().empty())
    return emitOpError("unsupported layer kind must not be empty");
  return success();
}

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

ParseResult LayerOp::parse(OpAsmParser &parser, OperationState &result) {
  // tt.layer INDEX (%arg = %input) : TYPE attr-dict REGION
  IntegerAttr index;
  OpAsmParser::Argument arg;
  OpAsmParser::UnresolvedOperand input;
  Type type;
  if (parser.parseAttribute(index, parser.getBuilder().getI64Type(), "index",
                            result.attributes) ||
      parser.parseLParen() || parser.parseArgument(arg) || parser.parseEqual() ||
      parser.parseOperand(input) || parser.parseRParen() ||
      parser.parseColonType(type) ||
      parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  arg.type = type;
  if (parser.resolveOperand(input, type, result.operands))
    return failure();
  result.addTypes(type);
  Region *body = result.addRegion();
  return parser.parseRegion(*body, {arg});
}

void LayerOp::print(OpAsmPrinter &p) {
  p << " " << getIndex() << " (";
  p.printRegionArgument(getBody().getArgument(0), {}, /*omitType=*/true);
  p << " = " << getInput() << ") : " << getType();
  p.printOptionalAttrDictWithKeyword((*this)->getAttrs(), {"index"});
  p << " ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false);
}

LogicalResult LayerOp::verify() {
  int64_t index = getIndexAttr().getInt();
  if (index < 0)
    return emitOpError() << "layer index must not be negative, got " << index;
  for (Operation *prev = (*this)->getPrevNode(); prev;
       prev = prev->getPrevNode()) {
    if (auto layer = dyn_cast<LayerOp>(prev)) {
      if (layer.getIndexAttr().getInt() + 1 != index)
        return emitOpError() << "layer index " << index
                             << " does not follow the previous layer's index "
                             << layer.getIndexAttr().getInt();
      return success();
    }
  }
  if (index != 0)
    return emitOpError() << "the first layer must have index 0, got "
                         << index;
  return success();
}

LogicalResult LayerOp::verifyRegions() {
  Block &block = getBody().front();
  if (block.getNumArguments() != 1 ||
      block.getArgument(0).getType() != getType())
    return emitOpError() << "body must take one argument of type "
                         << getType();
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield)
    return emitOpError("body must end in tt.yield");
  if (yield.getValue().getType() != getType())
    return yield.emitOpError()
           << "yields " << yield.getValue().getType()
           << " but the layer carries " << getType();
  return success();
}
