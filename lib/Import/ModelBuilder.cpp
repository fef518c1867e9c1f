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
  llvm::StringSet<> used; ///< stored tensors some weight refers to

  RankedTensorType act() {
    return RankedTensorType::get({ShapedType::kDynamic, ShapedType::kDynamic, s.hidden},
                                 Float32Type::get(&ctx));
  }
  bool has(StringRef role) const { return s.tensors.count(role); }
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
    if (base.size() == n.size() && ArrayRef<int64_t>(storedShape) != ArrayRef<int64_t>(expected)) {
      emitError(loc) << "tensor '" << base << "' in " << s.stored->source
                     << " has shape " << formatShape(storedShape)
                     << " but the model needs " << formatShape(expected);
      failed = true;
    }
    return element;
  }
  Value weightNamed(const std::string &n, ArrayRef<int64_t> shape,
                    bool transposed = false) {
    auto loc = NameLoc::get(StringAttr::get(&ctx, n), fileLoc);
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
  Value norm(Value x, StringRef wRole, StringRef bRole, NormPlacement placement) {
    Value w = weight(wRole, {s.hidden});
    Value bias = (s.normKind == NormKind::layer && has(bRole))
                     ? weight(bRole, {s.hidden})
                     : Value();
    return NormOp::create(b, fileLoc, x.getType(), x, w, bias,
                          NormKindAttr::get(&ctx, s.normKind),
                          NormPlacementAttr::get(&ctx, placement),
                          b.getF64FloatAttr(s.eps),
                          s.zeroCentered ? b.getUnitAttr() : UnitAttr());
  }
  Value attention(Value x);
  Value mla(Value x);
  Value mlp(Value x);
  Value moe(Value x);
};

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
  Value qn = optWeight(s.qkNorm, "q_norm", {hd});
  Value kn = optWeight(s.qkNorm, "k_norm", {hd});
  IntegerAttr headDim =
      (s.headDim && s.headDim * s.heads != s.hidden) ? b.getI64IntegerAttr(s.headDim)
                                                     : IntegerAttr();
  IntegerAttr window =
      s.slidingWindow ? b.getI64IntegerAttr(*s.slidingWindow) : IntegerAttr();
  FloatAttr qkEps = s.qkNorm ? b.getF64FloatAttr(s.eps) : FloatAttr();
  return AttentionOp::create(b, fileLoc, x.getType(), x, wq, wk, wv, wo, bq, bk,
                             bv, bo, qn, kn, b.getI64IntegerAttr(s.heads),
                             b.getI64IntegerAttr(s.kvHeads), headDim, window,
                             FloatAttr(), FloatAttr(), qkEps, UnitAttr(),
                             UnitAttr(), s.rope);
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
  auto op = UnsupportedOp::create(b, fileLoc, TypeRange{x.getType()},
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
  int64_t h = s.hidden, i = s.intermediate;
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
  return MLPOp::create(b, fileLoc, x.getType(), x, up, gate, down, ub, gb, db,
                       ActivationAttr::get(&ctx, s.activation));
}

Value Builder::moe(Value x) {
  int64_t h = s.hidden, e = s.numExperts, i = s.moeIntermediate;
  Value router = weight("router", {e, h});
  Value routerBias = has("router_bias") ? weight("router_bias", {e}) : Value();
  Value gate = weight("expert_gate", {e, i, h});
  Value up = weight("expert_up", {e, i, h});
  Value down = weight("expert_down", {e, h, i});
  Value sg, su, sd;
  if (s.sharedExperts) {
    int64_t si = s.sharedExperts * i;
    sg = weight("shared_gate", {si, h});
    su = weight("shared_up", {si, h});
    sd = weight("shared_down", {h, si});
  }
  return MoEOp::create(
      b, fileLoc, x.getType(), x, router, gate, up, down, routerBias, sg, su, sd,
      Value(), ActivationAttr::get(&ctx, s.activation), b.getI64IntegerAttr(e),
      b.getI64IntegerAttr(s.topK),
      s.sharedExperts ? b.getI64IntegerAttr(s.sharedExperts) : IntegerAttr(),
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
      b, fileLoc, act(), entry->getArgument(0), emb, pos,
      s.embeddingScale ? b.getF64FloatAttr(*s.embeddingScale) : FloatAttr());

  for (layer = 0; layer < s.layers; ++layer) {
    auto loc = NameLoc::get(b.getStringAttr(llvm::formatv("layer {0}", layer).str()),
                            fileLoc);
    auto l = LayerOp::create(b, loc, act(), b.getI64IntegerAttr(layer), x);
    Block *body = new Block();
    l.getBody().push_back(body);
    Value hIn = body->addArgument(act(), loc);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(body);
    Value n1 = norm(hIn, "attn_norm", "attn_norm_bias", NormPlacement::pre);
    Value a = attention(n1);
    Value r1 = AddOp::create(b, fileLoc, hIn, a);
    Value n2 = norm(r1, "mlp_norm", "mlp_norm_bias", NormPlacement::pre);
    Value m = s.isMoELayer(layer) ? moe(n2) : mlp(n2);
    Value r2 = AddOp::create(b, fileLoc, r1, m);
    YieldOp::create(b, fileLoc, r2);
    x = l.getResult();
  }
  layer = -1;
  Value nf = norm(x, "final_norm", "final_norm_bias", NormPlacement::final);
  Value head = s.tied ? emb : weight("lm_head", {s.vocab, s.hidden});
  Value logits = LMHeadOp::create(b, fileLoc, logitsTy, nf, head, Value(), FloatAttr());
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
