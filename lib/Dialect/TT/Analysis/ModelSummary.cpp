//===- ModelSummary.cpp - What a model is and what it costs ---------------===//

#include "tt/Dialect/TT/Analysis/ModelSummary.h"
#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>

using namespace tt;

namespace {
struct WeightUse {
  Type type;
  Operation *firstDecl = nullptr;
  int64_t uses = 0;
};
} // namespace

FailureOr<ModelSummary> tt::summarizeModel(ModuleOp module, int64_t seqLen,
                                           int64_t context) {
  ModelSummary s;
  s.kvCacheDtype = "f16";
  s.kvElementBits = 16;
  if (auto hw = module->getAttrOfType<HardwareAttr>(
          TTDialect::getHardwareAttrName())) {
    if (Type kv = hw.getKvCacheDtype()) {
      s.kvCacheDtype = getDtypeName(kv);
      s.kvElementBits = static_cast<unsigned>(getStorageBitsPerElement(kv));
    }
  }
  s.prefill = CostPoint::prefill(seqLen, s.kvElementBits);
  s.decode = CostPoint::decode(context, s.kvElementBits);

  llvm::StringMap<WeightUse> weights;
  llvm::StringMap<size_t> groups;
  int64_t params = 0, active = 0;
  bool failedWeights = false;

  module.walk([&](Operation *op) {
    if (auto layer = dyn_cast<LayerOp>(op)) {
      ++s.numLayers;
      return;
    }
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      if (s.name.empty())
        s.name = func.getSymName().str();
      if (auto maxPos = func->getAttrOfType<IntegerAttr>(
              TTDialect::getMaxPositionsAttrName()))
        s.maxPositionEmbeddings = maxPos.getInt();
      return;
    }
    auto cost = dyn_cast<CostOpInterface>(op);
    if (!cost)
      return;

    if (auto emb = dyn_cast<EmbeddingOp>(op)) {
      s.hiddenSize = emb.getHiddenSize();
      s.vocabSize = emb.getVocabSize();
    } else if (auto head = dyn_cast<LMHeadOp>(op)) {
      if (!s.vocabSize)
        s.vocabSize = cast<ShapedType>(head.getWeight().getType()).getDimSize(0);
    } else if (auto attn = dyn_cast<AttentionOp>(op)) {
      if (!s.hiddenSize)
        s.hiddenSize = attn.getHiddenSize();
    }

    for (Value operand : op->getOperands()) {
      auto weight = operand.getDefiningOp<WeightOp>();
      if (!weight)
        continue;
      WeightUse &use = weights[weight.getName()];
      if (!use.firstDecl) {
        use.type = weight.getType();
        use.firstDecl = weight;
      } else if (use.type != weight.getType()) {
        InFlightDiagnostic diag = weight.emitError()
                                  << "weight '" << weight.getName()
                                  << "' has type " << weight.getType()
                                  << " here but " << use.type << " elsewhere";
        diag.attachNote(use.firstDecl->getLoc()) << "first declared here";
        failedWeights = true;
      }
      ++use.uses;
    }

    int64_t opParams = cost.getParameterCount();
    params += opParams;
    active += cost.getActiveParameterCount();
    s.kvCacheBytesPerToken += cost.getKVCacheBytesPerToken(s.kvElementBits);
    s.prefillFlopsPerToken += cost.getFlopsPerToken(s.prefill);
    s.decodeFlopsPerToken += cost.getFlopsPerToken(s.decode);
    s.prefillBytesPerToken += cost.getBytesPerToken(s.prefill);
    s.decodeBytesPerToken += cost.getBytesPerToken(s.decode);

    LayerTypeSummary entry;
    entry.name = cost.getLayerKind();
    entry.cls = cost.getLayerClass();
    entry.supported = cost.isSupported();
    entry.parameterCount = opParams;
    cost.describe(entry.specs);
    // Instances group when they agree on everything but their position.
    llvm::json::Object keySpecs = entry.specs;
    keySpecs.erase("layer_idx");
    std::string key;
    llvm::raw_string_ostream os(key);
    os << entry.name << '\0' << entry.cls << '\0' << entry.supported << '\0'
       << opParams << '\0' << llvm::json::Value(std::move(keySpecs));
    auto [it, inserted] = groups.try_emplace(key, s.layerTypes.size());
    if (inserted) {
      entry.count = 1;
      if (!entry.supported)
        s.unsupportedKinds.push_back(entry.name);
      s.layerTypes.push_back(std::move(entry));
    } else {
      ++s.layerTypes[it->second].count;
    }
  });
  if (failedWeights)
    return failure();

  // A weight read by several ops (a tied embedding and lm_head) is one tensor.
  for (auto &entry : weights) {
    const WeightUse &use = entry.getValue();
    int64_t elements = cast<ShapedType>(use.type).getNumElements();
    params -= (use.uses - 1) * elements;
    active -= (use.uses - 1) * elements;
    double bytes = getStorageBytes(use.type);
    s.weightBytesByDtype[getDtypeName(
        cast<ShapedType>(use.type).getElementType())] += bytes;
    s.weightBytes += bytes;
  }
  s.totalParams = params;
  s.activeParams = active;
  s.parallel = summarizeParallel(module);
  return s;
}

/// The size of the one-dimensional shard.grid `name`, or 0.
static int64_t gridSize(ModuleOp module, StringRef name) {
  auto grid = dyn_cast_or_null<shard::GridOp>(
      SymbolTable::lookupSymbolIn(module, name));
  if (!grid || grid.getShape().size() != 1 ||
      ShapedType::isDynamic(grid.getShape()[0]))
    return 0;
  return grid.getShape()[0];
}

static int64_t stageOf(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto attr =
            op->getAttrOfType<IntegerAttr>(TTDialect::getStageAttrName()))
      return attr.getInt();
  return 0;
}

llvm::json::Object tt::summarizeParallel(ModuleOp module) {
  int64_t tp = gridSize(module, TTDialect::getTensorParallelGridName());
  int64_t pp = gridSize(module, TTDialect::getPipelineParallelGridName());
  if (!tp && !pp)
    return {};
  tp = std::max<int64_t>(tp, 1);
  pp = std::max<int64_t>(pp, 1);

  struct WeightInfo {
    int64_t elements = 0, parts = 1;
    bool whole = true;
  };
  // Distinct tensors by name; per stage, the names it holds.
  llvm::StringMap<WeightInfo> weights;
  std::vector<llvm::StringSet<>> stageWeights(pp);
  std::vector<int64_t> firstLayer(pp, -1), numLayers(pp, 0);
  llvm::StringMap<int64_t> collectives;
  module.walk([&](Operation *op) {
    if (auto layer = dyn_cast<LayerOp>(op)) {
      int64_t s = std::clamp<int64_t>(stageOf(op), 0, pp - 1);
      if (firstLayer[s] < 0)
        firstLayer[s] = layer.getIndex();
      ++numLayers[s];
      return;
    }
    if (op->getDialect() && op->getDialect()->getNamespace() == "shard" &&
        !isa<shard::GridOp>(op)) {
      ++collectives[op->getName().stripDialect()];
      return;
    }
    if (!isa<CostOpInterface>(op))
      return;
    int64_t s = std::clamp<int64_t>(stageOf(op), 0, pp - 1);
    for (Value operand : op->getOperands()) {
      auto weight = operand.getDefiningOp<WeightOp>();
      if (!weight)
        continue;
      WeightInfo &info = weights[weight.getName()];
      info.elements = cast<ShapedType>(weight.getType()).getNumElements();
      if (auto parts = weight->getAttrOfType<IntegerAttr>("shard_parts")) {
        info.parts = parts.getInt();
        info.whole = false;
      }
      stageWeights[s].insert(weight.getName());
    }
  });

  int64_t model = 0, replicated = 0, all = 0, perDevice = 0;
  for (const auto &entry : weights) {
    model += entry.getValue().elements * entry.getValue().parts;
    // With one device per tensor-parallel group nothing is replicated.
    if (entry.getValue().whole && tp > 1)
      replicated += entry.getValue().elements;
  }
  llvm::json::Array stages;
  for (int64_t s = 0; s < pp; ++s) {
    int64_t params = 0;
    for (const auto &name : stageWeights[s])
      params += weights.lookup(name.getKey()).elements;
    all += tp * params;
    perDevice = std::max(perDevice, params);
    stages.push_back(llvm::json::Object{{"stage", s},
                                        {"first_layer", firstLayer[s]},
                                        {"num_layers", numLayers[s]},
                                        {"params", params}});
  }
  llvm::json::Object counts;
  for (const auto &entry : collectives)
    counts[entry.getKey().str()] = entry.getValue();
  return llvm::json::Object{
      {"tensor_parallel", tp},
      {"pipeline_parallel", pp},
      {"devices", tp * pp},
      {"model_params", model},
      {"params_per_device", perDevice},
      {"replicated_params", replicated},
      {"params_all_devices", all},
      {"replicated_extra_params", all - model},
      {"stages", std::move(stages)},
      {"collectives", std::move(counts)},
  };
}

static llvm::json::Value number(double value) {
  // Integral values print as integers, so that byte counts read exactly.
  if (value == static_cast<double>(static_cast<int64_t>(value)))
    return static_cast<int64_t>(value);
  return value;
}

llvm::json::Value ModelSummary::toJSON() const {
  llvm::json::Object byDtype;
  for (const auto &[dtype, bytes] : weightBytesByDtype)
    byDtype[dtype] = number(bytes);

  llvm::json::Array layers;
  for (const LayerTypeSummary &t : layerTypes) {
    layers.push_back(llvm::json::Object{
        {"name", t.name},
        {"class", t.cls},
        {"count", t.count},
        {"supported", t.supported},
        {"parameter_count", t.parameterCount},
        {"specs", llvm::json::Object(t.specs)},
    });
  }

  llvm::json::Object result{
      {"model", name},
      {"hidden_size", hiddenSize},
      {"num_layers", numLayers},
      {"vocab_size", vocabSize},
      {"total_params", totalParams},
      {"total_params_formatted", formatCount(totalParams)},
      {"active_params", activeParams},
      {"weight_bytes", number(weightBytes)},
      {"weight_bytes_by_dtype", std::move(byDtype)},
      {"kv_cache_dtype", kvCacheDtype},
      {"kv_cache_bytes_per_token", kvCacheBytesPerToken},
      {"flops_per_token",
       llvm::json::Object{{"prefill", number(prefillFlopsPerToken)},
                          {"decode", number(decodeFlopsPerToken)}}},
      {"bytes_per_token",
       llvm::json::Object{{"prefill", number(prefillBytesPerToken)},
                          {"decode", number(decodeBytesPerToken)}}},
      {"prefill_seq_len", prefill.length},
      {"decode_context", decode.length},
      {"supported", unsupportedKinds.empty()},
      {"unsupported_layers", llvm::json::Array(unsupportedKinds)},
      {"layer_types", std::move(layers)},
  };
  if (maxPositionEmbeddings)
    result["max_position_embeddings"] = maxPositionEmbeddings;
  if (!parallel.empty())
    result["parallel"] = llvm::json::Object(parallel);
  return result;
}
