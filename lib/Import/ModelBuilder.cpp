//===- ModelBuilder.cpp - Emit tt IR from a ModelSpec ---------------------===//
#include "tt/Import/ModelBuilder.h"
#include "llvm/ADT/StringSet.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace tt {
namespace {

class Builder {
public:
  Builder(MLIRContext &ctx, const ModelSpec &s)
      : ctx(ctx), s(s), b(&ctx),
        fileLoc(FileLineColLoc::get(&ctx, s.sourceFile, 1, 1)) {}

  OwningOpRef<ModuleOp> build();

private:
  MLIRContext &ctx;
  const ModelSpec &s;
  OpBuilder b;
  Location fileLoc;
  bool failed = false;
  int64_t layer = -1;
  llvm::StringSet<> used;    ///< stored tensors some weight refers to
  llvm::StringSet<> missing; ///< missing tensors already reported

  RankedTensorType act() {
    return RankedTensorType::get({ShapedType::kDynamic, ShapedType::kDynamic, s.hidden},
                                 Float32Type::get(&ctx));
  }
  bool has(StringRef role) const { return s.tensors.count(role); }
  /// The location of the config key behind `field` (the file when unknown).
  Location at(StringRef field) {
    auto it = s.fieldLocs.find(field);
    if (it != s.fieldLocs.end() && it->second)
      return it->second;
    return fileLoc;
  }
  /// `at(field)`, fused with this layer's override location when the layer
  /// overrides what the op depends on (attention: window, rope theta;
  /// feed-forward: MoE or dense, width).
  Location atLayer(StringRef field) {
    bool attn = field == "heads";
    const ModelSpec::LayerOverride *o =
        layer >= 0 && layer < (int64_t)s.layerOverrides.size()
            ? &s.layerOverrides[layer]
            : nullptr;
    bool relevant = o && (attn ? (o->slidingWindow || o->ropeTheta ||
                                  o->ropeScaling)
                               : (o->moe || o->intermediate));
    if (relevant && layer < (int64_t)s.layerOverrideLocs.size() &&
        s.layerOverrideLocs[layer])
      return FusedLoc::get(&ctx, {s.layerOverrideLocs[layer], at(field)});
    return at(field);
  }
  std::string name(StringRef role) {
    auto it = s.tensors.find(role);
    if (it == s.tensors.end()) {
      if (!failed)
        emitError(fileLoc) << "family description has no tensor name for '"
                           << role << "'";
      failed = true;
      return "<missing:" + role.str() + ">";
    }
    std::string n = it->second;
    size_t pos;
    while ((pos = n.find("{layer}")) != std::string::npos)
      n.replace(pos, 7, std::to_string(layer));
    return n;
  }
  /// The element type of weight `n` of `shape`: the spec's dtype, or the
  /// stored tensor's type after checking that it exists with that shape.
  Type storedType(const std::string &n, ArrayRef<int64_t> shape, Location loc,
                  bool transposed) {
    if (!s.stored)
      return s.dtype;
    // "...{e}..." is one stored tensor per expert, stacked along dim 0.
    if (StringRef(n).contains("{e}")) {
      Type element;
      for (int64_t e = 0; e < shape[0]; ++e) {
        std::string expert = n;
        expert.replace(expert.find("{e}"), 3, std::to_string(e));
        element = storedType(expert, shape.drop_front(), loc, transposed);
      }
      return element;
    }
    // "<fused>[lo:hi]" is a row range of the stored tensor "<fused>".
    StringRef base = StringRef(n).split('[').first;
    auto it = s.stored->tensors.find(base);
    if (it == s.stored->tensors.end()) {
      if (missing.insert(base).second)
        emitError(loc) << "tensor '" << base << "' is missing from "
                       << s.stored->source;
      failed = true;
      return s.dtype;
    }
    used.insert(base);
    const auto &[storedShape, element] = it->second;
    // A transposed weight is stored [in, out].
    SmallVector<int64_t> expected(shape);
    if (transposed && expected.size() == 2)
      std::swap(expected[0], expected[1]);
    // A leading 1 is not stored by every format (GGUF's [hidden] shared
    // expert gate is HF's [1, hidden]).
    auto dropOnes = [](ArrayRef<int64_t> a) {
      while (a.size() > 1 && a.front() == 1)
        a = a.drop_front();
      return a;
    };
    if (base.size() == n.size() &&
        dropOnes(storedShape) != dropOnes(expected)) {
      emitError(loc) << "tensor '" << base << "' in " << s.stored->source
                     << " has shape " << formatShape(storedShape)
                     << " but the model needs " << formatShape(expected);
      failed = true;
    }
    return element;
  }
  /// Where the stored tensor behind weight `n` lives: its file when the
  /// weight source says, else the model description.
  Location tensorFileLoc(StringRef n) {
    if (!s.stored)
      return fileLoc;
    std::string base = n.split('[').first.str();
    size_t e = base.find("{e}");
    if (e != std::string::npos)
      base.replace(e, 3, "0");
    auto it = s.stored->files.find(base);
    if (it == s.stored->files.end())
      return fileLoc;
    return FileLineColLoc::get(&ctx, it->second, 0, 0);
  }
  Value weightNamed(const std::string &n, ArrayRef<int64_t> shape,
                    bool transposed = false) {
    auto loc = NameLoc::get(StringAttr::get(&ctx, n), tensorFileLoc(n));
    auto t = RankedTensorType::get(shape, storedType(n, shape, loc, transposed));
    return WeightOp::create(b, loc, t, n, transposed && shape.size() == 2);
  }
  Value weight(StringRef role, ArrayRef<int64_t> shape, bool transposed = false) {
    return weightNamed(name(role), shape, transposed);
  }
  /// A slice [lo, hi) of rows of a fused tensor, named "<fused>[lo:hi]".
  Value slice(StringRef role, int64_t lo, int64_t hi, ArrayRef<int64_t> rest,
              bool transposed = false) {
    std::string n = llvm::formatv("{0}[{1}:{2}]", name(role), lo, hi).str();
    SmallVector<int64_t> shape{hi - lo};
    shape.append(rest.begin(), rest.end());
    return weightNamed(n, shape, transposed);
  }
  Value optWeight(bool enabled, StringRef role, ArrayRef<int64_t> shape) {
    if (!enabled || !has(role))
      return {};
    return weight(role, shape);
  }
  Value norm(Value x, StringRef wRole, NormPlacement placement) {
    Value w = weight(wRole, {s.hidden});
    std::string bRole = (wRole + "_bias").str();
    Value bias = (s.normKind == NormKind::layer && has(bRole))
                     ? weight(bRole, {s.hidden})
                     : Value();
    return NormOp::create(b, at("eps"), x.getType(), x, w, bias,
                          NormKindAttr::get(&ctx, s.normKind),
                          NormPlacementAttr::get(&ctx, placement),
                          b.getF64FloatAttr(s.eps),
                          s.zeroCentered ? b.getUnitAttr() : UnitAttr());
  }
  Value attention(Value x);
  Value mla(Value x);
  Value mlp(Value x);
  Value moe(Value x);
  Value ffn(Value x) {
    if (!s.isMoELayer(layer))
      return mlp(x);
    if (s.numExperts <= 0) {
      if (!failed)
        emitError(atLayer("num_experts"))
            << "layer " << layer
            << " is a mixture of experts, but the model has no experts";
      failed = true;
      return mlp(x);
    }
    return moe(x);
  }
  Value decoderLayer(Value x);
  RopeAttr layerRope();
};

RopeAttr Builder::layerRope() {
  std::optional<double> theta = s.getRopeTheta(layer);
  bool scaled = s.isRopeScaled(layer);
  if (!s.rope || (!theta && scaled))
    return s.rope;
  const RopeAttr &r = s.rope;
  if (!scaled)
    return RopeAttr::get(&ctx, theta ? llvm::APFloat(*theta) : r.getTheta(),
                         r.getPartial(), RopeScaling::none, llvm::APFloat(1.0),
                         0, llvm::APFloat(1.0), llvm::APFloat(4.0),
                         llvm::APFloat(32.0), llvm::APFloat(1.0),
                         llvm::APFloat(0.0), r.getInterleaved());
  return RopeAttr::get(&ctx, llvm::APFloat(*theta), r.getPartial(),
                       r.getScaling(), r.getFactor(),
                       r.getOriginalMaxPosition(), r.getLowFreqFactor(),
                       r.getHighFreqFactor(), r.getBetaFast(), r.getBetaSlow(),
                       r.getAttentionFactor(), r.getInterleaved());
}

/// One decoder layer's body: the sublayers with their norms and residual
/// adds, in the arrangement the spec describes.
Value Builder::decoderLayer(Value x) {
  if (s.parallelAttnMLP) {
    // x + attn(ln(x)) + mlp(ln(x)), or with ln_attn / ln_mlp.
    Value n1 = s.preNorm ? norm(x, "attn_norm", NormPlacement::pre) : x;
    Value n2 = s.preNorm && s.parallelTwoNorms
                   ? norm(x, "mlp_norm", NormPlacement::pre)
                   : n1;
    Value a = attention(n1);
    Value m = ffn(n2);
    if (s.postNorm) {
      a = norm(a, "attn_post_norm", NormPlacement::post);
      m = norm(m, "mlp_post_norm", NormPlacement::post);
    }
    Value r = AddOp::create(b, at("parallel"), x, a);
    return AddOp::create(b, at("parallel"), r, m);
  }
  // Sequential: each sublayer with an optional pre-norm on its input and
  // post-norm on its output (Llama: pre; OLMo 2: post; Gemma 2: both).
  Value in = s.preNorm ? norm(x, "attn_norm", NormPlacement::pre) : x;
  Value a = attention(in);
  if (s.postNorm)
    a = norm(a, "attn_post_norm", NormPlacement::post);
  Value r1 = AddOp::create(b, fileLoc, x, a);
  in = s.preNorm ? norm(r1, "mlp_norm", NormPlacement::pre) : r1;
  Value m = ffn(in);
  if (s.postNorm)
    m = norm(m, "mlp_post_norm", NormPlacement::post);
  return AddOp::create(b, fileLoc, r1, m);
}

Value Builder::attention(Value x) {
  if (s.attention == ModelSpec::AttentionKind::MLA)
    return mla(x);
  int64_t hd = s.getHeadDim(), q = s.heads * hd, kv = s.kvHeads * hd, h = s.hidden;
  bool tr = s.transposed;
  Value wq, wk, wv, bq, bk, bv;
  if (s.fusedQKV) {
    wq = slice("qkv", 0, q, {h}, tr);
    wk = slice("qkv", q, q + kv, {h}, tr);
    wv = slice("qkv", q + kv, q + 2 * kv, {h}, tr);
    if (s.attentionBias && has("qkv_bias")) {
      bq = slice("qkv_bias", 0, q, {});
      bk = slice("qkv_bias", q, q + kv, {});
      bv = slice("qkv_bias", q + kv, q + 2 * kv, {});
    }
    // Grouped storage: the ranges index the de-interleaved [Q; K; V] rows.
    if (s.fusedQKVGroups)
      for (Value w : {wq, wk, wv, bq, bk, bv})
        if (w)
          w.getDefiningOp()->setAttr("qkv_groups",
                                     b.getI64IntegerAttr(s.fusedQKVGroups));
  } else {
    wq = weight("q", {q, h}, tr);
    wk = weight("k", {kv, h}, tr);
    wv = weight("v", {kv, h}, tr);
    bq = optWeight(s.attentionBias, "q_bias", {q});
    bk = optWeight(s.attentionBias, "k_bias", {kv});
    bv = optWeight(s.attentionBias, "v_bias", {kv});
  }
  Value wo = weight("o", {h, q}, tr);
  Value bo = optWeight(s.attentionBias, "o_bias", {h});
  Value qn = optWeight(s.qkNorm, "q_norm", {s.qkNormWhole ? q : hd});
  Value kn = optWeight(s.qkNorm, "k_norm", {s.qkNormWhole ? kv : hd});
  IntegerAttr headDim =
      (s.headDim && s.headDim * s.heads != s.hidden) ? b.getI64IntegerAttr(s.headDim)
                                                     : IntegerAttr();
  std::optional<int64_t> w = s.getSlidingWindow(layer);
  IntegerAttr window = w ? b.getI64IntegerAttr(*w) : IntegerAttr();
  FloatAttr qkEps = s.qkNorm ? b.getF64FloatAttr(s.eps) : FloatAttr();
  FloatAttr softcap =
      s.attnSoftcap ? b.getF64FloatAttr(*s.attnSoftcap) : FloatAttr();
  FloatAttr scale = s.attnScale ? b.getF64FloatAttr(*s.attnScale) : FloatAttr();
  auto op = AttentionOp::create(
      b, atLayer("heads"), x.getType(), x, wq, wk, wv, wo, bq, bk, bv, bo, qn,
      kn, b.getI64IntegerAttr(s.heads), b.getI64IntegerAttr(s.kvHeads), headDim,
      window, softcap, scale, qkEps, UnitAttr(),
      s.alibi ? b.getUnitAttr() : UnitAttr(), s.alibi ? RopeAttr() : layerRope());
  // ALiBi's maximum bias is 8 unless recorded (MPT's alibi_bias_max).
  if (s.alibi && s.alibiMaxBias != 8.0)
    op->setAttr("tt.alibi_max_bias", b.getF64FloatAttr(s.alibiMaxBias));
  return op;
}

Value Builder::mla(Value x) {
  int64_t h = s.hidden, qhd = s.qkNopeHeadDim + s.qkRopeHeadDim;
  SmallVector<Value> ws;
  if (s.qLoraRank) {
    ws.push_back(weight("mla_q_a", {s.qLoraRank, h}));
    ws.push_back(weight("mla_q_a_norm", {s.qLoraRank}));
    ws.push_back(weight("mla_q_b", {s.heads * qhd, s.qLoraRank}));
  } else {
    ws.push_back(weight("q", {s.heads * qhd, h}));
  }
  ws.push_back(weight("mla_kv_a", {s.kvLoraRank + s.qkRopeHeadDim, h}));
  ws.push_back(weight("mla_kv_a_norm", {s.kvLoraRank}));
  ws.push_back(weight("mla_kv_b",
                      {s.heads * (s.qkNopeHeadDim + s.vHeadDim), s.kvLoraRank}));
  ws.push_back(weight("o", {h, s.heads * s.vHeadDim}));
  auto op =
      UnsupportedOp::create(b, at("kv_lora_rank"), TypeRange{x.getType()},
                            "multi_head_latent_attention", ValueRange{x}, ws);
  auto i64 = [&](int64_t v) { return b.getI64IntegerAttr(v); };
  op->setAttr("num_heads", i64(s.heads));
  op->setAttr("q_lora_rank", i64(s.qLoraRank));
  op->setAttr("kv_lora_rank", i64(s.kvLoraRank));
  op->setAttr("qk_nope_head_dim", i64(s.qkNopeHeadDim));
  op->setAttr("qk_rope_head_dim", i64(s.qkRopeHeadDim));
  op->setAttr("v_head_dim", i64(s.vHeadDim));
  if (s.rope)
    op->setAttr("rope", s.rope);
  return op->getResult(0);
}

Value Builder::mlp(Value x) {
  int64_t h = s.hidden, i = s.getIntermediate(layer);
  bool tr = s.transposed;
  Value up, gate, down, ub, gb, db;
  if (s.fusedGateUp) {
    gate = slice("gate_up", 0, i, {h}, tr);
    up = slice("gate_up", i, 2 * i, {h}, tr);
  } else {
    if (s.gatedMLP)
      gate = weight("gate", {i, h}, tr);
    up = weight("up", {i, h}, tr);
  }
  down = weight("down", {h, i}, tr);
  ub = optWeight(s.mlpBias, "up_bias", {i});
  if (s.gatedMLP)
    gb = optWeight(s.mlpBias, "gate_bias", {i});
  db = optWeight(s.mlpBias, "down_bias", {h});
  return MLPOp::create(b, atLayer("intermediate"), x.getType(), x, up, gate,
                       down, ub, gb, db,
                       ActivationAttr::get(&ctx, s.activation));
}

Value Builder::moe(Value x) {
  int64_t h = s.hidden, e = s.numExperts, i = s.moeIntermediate;
  Value router = weight("router", {e, h});
  Value routerBias = has("router_bias") ? weight("router_bias", {e}) : Value();
  Value gate = weight("expert_gate", {e, i, h});
  Value up = weight("expert_up", {e, i, h});
  Value down = weight("expert_down", {e, h, i});
  Value sg, su, sd, sr;
  // Shared experts: `sharedExperts` of them (at least one when only their
  // total width is given), concatenated along the intermediate dimension.
  int64_t numShared = s.sharedExperts;
  if (!numShared && s.sharedExpertIntermediate)
    numShared = 1;
  if (numShared) {
    int64_t si =
        s.sharedExpertIntermediate ? s.sharedExpertIntermediate : numShared * i;
    sg = weight("shared_gate", {si, h});
    su = weight("shared_up", {si, h});
    sd = weight("shared_down", {h, si});
    if (s.sharedExpertGate)
      sr = weight("shared_router", {1, h});
  }
  return MoEOp::create(
      b, atLayer("num_experts"), x.getType(), x, router, gate, up, down,
      routerBias, sg, su, sd, sr, ActivationAttr::get(&ctx, s.activation),
      b.getI64IntegerAttr(e), b.getI64IntegerAttr(s.topK),
      numShared ? b.getI64IntegerAttr(numShared) : IntegerAttr(),
      RouterNormAttr::get(&ctx, s.routerNorm));
}

OwningOpRef<ModuleOp> Builder::build() {
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());
  auto i32 = IntegerType::get(&ctx, 32);
  auto tokensTy =
      RankedTensorType::get({ShapedType::kDynamic, ShapedType::kDynamic}, i32);
  auto logitsTy = RankedTensorType::get(
      {ShapedType::kDynamic, ShapedType::kDynamic, s.vocab}, Float32Type::get(&ctx));
  auto func = func::FuncOp::create(b, NameLoc::get(b.getStringAttr(s.name), fileLoc),
                                   s.name, b.getFunctionType({tokensTy}, {logitsTy}));
  func->setAttr("tt.max_position_embeddings", b.getI64IntegerAttr(s.maxPositions));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToEnd(entry);

  Value emb = weight("embed", {s.vocab, s.hidden});
  Value pos = s.learnedPositions ? weight("positions", {s.maxPositions, s.hidden})
                                 : Value();
  Value x = EmbeddingOp::create(
      b, at("vocab"), act(), entry->getArgument(0), emb, pos,
      s.embeddingScale ? b.getF64FloatAttr(*s.embeddingScale) : FloatAttr());
  if (s.embeddingNorm)
    x = norm(x, "embed_norm", NormPlacement::embedding);

  for (layer = 0; layer < s.layers; ++layer) {
    auto loc = NameLoc::get(b.getStringAttr(llvm::formatv("layer {0}", layer).str()),
                            fileLoc);
    auto l = LayerOp::create(b, loc, act(), b.getI64IntegerAttr(layer), x);
    Block *body = new Block();
    l.getBody().push_back(body);
    Value hIn = body->addArgument(act(), loc);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(body);
    YieldOp::create(b, fileLoc, decoderLayer(hIn));
    x = l.getResult();
  }
  layer = -1;
  Value nf = norm(x, "final_norm", NormPlacement::final);
  Value head = s.tied ? emb : weight("lm_head", {s.vocab, s.hidden});
  Value headBias =
      has("lm_head_bias") ? weight("lm_head_bias", {s.vocab}) : Value();
  Value logits = LMHeadOp::create(
      b, s.finalSoftcap ? at("final_softcap") : at("vocab"), logitsTy, nf, head,
      headBias,
      s.finalSoftcap ? b.getF64FloatAttr(*s.finalSoftcap) : FloatAttr());
  func::ReturnOp::create(b, fileLoc, logits);
  if (s.stored && !failed) {
    for (const auto &entry : s.stored->tensors) {
      if (used.contains(entry.getKey()))
        continue;
      emitError(fileLoc) << "tensor '" << entry.getKey() << "' in "
                         << s.stored->source
                         << " maps to no weight of the model";
      failed = true;
    }
  }
  if (failed)
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> buildModel(MLIRContext &ctx, const ModelSpec &spec) {
  ctx.getOrLoadDialect<TTDialect>();
  ctx.getOrLoadDialect<func::FuncDialect>();
  return Builder(ctx, spec).build();
}

} // namespace tt
