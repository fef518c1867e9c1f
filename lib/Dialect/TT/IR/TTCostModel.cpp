//===- TTCostModel.cpp - Cost, sharding and quantisation of tt ops --------===//
//
// The implementations of CostOpInterface, ShardingOpInterface and
// QuantizableOpInterface on the core layer ops, and the helpers their
// default implementations share with plugin ops.
//
// FLOPs count a multiply-add as 2 and cover matrix products and attention;
// bytes cover weights (read once per forward pass, shared by the tokens of a
// prefill) and the KV cache (decode reads the attended positions and writes
// one; prefill writes one per token, its reads stay in on-chip tiles).
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTOps.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace tt;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

double tt::getStorageBitsPerElement(Type elementType) {
  if (auto quant = dyn_cast<QuantType>(elementType))
    return 8.0 * quant.getBlockBytes() / quant.getBlockSize();
  if (elementType.isIntOrFloat())
    return elementType.getIntOrFloatBitWidth();
  return 0;
}

double tt::getStorageBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  return shaped.getNumElements() *
         getStorageBitsPerElement(shaped.getElementType()) / 8.0;
}

std::string tt::getDtypeName(Type elementType) {
  if (auto quant = dyn_cast<QuantType>(elementType))
    return quant.getFormatName();
  std::string s;
  llvm::raw_string_ostream os(s);
  elementType.print(os);
  return s;
}

std::string tt::formatCount(int64_t count) {
  struct Unit {
    double scale;
    const char *suffix;
  };
  static const Unit units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
  for (const Unit &unit : units) {
    if (count < unit.scale)
      continue;
    double value = count / unit.scale;
    int decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2;
    std::string s;
    llvm::raw_string_ostream os(s);
    os << llvm::format("%.*f", decimals, value);
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0')
        s.pop_back();
      if (s.back() == '.')
        s.pop_back();
    }
    return s + unit.suffix;
  }
  return std::to_string(count);
}

double CostPoint::attendedPositions(int64_t window, bool causal) const {
  double len = static_cast<double>(length);
  if (phase == Phase::Decode)
    return window > 0 ? std::min<double>(len, window) : len;
  if (!causal)
    return window > 0 ? std::min<double>(len, window) : len;
  // Query i (1-based) of a causal prefill attends to min(i, window) keys.
  if (window <= 0 || window >= length)
    return (len + 1) / 2;
  double w = static_cast<double>(window);
  return (w * (w + 1) / 2 + (len - w) * w) / len;
}

static bool isWeight(Value v) { return v && v.getDefiningOp<WeightOp>(); }

int64_t tt::detail::sumWeightElements(Operation *op) {
  int64_t total = 0;
  for (Value operand : op->getOperands())
    if (isWeight(operand))
      total += cast<ShapedType>(operand.getType()).getNumElements();
  return total;
}

double tt::detail::activeWeightBytes(Operation *op) {
  double total = 0;
  for (Value operand : op->getOperands())
    if (isWeight(operand))
      total += getStorageBytes(operand.getType());
  return total;
}

static int64_t numel(Value v) {
  return v ? cast<ShapedType>(v.getType()).getNumElements() : 0;
}
static double bytes(Value v) { return v ? getStorageBytes(v.getType()) : 0; }

/// Whether operand `index` belongs to the (optional) operand group `range`.
static bool isOperand(MutableOperandRange mutableRange, unsigned index) {
  OperandRange range = mutableRange;
  return !range.empty() && range.getBeginOperandIndex() <= index &&
         index < range.getBeginOperandIndex() + range.size();
}

static int64_t enclosingLayerIndex(Operation *op) {
  if (auto layer = op->getParentOfType<LayerOp>())
    return layer.getIndex();
  return -1;
}

//===----------------------------------------------------------------------===//
// EmbeddingOp
//===----------------------------------------------------------------------===//

double EmbeddingOp::getFlopsPerToken(const CostPoint &) { return 0; }

double EmbeddingOp::getBytesPerToken(const CostPoint &) {
  // A lookup reads one row of the table (and of the position table).
  double row = bytes(getTable()) / getVocabSize();
  if (Value pos = getPositions())
    row += bytes(pos) / cast<ShapedType>(pos.getType()).getDimSize(0);
  return row;
}

std::string EmbeddingOp::getLayerClass() { return "Embedding"; }

void EmbeddingOp::describe(llvm::json::Object &specs) {
  specs["vocab_size"] = getVocabSize();
  specs["hidden_size"] = getHiddenSize();
  if (auto scale = getScale())
    specs["scale"] = scale->convertToDouble();
  if (Value pos = getPositions())
    specs["learned_positions"] = cast<ShapedType>(pos.getType()).getDimSize(0);
}

ShardKind EmbeddingOp::getWeightSharding(unsigned index) {
  if (isOperand(getTableMutable(), index))
    return ShardKind::Vocab;
  // Learned positions are added to the looked-up row before the all-reduce
  // that completes the vocab-parallel lookup: one device adds them.
  if (isOperand(getPositionsMutable(), index))
    return ShardKind::Partial;
  return ShardKind::Replicated;
}
bool EmbeddingOp::needsAllReduce() { return true; }
SmallVector<unsigned> EmbeddingOp::getQuantizableWeightOperands() {
  return {getTableMutable().getOperandNumber()};
}

//===----------------------------------------------------------------------===//
// NormOp
//===----------------------------------------------------------------------===//

double NormOp::getFlopsPerToken(const CostPoint &) { return 0; }

std::string NormOp::getLayerClass() {
  return getKind() == NormKind::rms ? "RMSNorm" : "LayerNorm";
}

void NormOp::describe(llvm::json::Object &specs) {
  specs["hidden_size"] = getInput().getType().getShape().back();
  specs["eps"] = getEps().convertToDouble();
  specs["placement"] = stringifyNormPlacement(getPlacement());
  if (getZeroCentered())
    specs["zero_centered"] = true;
  if (!getWeight())
    specs["elementwise_affine"] = false;
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

double AttentionOp::getFlopsPerToken(const CostPoint &point) {
  double projections = 2.0 * (numel(getWq()) + numel(getWk()) +
                              numel(getWv()) + numel(getWo()));
  double attended =
      point.attendedPositions(getSlidingWindow().value_or(0), !getNoncausal());
  // QK^T and the weighted sum of V: 2 * head_dim MACs per head per key.
  double attention = 4.0 * getNumHeads() * getHeadDimOrDefault() * attended;
  return projections + attention;
}

int64_t AttentionOp::getKVCacheBytesPerToken(unsigned kvElementBits) {
  return 2 * getNumKvHeads() * getHeadDimOrDefault() * kvElementBits / 8;
}

double AttentionOp::getBytesPerToken(const CostPoint &point) {
  double weights =
      detail::activeWeightBytes(getOperation()) / point.tokensSharingWeights();
  double kv = static_cast<double>(getKVCacheBytesPerToken(point.kvElementBits));
  if (point.phase == Phase::Prefill)
    return weights + kv;
  double attended = point.attendedPositions(getSlidingWindow().value_or(0),
                                            !getNoncausal());
  return weights + kv * attended + kv;
}

std::string AttentionOp::getLayerClass() { return getAttentionKind().str(); }

void AttentionOp::describe(llvm::json::Object &specs) {
  int64_t headDim = getHeadDimOrDefault();
  specs["layer_idx"] = enclosingLayerIndex(getOperation());
  specs["hidden_size"] = getHiddenSize();
  specs["input_dim"] = getHiddenSize();
  specs["output_dim"] = getHiddenSize();
  specs["num_heads"] = getNumHeads();
  specs["num_kv_heads"] = getNumKvHeads();
  specs["head_dim"] = headDim;
  specs["causal"] = !getNoncausal();
  if (auto window = getSlidingWindow())
    specs["sliding_window"] = *window;
  if (RopeAttr rope = getRopeAttr()) {
    specs["position"] = "rope";
    specs["rope_theta"] = rope.getTheta().convertToDouble();
    specs["rotary_dim"] = rope.getRotaryDims(headDim);
    if (rope.getScaling() != RopeScaling::none) {
      specs["rope_scaling"] = stringifyRopeScaling(rope.getScaling());
      specs["rope_scaling_factor"] = rope.getFactor().convertToDouble();
    }
  } else {
    specs["position"] = getAlibi() ? "alibi" : "none";
  }
  specs["qkv_bias"] = static_cast<bool>(getBq() || getBk() || getBv());
  specs["o_bias"] = static_cast<bool>(getBo());
  if (getQNorm())
    specs["qk_norm"] = numel(getQNorm()) == headDim ? "per_head" : "full";
  if (auto cap = getSoftcap())
    specs["logit_softcap"] = cap->convertToDouble();
  if (auto scale = getScale())
    specs["scale"] = scale->convertToDouble();
}

ShardKind AttentionOp::getWeightSharding(unsigned index) {
  if (isOperand(getWqMutable(), index) || isOperand(getWkMutable(), index) ||
      isOperand(getWvMutable(), index) || isOperand(getBqMutable(), index) ||
      isOperand(getBkMutable(), index) || isOperand(getBvMutable(), index))
    return ShardKind::Column;
  if (isOperand(getWoMutable(), index))
    return ShardKind::Row;
  if (isOperand(getBoMutable(), index))
    return ShardKind::Partial;
  // A q/k norm over the whole projection follows its heads; a per-head one
  // ([head_dim]) is the same on every device.
  int64_t headDim = getHeadDimOrDefault();
  if ((isOperand(getQNormMutable(), index) ||
       isOperand(getKNormMutable(), index)) &&
      numel(getOperation()->getOperand(index)) != headDim)
    return ShardKind::Column;
  return ShardKind::Replicated;
}
bool AttentionOp::needsAllReduce() { return true; }
SmallVector<unsigned> AttentionOp::getQuantizableWeightOperands() {
  return {getWqMutable().getOperandNumber(), getWkMutable().getOperandNumber(),
          getWvMutable().getOperandNumber(), getWoMutable().getOperandNumber()};
}

//===----------------------------------------------------------------------===//
// MLPOp
//===----------------------------------------------------------------------===//

double MLPOp::getFlopsPerToken(const CostPoint &) {
  return 2.0 * (numel(getUp()) + numel(getGate()) + numel(getDown()));
}

std::string MLPOp::getLayerClass() {
  if (!isGated())
    return "MLP";
  switch (getActivation()) {
  case Activation::silu:
  case Activation::swish:
    return "SwiGLU";
  case Activation::gelu:
  case Activation::gelu_tanh:
    return "GeGLU";
  case Activation::relu:
    return "ReGLU";
  }
  llvm_unreachable("unknown activation");
}

void MLPOp::describe(llvm::json::Object &specs) {
  specs["layer_idx"] = enclosingLayerIndex(getOperation());
  specs["hidden_size"] = getHiddenSize();
  specs["intermediate_size"] = getIntermediateSize();
  specs["activation"] = stringifyActivation(getActivation());
  specs["gated"] = isGated();
  specs["bias"] = static_cast<bool>(getUpBias() || getDownBias());
}

ShardKind MLPOp::getWeightSharding(unsigned index) {
  if (isOperand(getUpMutable(), index) || isOperand(getGateMutable(), index) ||
      isOperand(getUpBiasMutable(), index) ||
      isOperand(getGateBiasMutable(), index))
    return ShardKind::Column;
  if (isOperand(getDownMutable(), index))
    return ShardKind::Row;
  if (isOperand(getDownBiasMutable(), index))
    return ShardKind::Partial;
  return ShardKind::Replicated;
}
bool MLPOp::needsAllReduce() { return true; }
SmallVector<unsigned> MLPOp::getQuantizableWeightOperands() {
  SmallVector<unsigned> result = {getUpMutable().getOperandNumber(),
                                  getDownMutable().getOperandNumber()};
  if (getGate())
    result.push_back(getGateMutable()[0].getOperandNumber());
  return result;
}

//===----------------------------------------------------------------------===//
// MoEOp
//===----------------------------------------------------------------------===//

/// Elements of one routed expert (gate, up and down).
static int64_t perExpertElements(MoEOp op) {
  // The stacked weights' leading dimension: all experts, or this device's
  // under expert parallelism (tt-tensor-parallel).
  int64_t stacked = cast<ShapedType>(op.getUp().getType()).getDimSize(0);
  return (numel(op.getGate()) + numel(op.getUp()) + numel(op.getDown())) /
         std::max<int64_t>(stacked, 1);
}

static int64_t sharedElements(MoEOp op) {
  return numel(op.getSharedGate()) + numel(op.getSharedUp()) +
         numel(op.getSharedDown()) + numel(op.getSharedRouter());
}

/// Experts whose weights this op holds: all of them, or one device's share
/// under expert parallelism.
static int64_t localExperts(MoEOp op) {
  return cast<ShapedType>(op.getUp().getType()).getDimSize(0);
}

int64_t MoEOp::getActiveParameterCount() {
  // On one expert-parallel device a token uses at most min(top_k, local)
  // of the experts held there.
  int64_t used = std::min<int64_t>(getTopK(), localExperts(*this));
  return numel(getRouter()) + numel(getRouterBias()) + sharedElements(*this) +
         used * perExpertElements(*this);
}

double MoEOp::getFlopsPerToken(const CostPoint &) {
  double router = 2.0 * numel(getRouter());
  // With uniform routing a device holding `local` of the experts computes
  // top_k x local / experts of them per token on average.
  double routed = 2.0 * getTopK() * perExpertElements(*this) *
                  localExperts(*this) / getNumExperts();
  double shared = 2.0 * sharedElements(*this);
  return router + routed + shared;
}

double MoEOp::getBytesPerToken(const CostPoint &point) {
  double experts = getNumExperts();
  double stacked = cast<ShapedType>(getUp().getType()).getDimSize(0);
  double perExpert =
      (bytes(getGate()) + bytes(getUp()) + bytes(getDown())) / stacked;
  double always = bytes(getRouter()) + bytes(getRouterBias()) +
                  bytes(getSharedGate()) + bytes(getSharedUp()) +
                  bytes(getSharedDown()) + bytes(getSharedRouter());
  double tokens = point.tokensSharingWeights();
  // Distinct experts the tokens touch, with uniform routing.
  double touched =
      stacked * (1.0 - std::pow(1.0 - getTopK() / experts, tokens));
  return (always + touched * perExpert) / tokens;
}

std::string MoEOp::getLayerClass() {
  return getNumSharedExpertsOrZero() > 0 ? "SharedExpertMoE" : "MoE";
}

void MoEOp::describe(llvm::json::Object &specs) {
  specs["layer_idx"] = enclosingLayerIndex(getOperation());
  specs["hidden_size"] = getHiddenSize();
  specs["num_experts"] = getNumExperts();
  specs["top_k"] = getTopK();
  specs["expert_intermediate_size"] = getExpertIntermediateSize();
  specs["activation"] = stringifyActivation(getActivation());
  specs["gated"] = static_cast<bool>(getGate());
  specs["router_norm"] = stringifyRouterNorm(getRouterNorm());
  specs["active_parameter_count"] = getActiveParameterCount();
  if (int64_t shared = getNumSharedExpertsOrZero()) {
    specs["num_shared_experts"] = shared;
    specs["shared_intermediate_size"] =
        cast<ShapedType>(getSharedUp().getType()).getDimSize(0);
  }
}

ShardKind MoEOp::getWeightSharding(unsigned index) {
  if (isOperand(getGateMutable(), index) || isOperand(getUpMutable(), index) ||
      isOperand(getDownMutable(), index))
    return ShardKind::Expert;
  if (isOperand(getSharedGateMutable(), index) ||
      isOperand(getSharedUpMutable(), index))
    return ShardKind::Column;
  if (isOperand(getSharedDownMutable(), index))
    return ShardKind::Row;
  return ShardKind::Replicated;
}
bool MoEOp::needsAllReduce() { return true; }
SmallVector<unsigned> MoEOp::getQuantizableWeightOperands() {
  SmallVector<unsigned> result = {getUpMutable().getOperandNumber(),
                                  getDownMutable().getOperandNumber()};
  for (MutableOperandRange range :
       {getGateMutable(), getSharedGateMutable(), getSharedUpMutable(),
        getSharedDownMutable()})
    if (range.size())
      result.push_back(range[0].getOperandNumber());
  return result;
}

//===----------------------------------------------------------------------===//
// LMHeadOp
//===----------------------------------------------------------------------===//

double LMHeadOp::getFlopsPerToken(const CostPoint &) {
  return 2.0 * numel(getWeight());
}

std::string LMHeadOp::getLayerClass() { return "LMHead"; }

void LMHeadOp::describe(llvm::json::Object &specs) {
  auto w = cast<ShapedType>(getWeight().getType());
  specs["vocab_size"] = w.getDimSize(0);
  specs["hidden_size"] = w.getDimSize(1);
  specs["tied"] = isTied();
  if (auto cap = getSoftcap())
    specs["logit_softcap"] = cap->convertToDouble();
}

ShardKind LMHeadOp::getWeightSharding(unsigned) { return ShardKind::Vocab; }
bool LMHeadOp::needsAllReduce() { return false; }
SmallVector<unsigned> LMHeadOp::getQuantizableWeightOperands() {
  return {getWeightMutable().getOperandNumber()};
}

//===----------------------------------------------------------------------===//
// UnsupportedOp
//===----------------------------------------------------------------------===//

double UnsupportedOp::getFlopsPerToken(const CostPoint &) {
  return 2.0 * detail::sumWeightElements(getOperation());
}

std::string UnsupportedOp::getLayerKind() { return getKind().str(); }
std::string UnsupportedOp::getLayerClass() { return "Unsupported"; }
bool UnsupportedOp::isSupported() { return false; }

void UnsupportedOp::describe(llvm::json::Object &specs) {
  specs["layer_idx"] = enclosingLayerIndex(getOperation());
  for (NamedAttribute attr : (*this)->getDiscardableAttrs()) {
    if (auto i = dyn_cast<IntegerAttr>(attr.getValue()))
      specs[attr.getName().strref()] = i.getInt();
    else if (auto f = dyn_cast<FloatAttr>(attr.getValue()))
      specs[attr.getName().strref()] = f.getValueAsDouble();
    else if (auto s = dyn_cast<StringAttr>(attr.getValue()))
      specs[attr.getName().strref()] = s.getValue();
    else if (auto b = dyn_cast<BoolAttr>(attr.getValue()))
      specs[attr.getName().strref()] = b.getValue();
  }
}
