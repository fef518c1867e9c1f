//===- ConvertTTToLinalg.cpp - tt to linalg, tensor and runtime calls -----===//
//
// Specialises each model function into prefill and decode step functions
// with a C signature, then lowers the tt ops inside them with conversion
// patterns: matrix products, the embedding lookup and attention over the KV
// cache become calls into the runtime (tt/Runtime/RuntimeABI.h), everything
// element-wise becomes linalg.generic on tensors.
//
//===----------------------------------------------------------------------===//

#include "StepBuilder.h"
#include "tt/Conversion/Passes.h"
#include "tt/Conversion/TTToLinalg/ShardToRuntime.h"
#include "tt/Conversion/TTToLinalg/TTToLinalg.h"
#include "tt/Dialect/TT/IR/TTAttributes.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Fusion.h"
#include "tt/Runtime/RuntimeABI.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <limits>

namespace tt {
#define GEN_PASS_DEF_CONVERTTTTOLINALG
#include "tt/Conversion/Passes.h.inc"
} // namespace tt

using namespace mlir;
using namespace tt;

namespace {

constexpr StringLiteral kLayerIndexAttr = "tt_layer_index";
/// An alibi attention's maximum bias when it is not 8 (the importers set it
/// from MPT's alibi_bias_max / GGUF's attention.max_alibi_bias).
constexpr StringLiteral kAlibiMaxBiasAttr = "tt.alibi_max_bias";

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

/// A weight as the runtime hands it out: storage pointer and ggml type id.
struct WeightRef {
  Value ptr, type;
};

/// Emits the code of one lowered op at the rewriter's insertion point.
class Emitter : public StepBuilder {
public:
  Emitter(OpBuilder &b, Location loc, Step step,
          const llvm::StringMap<std::string> &names)
      : StepBuilder(b, loc, step), names(names) {}

  int64_t nStatic() { return step.decode ? 1 : ShapedType::kDynamic; }
  SmallVector<Value> nDyn() {
    if (step.decode)
      return {};
    return {nIndex()};
  }

  /// `tensor<N x dims... x f32>` for this step.
  RankedTensorType actType(ArrayRef<int64_t> dims) {
    SmallVector<int64_t> shape{nStatic()};
    shape.append(dims.begin(), dims.end());
    return RankedTensorType::get(shape, b.getF32Type());
  }

  /// The dynamic sizes of an activation-shaped type.
  SmallVector<Value> dynFor(RankedTensorType type) {
    SmallVector<Value> dyn;
    for (int64_t i = 0; i < type.getRank(); ++i)
      if (type.isDynamicDim(i))
        dyn.push_back(nIndex());
    return dyn;
  }


  /// ttrt_weight(ctx, "name", &type).
  WeightRef weight(Value w) {
    auto op = w.getDefiningOp<WeightOp>();
    return weightNamed(weightBindKey(op, op.getName()));
  }
  WeightRef weightNamed(StringRef nameStr) {
    auto nameGlobal = names.lookup(nameStr);
    Value name = LLVM::AddressOfOp::create(b, loc, ptrTy(), nameGlobal);
    Value slot =
        LLVM::AllocaOp::create(b, loc, ptrTy(), b.getI32Type(), i64(1));
    Value ptr =
        call("ttrt_weight", ptrTy(), {step.ctx, name, slot}).getResult(0);
    Value type = LLVM::LoadOp::create(b, loc, b.getI32Type(), slot);
    return {ptr, type};
  }

  /// Expert `e`'s [rows, cols] matrix of a stacked [E, rows, cols] weight:
  /// its own tensor when the name has `{e}`, else rows e*rows.. of one.
  WeightRef expertWeight(Value w, int64_t e) {
    auto op = w.getDefiningOp<WeightOp>();
    auto type = cast<RankedTensorType>(w.getType());
    int64_t rows = type.getDimSize(1), cols = type.getDimSize(2);
    if (op.getName().contains("{e}"))
      return weightNamed(
          weightBindKey(op, expandExpertName(op.getName(), e)));
    WeightRef base = weight(w);
    Value rowBytes =
        call("ttrt_row_bytes", b.getI64Type(), {base.type, i64(cols)})
            .getResult(0);
    Value offset = arith::MulIOp::create(b, loc, rowBytes, i64(e * rows));
    Value ptr = LLVM::GEPOp::create(b, loc, ptrTy(), b.getI8Type(), base.ptr,
                                    ValueRange{offset});
    return {ptr, base.type};
  }

  /// A 1-D weight (norm scale, bias) as an f32 buffer, whatever its storage.
  Value vectorBuffer(Value w) {
    auto type = cast<RankedTensorType>(w.getType());
    int64_t n = type.getNumElements();
    WeightRef ref = weight(w);
    Value buf = alloc(RankedTensorType::get({n}, b.getF32Type()));
    call("ttrt_to_f32", {}, {ref.ptr, ref.type, i64(n), ptrOf(buf)});
    return buf;
  }
  Value vector(Value w) { return toTensor(vectorBuffer(w)); }

  /// x [N, K] times weight [out, K] transposed (+ bias): [N, out].
  Value matmul(Value x, Value w, Value bias) {
    auto wt = cast<RankedTensorType>(w.getType());
    int64_t out = wt.getDimSize(0), in = wt.getDimSize(1);
    return matmul(x, weight(w), out, in, bias);
  }
  Value matmul(Value x, WeightRef ref, int64_t out, int64_t in, Value bias) {
    return matmulAt(ptrOf(x), ref, out, in, bias);
  }
  /// The same with the step's rows of x read from address `x`.
  Value matmulAt(Value x, WeightRef ref, int64_t out, int64_t in, Value bias) {
    Value biasPtr = bias ? ptrOf(vectorBuffer(bias))
                         : LLVM::ZeroOp::create(b, loc, ptrTy()).getResult();
    Value y = alloc(actType({out}));
    call("ttrt_matmul", {},
         {ref.ptr, ref.type, i64(out), i64(in), x, nI64(), ptrOf(y), biasPtr});
    return toTensor(y);
  }

  /// The norm a fused projection call applies to its activation first.
  struct FusedNorm {
    int32_t kind = TTRT_NORM_NONE;
    double eps = 0;
    Value weight, bias;
    bool zeroCentered = false;
  };
  static FusedNorm fusedNorm(NormOp n) {
    FusedNorm f;
    f.kind = n.getKind() == NormKind::rms ? TTRT_NORM_RMS : TTRT_NORM_LAYER;
    f.eps = n.getEps().convertToDouble();
    f.weight = n.getWeight();
    f.bias = n.getBias();
    f.zeroCentered = n.getZeroCentered();
    return f;
  }

  /// tt-fuse's projections: one ttrt_matmul_fused call computing x [N, K]
  /// (normalised by `norm` first) times each of `parts` (a weight [out, K]
  /// and an optional bias), `residual` added to the first. [N, out] each.
  SmallVector<Value> fusedMatmul(Value x, int64_t k, const FusedNorm &norm,
                                 Value residual,
                                 ArrayRef<std::pair<Value, Value>> parts) {
    Value null = LLVM::ZeroOp::create(b, loc, ptrTy());
    Value normW = norm.weight ? ptrOf(vectorBuffer(norm.weight)) : null;
    Value normB = norm.bias ? ptrOf(vectorBuffer(norm.bias)) : null;
    SmallVector<Value> args{ptrOf(x),
                            nI64(),
                            i64(k),
                            i32(norm.kind),
                            f32(norm.eps),
                            normW,
                            normB,
                            i32(norm.zeroCentered),
                            residual ? ptrOf(residual) : null,
                            i32(parts.size())};
    SmallVector<Value> outs;
    for (size_t i = 0; i < 3; ++i) {
      if (i >= parts.size()) {
        args.append({null, i32(TTRT_TYPE_F32), i64(0), null, null});
        continue;
      }
      auto [w, bias] = parts[i];
      int64_t out = cast<RankedTensorType>(w.getType()).getDimSize(0);
      WeightRef ref = weight(w);
      Value y = alloc(actType({out}));
      outs.push_back(y);
      args.append({ref.ptr, ref.type, i64(out), ptrOf(y),
                   bias ? ptrOf(vectorBuffer(bias)) : null});
    }
    call("ttrt_matmul_fused", {}, args);
    SmallVector<Value> results;
    for (Value y : outs)
      results.push_back(toTensor(y));
    return results;
  }

  /// 1 / theta^(2i / rot) as an f32 constant tensor, for the runtime.
  Value inverseFrequencyTable(RopeAttr rope, int64_t headDim) {
    SmallVector<float> inv =
        inverseFrequencies(rope, rope.getRotaryDims(headDim));
    auto type = RankedTensorType::get({static_cast<int64_t>(inv.size())},
                                      b.getF32Type());
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, ArrayRef<float>(inv)));
  }

  /// A linalg.generic over `outType` with all-parallel iterators.
  Value generic(RankedTensorType outType, ValueRange inputs,
                ArrayRef<AffineMap> inputMaps,
                function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    unsigned rank = outType.getRank();
    SmallVector<Value> dyn;
    for (int64_t i = 0; i < rank; ++i)
      if (outType.isDynamicDim(i))
        dyn.push_back(nIndex());
    Value init = tensor::EmptyOp::create(b, loc, outType.getShape(),
                                         outType.getElementType(), dyn);
    SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
    maps.push_back(b.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    auto op = linalg::GenericOp::create(
        b, loc, TypeRange{outType}, inputs, ValueRange{init}, maps, iters,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          linalg::YieldOp::create(nb, nl, body(nb, nl, args));
        });
    return op.getResult(0);
  }

  /// Element-wise map of same-shaped tensors.
  Value map(ValueRange inputs,
            function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    auto type = cast<RankedTensorType>(inputs.front().getType());
    SmallVector<AffineMap> maps(inputs.size(),
                                b.getMultiDimIdentityMap(type.getRank()));
    return generic(type, inputs, maps, body);
  }

  /// Sum over the last dimension of `f(x)`: [..., C] -> [...].
  Value reduceLast(Value x, function_ref<Value(OpBuilder &, Location, Value)> f,
                   bool max = false) {
    auto type = cast<RankedTensorType>(x.getType());
    unsigned rank = type.getRank();
    auto outType = RankedTensorType::get(type.getShape().drop_back(),
                                         type.getElementType());
    SmallVector<Value> dyn;
    for (int64_t i = 0; i + 1 < rank; ++i)
      if (type.isDynamicDim(i))
        dyn.push_back(nIndex());
    Value init = tensor::EmptyOp::create(b, loc, outType.getShape(),
                                         outType.getElementType(), dyn);
    Value start = f32(max ? -std::numeric_limits<float>::infinity() : 0.0);
    init = linalg::FillOp::create(b, loc, start, init).getResult(0);
    SmallVector<AffineMap> maps{
        b.getMultiDimIdentityMap(rank),
        b.getMultiDimIdentityMap(rank).dropResult(rank - 1)};
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.back() = utils::IteratorType::reduction;
    auto op = linalg::GenericOp::create(
        b, loc, TypeRange{outType}, ValueRange{x}, ValueRange{init}, maps,
        iters, [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = f(nb, nl, args[0]);
          Value r =
              max ? arith::MaximumFOp::create(nb, nl, args[1], v).getResult()
                  : arith::AddFOp::create(nb, nl, args[1], v).getResult();
          linalg::YieldOp::create(nb, nl, r);
        });
    return op.getResult(0);
  }

  /// RMSNorm or LayerNorm over the last dimension of x.
  Value norm(Value x, NormKind kind, double eps, bool zeroCentered,
             Value weight, Value bias) {
    auto type = cast<RankedTensorType>(x.getType());
    unsigned rank = type.getRank();
    int64_t c = type.getShape().back();
    AffineMap id = b.getMultiDimIdentityMap(rank);
    AffineMap row = id.dropResult(rank - 1);
    AffineMap col = AffineMap::get(rank, 0, b.getAffineDimExpr(rank - 1));
    float invC = 1.0f / static_cast<float>(c);
    Value mean;
    if (kind == NormKind::layer) {
      Value sum =
          reduceLast(x, [](OpBuilder &, Location, Value v) { return v; });
      mean = generic(cast<RankedTensorType>(sum.getType()), {sum},
                     {b.getMultiDimIdentityMap(rank - 1)},
                     [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       Value k = arith::ConstantOp::create(
                           nb, nl, nb.getF32FloatAttr(invC));
                       return arith::MulFOp::create(nb, nl, a[0], k);
                     });
      x = generic(type, {x, mean}, {id, row},
                  [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                    return arith::SubFOp::create(nb, nl, a[0], a[1]);
                  });
    }
    Value ss = reduceLast(x, [](OpBuilder &nb, Location nl, Value v) -> Value {
      return arith::MulFOp::create(nb, nl, v, v);
    });
    SmallVector<Value> ins{x, ss};
    SmallVector<AffineMap> maps{id, row};
    if (weight) {
      ins.push_back(vector(weight));
      maps.push_back(col);
    }
    if (bias) {
      ins.push_back(vector(bias));
      maps.push_back(col);
    }
    return generic(
        type, ins, maps,
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value cInv = arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(c));
          Value e = arith::ConstantOp::create(
              nb, nl, nb.getF32FloatAttr(static_cast<float>(eps)));
          Value var = arith::DivFOp::create(nb, nl, a[1], cInv);
          var = arith::AddFOp::create(nb, nl, var, e);
          Value one =
              arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(1.0f));
          Value s = math::SqrtOp::create(nb, nl, var);
          s = arith::DivFOp::create(nb, nl, one, s);
          Value y = arith::MulFOp::create(nb, nl, s, a[0]);
          unsigned next = 2;
          if (weight) {
            Value w = a[next++];
            if (zeroCentered)
              w = arith::AddFOp::create(nb, nl, w, one);
            y = arith::MulFOp::create(nb, nl, w, y);
          }
          if (bias)
            y = arith::AddFOp::create(nb, nl, y, a[next]);
          return y;
        });
  }

  /// [N, A*B] <-> [N, A, B].
  Value split(Value x, int64_t a, int64_t bDim) {
    auto outType = actType({a, bDim});
    SmallVector<OpFoldResult> shape{
        step.decode ? OpFoldResult(b.getIndexAttr(1)) : OpFoldResult(nIndex()),
        b.getIndexAttr(a), b.getIndexAttr(bDim)};
    return tensor::ExpandShapeOp::create(
        b, loc, outType, x,
        {ReassociationIndices{0}, ReassociationIndices{1, 2}}, shape);
  }
  Value merge(Value x) {
    auto type = cast<RankedTensorType>(x.getType());
    auto outType = actType({type.getDimSize(1) * type.getDimSize(2)});
    return tensor::CollapseShapeOp::create(
        b, loc, outType, x,
        {ReassociationIndices{0}, ReassociationIndices{1, 2}});
  }

  /// cos and sin of p(s) * invfreq[i], [N, rot/2] each, p(s) row s's
  /// position (pos0 + s, or positions[s] in a batched step): computed once
  /// per attention op and shared by every head of Q and K.
  std::pair<Value, Value> ropeTables(RopeAttr rope, int64_t headDim) {
    int64_t rot = rope.getRotaryDims(headDim);
    int64_t half = rot / 2;
    auto freqType = RankedTensorType::get({half}, b.getF32Type());
    Value freqs;
    // Dynamic NTK in a batched step: each row's sequence length gives its
    // own frequencies, [N, rot/2].
    bool perRow = false;
    if (rope.getScaling() == RopeScaling::dynamic) {
      perRow = step.batch;
      freqs = dynamicFrequencies(rope, rot);
    } else {
      SmallVector<float> inv = inverseFrequencies(rope, rot);
      freqs = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(freqType, ArrayRef<float>(inv)));
    }
    // YaRN scales cos and sin (HF's attention_scaling).
    float mscale = static_cast<float>(attentionScaling(rope));
    auto table = [&](bool sine) {
      return generic(
          actType({half}), {freqs},
          {perRow ? b.getMultiDimIdentityMap(2)
                  : AffineMap::get(2, 0, b.getAffineDimExpr(1))},
          [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value s = linalg::IndexOp::create(nb, nl, 0);
            Value p = step.positionOf(nb, nl, s);
            Value pf = arith::SIToFPOp::create(nb, nl, nb.getF32Type(), p);
            Value angle = arith::MulFOp::create(nb, nl, pf, a[0]);
            Value r = sine ? math::SinOp::create(nb, nl, angle).getResult()
                           : math::CosOp::create(nb, nl, angle).getResult();
            if (mscale != 1.0f)
              r = arith::MulFOp::create(
                  nb, nl, r,
                  arith::ConstantOp::create(nb, nl,
                                            nb.getF32FloatAttr(mscale)));
            return r;
          });
    };
    Value cosT = table(false);
    Value sinT = table(true);
    return {cosT, sinT};
  }

  /// Rotary embedding of x [N, heads, D] with the tables of ropeTables.
  Value rope(Value x, RopeAttr rope, int64_t headDim,
             std::pair<Value, Value> tables) {
    int64_t rot = rope.getRotaryDims(headDim);
    int64_t half = rot / 2;
    bool interleaved = rope.getInterleaved();
    auto type = cast<RankedTensorType>(x.getType());
    Value cosT = tables.first, sinT = tables.second;
    return generic(
        type, {x}, {b.getMultiDimIdentityMap(3)},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          auto cidx = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(nb, nl, v);
          };
          Value s = linalg::IndexOp::create(nb, nl, 0);
          Value h = linalg::IndexOp::create(nb, nl, 1);
          Value d = linalg::IndexOp::create(nb, nl, 2);
          Value zero = cidx(0), one = cidx(1), two = cidx(2);
          Value inRot = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult,
                                              d, cidx(rot));
          Value dr = arith::SelectOp::create(nb, nl, inRot, d, zero);
          Value partner, freqIdx, lower;
          if (interleaved) {
            Value rem = arith::RemUIOp::create(nb, nl, dr, two);
            lower = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, rem,
                                          zero);
            Value up = arith::AddIOp::create(nb, nl, dr, one);
            Value down = arith::SubIOp::create(nb, nl, dr, rem);
            partner = arith::SelectOp::create(nb, nl, lower, up, down);
            freqIdx = arith::DivUIOp::create(nb, nl, dr, two);
          } else {
            lower = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult, dr,
                                          cidx(half));
            Value up = arith::AddIOp::create(nb, nl, dr, cidx(half));
            Value down = arith::SubIOp::create(nb, nl, dr, cidx(half));
            partner = arith::SelectOp::create(nb, nl, lower, up, down);
            freqIdx = arith::SelectOp::create(nb, nl, lower, dr, down);
          }
          Value cs =
              tensor::ExtractOp::create(nb, nl, cosT, ValueRange{s, freqIdx});
          Value sn =
              tensor::ExtractOp::create(nb, nl, sinT, ValueRange{s, freqIdx});
          Value other =
              tensor::ExtractOp::create(nb, nl, x, ValueRange{s, h, partner});
          Value neg = arith::NegFOp::create(nb, nl, other);
          other = arith::SelectOp::create(nb, nl, lower, neg, other);
          Value y = arith::MulFOp::create(nb, nl, a[0], cs);
          Value t = arith::MulFOp::create(nb, nl, other, sn);
          y = arith::AddFOp::create(nb, nl, y, t);
          return arith::SelectOp::create(nb, nl, inRot, y, a[0]);
        });
  }

  /// Dynamic NTK scaling (HF's `dynamic`): once the sequence (pos0 + n
  /// positions) outgrows original_max_position, the base becomes
  /// theta * (factor * len / orig - (factor - 1))^(rot / (rot - 2)); the
  /// frequencies 1 / base^(2i / rot) are then computed at run time: [rot/2],
  /// or [N, rot/2] in a batched step, row s for its own sequence's length
  /// positions[s] + 1 (what an unbatched decode step at that position uses).
  Value dynamicFrequencies(RopeAttr rope, int64_t rot) {
    Type f32 = b.getF32Type();
    if (step.batch)
      return generic(actType({rot / 2}), {}, {},
                     [&](OpBuilder &nb, Location nl, ValueRange) {
                       Value s = linalg::IndexOp::create(nb, nl, 0);
                       Value one = arith::ConstantOp::create(
                           nb, nl, nb.getI64IntegerAttr(1));
                       Value len = arith::AddIOp::create(
                           nb, nl, step.positionOf(nb, nl, s), one);
                       Value base = dynamicBase(nb, nl, rope, rot, len);
                       return dynamicFrequency(
                           nb, nl, base, linalg::IndexOp::create(nb, nl, 1),
                           rot);
                     });
    Value len = arith::AddIOp::create(b, loc, step.pos0, nI64());
    Value base = dynamicBase(b, loc, rope, rot, len);
    auto type = RankedTensorType::get({rot / 2}, f32);
    Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), f32);
    return linalg::GenericOp::create(
               b, loc, type, ValueRange{}, ValueRange{empty},
               ArrayRef<AffineMap>{b.getMultiDimIdentityMap(1)},
               ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
               [&](OpBuilder &nb, Location nl, ValueRange) {
                 Value i = linalg::IndexOp::create(nb, nl, 0);
                 linalg::YieldOp::create(
                     nb, nl, dynamicFrequency(nb, nl, base, i, rot));
               })
        .getResult(0);
  }

  /// The dynamic-NTK base (f32) for a sequence of `len` (i64) positions.
  static Value dynamicBase(OpBuilder &nb, Location nl, RopeAttr rope,
                           int64_t rot, Value len) {
    double theta = rope.getTheta().convertToDouble();
    double factor = rope.getFactor().convertToDouble();
    double orig = static_cast<double>(rope.getOriginalMaxPosition());
    Type f64 = nb.getF64Type(), f32 = nb.getF32Type();
    auto c64 = [&](double v) -> Value {
      return arith::ConstantOp::create(nb, nl, nb.getF64FloatAttr(v));
    };
    Value lenF = arith::SIToFPOp::create(nb, nl, f64, len);
    Value grown = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT,
                                        lenF, c64(orig));
    Value ratio = arith::SubFOp::create(
        nb, nl,
        arith::DivFOp::create(nb, nl,
                              arith::MulFOp::create(nb, nl, c64(factor), lenF),
                              c64(orig)),
        c64(factor - 1));
    Value scaled = arith::MulFOp::create(
        nb, nl, c64(theta),
        math::PowFOp::create(nb, nl, ratio,
                             c64(static_cast<double>(rot) / (rot - 2))));
    Value base64 = arith::SelectOp::create(nb, nl, grown, scaled, c64(theta));
    return arith::TruncFOp::create(nb, nl, f32, base64);
  }

  /// 1 / base^(2i / rot) for frequency index `i` (an index).
  static Value dynamicFrequency(OpBuilder &nb, Location nl, Value base,
                                Value i, int64_t rot) {
    Type f32 = nb.getF32Type();
    Value iI = arith::IndexCastOp::create(nb, nl, nb.getI64Type(), i);
    Value iF = arith::SIToFPOp::create(nb, nl, f32, iI);
    Value expo = arith::DivFOp::create(
        nb, nl,
        arith::MulFOp::create(
            nb, nl, iF,
            arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(2.0f))),
        arith::ConstantOp::create(
            nb, nl, nb.getF32FloatAttr(static_cast<float>(rot))));
    Value pw = math::PowFOp::create(nb, nl, base, expo);
    Value one = arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(1.0f));
    return arith::DivFOp::create(nb, nl, one, pw);
  }

  /// YaRN's scale of cos and sin: `attention_factor`, or 0.1 ln(factor) + 1
  /// when it is not given (1 for other schemes).
  static double attentionScaling(RopeAttr rope) {
    if (rope.getScaling() != RopeScaling::yarn)
      return 1.0;
    double given = rope.getAttentionFactor().convertToDouble();
    if (given > 0)
      return given;
    double factor = rope.getFactor().convertToDouble();
    return factor <= 1 ? 1.0 : 0.1 * std::log(factor) + 1.0;
  }

  /// 1 / theta^(2i / rot), adjusted by the scaling scheme, computed in f32
  /// as the reference implementations do.
  static SmallVector<float> inverseFrequencies(RopeAttr rope, int64_t rot) {
    float theta = static_cast<float>(rope.getTheta().convertToDouble());
    double factor = rope.getFactor().convertToDouble();
    // YaRN's correction range: the dimensions whose wavelength at the
    // original context makes between beta_fast and beta_slow rotations.
    double yarnLow = 0, yarnHigh = 0;
    if (rope.getScaling() == RopeScaling::yarn) {
      double orig = static_cast<double>(rope.getOriginalMaxPosition());
      double base = rope.getTheta().convertToDouble();
      auto dimFor = [&](double rotations) {
        return rot * std::log(orig / (rotations * 2 * M_PI)) /
               (2 * std::log(base));
      };
      yarnLow = std::max(0.0, std::floor(dimFor(
                                  rope.getBetaFast().convertToDouble())));
      yarnHigh = std::min(static_cast<double>(rot - 1),
                          std::ceil(dimFor(
                              rope.getBetaSlow().convertToDouble())));
      if (yarnLow == yarnHigh)
        yarnHigh += 0.001;
    }
    SmallVector<float> inv;
    for (int64_t i = 0; i < rot / 2; ++i) {
      float f = 1.0f / std::pow(theta, static_cast<float>(2 * i) /
                                           static_cast<float>(rot));
      switch (rope.getScaling()) {
      case RopeScaling::yarn: {
        // Below the range (high frequencies) keep f, above it interpolate
        // (f / factor), blend linearly within.
        double ramp = std::clamp((i - yarnLow) / (yarnHigh - yarnLow), 0.0,
                                 1.0);
        double extrapolation = 1 - ramp;
        f = static_cast<float>(f / factor * (1 - extrapolation) +
                               f * extrapolation);
        break;
      }
      case RopeScaling::linear:
        f = static_cast<float>(f / factor);
        break;
      case RopeScaling::llama3: {
        double old = static_cast<double>(rope.getOriginalMaxPosition());
        double lowF = rope.getLowFreqFactor().convertToDouble();
        double highF = rope.getHighFreqFactor().convertToDouble();
        double wavelen = 2 * M_PI / f;
        if (wavelen < old / highF) {
        } else if (wavelen > old / lowF) {
          f = static_cast<float>(f / factor);
        } else {
          double smooth = (old / wavelen - lowF) / (highF - lowF);
          f = static_cast<float>((1 - smooth) * f / factor + smooth * f);
        }
        break;
      }
      default:
        break;
      }
      inv.push_back(f);
    }
    return inv;
  }

  Value activation(OpBuilder &nb, Location nl, Activation act, Value x) {
    auto c = [&](double v) -> Value {
      return arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(v));
    };
    switch (act) {
    case Activation::silu:
    case Activation::swish: {
      Value e = math::ExpOp::create(nb, nl, arith::NegFOp::create(nb, nl, x));
      Value d = arith::AddFOp::create(nb, nl, c(1.0), e);
      Value s = arith::DivFOp::create(nb, nl, c(1.0), d);
      return arith::MulFOp::create(nb, nl, x, s);
    }
    case Activation::relu:
      return arith::MaximumFOp::create(nb, nl, x, c(0.0));
    case Activation::gelu: {
      Value t = arith::MulFOp::create(nb, nl, x, c(M_SQRT1_2));
      Value e = math::ErfOp::create(nb, nl, t);
      Value y = arith::AddFOp::create(nb, nl, c(1.0), e);
      y = arith::MulFOp::create(nb, nl, x, y);
      return arith::MulFOp::create(nb, nl, c(0.5), y);
    }
    case Activation::gelu_tanh: {
      Value x3 = arith::MulFOp::create(nb, nl, x, x);
      x3 = arith::MulFOp::create(nb, nl, x3, x);
      Value inner = arith::MulFOp::create(nb, nl, c(0.044715), x3);
      inner = arith::AddFOp::create(nb, nl, x, inner);
      inner = arith::MulFOp::create(nb, nl, c(std::sqrt(2.0 / M_PI)), inner);
      Value t = math::TanhOp::create(nb, nl, inner);
      Value y = arith::AddFOp::create(nb, nl, c(1.0), t);
      y = arith::MulFOp::create(nb, nl, x, y);
      return arith::MulFOp::create(nb, nl, c(0.5), y);
    }
    }
    llvm_unreachable("unknown activation");
  }

  /// cap * tanh(x / cap), element-wise.
  Value softcap(Value x, double cap) {
    return map({x}, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
      Value c = arith::ConstantOp::create(
          nb, nl, nb.getF32FloatAttr(static_cast<float>(cap)));
      Value t = arith::DivFOp::create(nb, nl, a[0], c);
      t = math::TanhOp::create(nb, nl, t);
      return arith::MulFOp::create(nb, nl, c, t);
    });
  }

  const llvm::StringMap<std::string> &names;
};

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

template <typename OpTy> struct TTPattern : OpConversionPattern<OpTy> {
  TTPattern(const TypeConverter &tc, MLIRContext *ctx,
            const llvm::StringMap<std::string> &names)
      : OpConversionPattern<OpTy>(tc, ctx), names(names) {}
  Emitter emitter(ConversionPatternRewriter &rewriter, Operation *op) const {
    return Emitter(rewriter, op->getLoc(), Step::of(op), names);
  }
  const llvm::StringMap<std::string> &names;
};

struct EmbeddingLowering : TTPattern<EmbeddingOp> {
  using TTPattern::TTPattern;
  LogicalResult
  matchAndRewrite(EmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Emitter e = emitter(rewriter, op);
    int64_t vocab = op.getVocabSize(), dim = op.getHiddenSize();
    WeightRef table = e.weight(op.getTable());
    Value out = e.alloc(e.actType({dim}));
    // A vocab-parallel table (tt-tensor-parallel): zeros for others' tokens.
    if (auto per = op->getAttrOfType<IntegerAttr>("tt.vocab_per_device"))
      e.call("ttrt_embedding_vocab_parallel", {},
             {e.step.ctx, table.ptr, table.type, e.i64(per.getInt()),
              e.i64(dim), e.step.tokens, e.nI64(), e.ptrOf(out)});
    else
      e.call("ttrt_embedding", {},
             {table.ptr, table.type, e.i64(vocab), e.i64(dim), e.step.tokens,
              e.nI64(), e.ptrOf(out)});
    Value x = e.toTensor(out);
    if (auto scale = op.getScale()) {
      float s = static_cast<float>(scale->convertToDouble());
      x = e.map({x}, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value c = arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(s));
        return arith::MulFOp::create(nb, nl, a[0], c);
      });
    }
    if (Value positions = op.getPositions()) {
      auto pt = cast<RankedTensorType>(positions.getType());
      auto idsType =
          RankedTensorType::get({e.nStatic()}, rewriter.getI32Type());
      // Each row's position (its own sequence's in a batched step).
      Value ids = e.generic(
          idsType, {}, {}, [&](OpBuilder &nb, Location nl, ValueRange) {
            Value i = linalg::IndexOp::create(nb, nl, 0);
            Value p = e.step.positionOf(nb, nl, i);
            return arith::TruncIOp::create(nb, nl, nb.getI32Type(), p)
                .getResult();
          });
      WeightRef ptable = e.weight(positions);
      Value pout = e.alloc(e.actType({dim}));
      e.call("ttrt_embedding", {},
             {ptable.ptr, ptable.type, e.i64(pt.getDimSize(0)), e.i64(dim),
              e.ptrOf(ids), e.nI64(), e.ptrOf(pout)});
      Value p = e.toTensor(pout);
      x = e.map({x, p}, [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        return arith::AddFOp::create(nb, nl, a[0], a[1]);
      });
    }
    rewriter.replaceOp(op, x);
    return success();
  }
};

struct NormLowering : TTPattern<NormOp> {
  using TTPattern::TTPattern;
  LogicalResult
  matchAndRewrite(NormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // A fused norm is computed by the projection call of its one user.
    if (fusion::isFused(op)) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Emitter e = emitter(rewriter, op);
    rewriter.replaceOp(op, e.norm(adaptor.getInput(), op.getKind(),
                                  op.getEps().convertToDouble(),
                                  op.getZeroCentered(), op.getWeight(),
                                  op.getBias()));
    return success();
  }
};

struct AddLowering : TTPattern<AddOp> {
  using TTPattern::TTPattern;
  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // A fused add was computed by its sublayer operand's last projection.
    if (fusion::isFused(op)) {
      Operation *lhs = op.getLhs().getDefiningOp();
      bool fromLhs = lhs && fusion::fuses(lhs, fusion::kResidual);
      rewriter.replaceOp(op, fromLhs ? adaptor.getLhs() : adaptor.getRhs());
      return success();
    }
    Emitter e = emitter(rewriter, op);
    rewriter.replaceOp(
        op, e.map({adaptor.getLhs(), adaptor.getRhs()},
                  [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                    return arith::AddFOp::create(nb, nl, a[0], a[1]);
                  }));
    return success();
  }
};

/// The tt.add a sublayer's last projection adds in (tt-fuse's residual),
/// as the value it adds: the add's other operand, converted.
Value fusedResidual(Operation *op, ConversionPatternRewriter &rewriter) {
  if (!fusion::fuses(op, fusion::kResidual))
    return {};
  auto add = cast<AddOp>(*op->getResult(0).getUsers().begin());
  Value other =
      add.getLhs() == op->getResult(0) ? add.getRhs() : add.getLhs();
  return rewriter.getRemappedValue(other);
}

/// The norm computed inside op's first projection call (tt-fuse's norm).
Emitter::FusedNorm fusedInputNorm(Operation *op, Value input) {
  if (!fusion::fuses(op, fusion::kNorm))
    return {};
  return Emitter::fusedNorm(input.getDefiningOp<NormOp>());
}

struct AttentionLowering : TTPattern<AttentionOp> {
  using TTPattern::TTPattern;
  LogicalResult
  matchAndRewrite(AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto layer = op->getAttrOfType<IntegerAttr>(kLayerIndexAttr);
    if (!layer)
      return rewriter.notifyMatchFailure(op, "attention outside a tt.layer");
    Emitter e = emitter(rewriter, op);
    int64_t heads = op.getNumHeads(), kvHeads = op.getNumKvHeads();
    int64_t d = op.getHeadDimOrDefault();
    Value x = adaptor.getInput();
    Value q, k, v;
    if (fusion::fuses(op, fusion::kQKV) || fusion::fuses(op, fusion::kNorm)) {
      SmallVector<Value> qkv = e.fusedMatmul(
          x, op.getHiddenSize(), fusedInputNorm(op, op.getInput()), nullptr,
          {{op.getWq(), op.getBq()},
           {op.getWk(), op.getBk()},
           {op.getWv(), op.getBv()}});
      q = qkv[0], k = qkv[1], v = qkv[2];
    } else {
      q = e.matmul(x, op.getWq(), op.getBq());
      k = e.matmul(x, op.getWk(), op.getBk());
      v = e.matmul(x, op.getWv(), op.getBv());
    }

    double qkEps =
        op.getQkNormEps() ? op.getQkNormEps()->convertToDouble() : 1e-6;
    auto headNorm = [&](Value t, Value w, int64_t h) -> Value {
      int64_t size = cast<RankedTensorType>(w.getType()).getNumElements();
      if (size == d)
        return e.merge(
            e.norm(e.split(t, h, d), NormKind::rms, qkEps, false, w, nullptr));
      return e.norm(t, NormKind::rms, qkEps, false, w, nullptr);
    };
    if (Value w = op.getQNorm())
      q = headNorm(q, w, heads);
    if (Value w = op.getKNorm())
      k = headNorm(k, w, kvHeads);
    RopeAttr rope = op.getRopeAttr();
    // Fused only with frequencies fixed at compile time and unscaled cos/sin
    // (dynamic NTK and YaRN keep their generated tables).
    bool ropeInCall = rope && fusion::fuses(op, fusion::kRope) &&
                      fusion::isStaticRope(rope);
    if (rope && !ropeInCall) {
      auto tables = e.ropeTables(rope, d);
      q = e.merge(e.rope(e.split(q, heads, d), rope, d, tables));
      k = e.merge(e.rope(e.split(k, kvHeads, d), rope, d, tables));
    }

    Value layerIdx = e.i64(layer.getInt());
    Value caches[2];
    auto cache = [&](int which) {
      return e.call("ttrt_kv_cache", e.ptrTy(),
                    {e.step.ctx, layerIdx, e.i32(which)})
          .getResult(0);
    };
    double scale = op.getScale() ? op.getScale()->convertToDouble()
                                 : 1.0 / std::sqrt(static_cast<double>(d));
    double softcap = op.getSoftcap() ? op.getSoftcap()->convertToDouble() : 0;
    int64_t window = op.getSlidingWindow().value_or(0);
    Value out = e.alloc(e.actType({heads * d}));
    int32_t kvType = fusion::kvCacheTypeId(fusion::getKVCacheDtype(op));
    if (e.step.batch || op.getAlibi() || kvType != TTRT_KV_F32 || ropeInCall) {
      // The runtime appends this step's keys and values in the cache's type
      // (rotating the keys first with the rope fused, or adding the ALiBi
      // bias, whose maximum is 8 unless the importer recorded another: MPT's
      // alibi_bias_max) and attends. A batched step does this per row: row b
      // over KV-cache slot b at positions[b] (KernelsBatch.cpp); otherwise
      // over the one cache at pos0.
      Value where = e.step.batch ? e.step.positions : e.step.pos0;
      for (int which = 0; which < 2; ++which)
        caches[which] =
            e.step.batch
                ? e.call("ttrt_kv_cache_slots", e.ptrTy(),
                         {e.step.ctx, layerIdx, e.i32(which), e.nI64()})
                      .getResult(0)
                : cache(which);
      SmallVector<Value> args{e.ptrOf(q),     e.ptrOf(k),    e.ptrOf(v),
                              caches[0],      caches[1],     e.i32(kvType),
                              e.nI64(),       where,         e.i64(heads),
                              e.i64(kvHeads), e.i64(d),      e.i64(window),
                              e.f32(scale),   e.f32(softcap)};
      StringRef callee;
      if (op.getAlibi()) {
        auto maxBias = op->getAttrOfType<FloatAttr>(kAlibiMaxBiasAttr);
        args.push_back(e.f32(maxBias ? maxBias.getValueAsDouble() : 8.0));
        callee = e.step.batch ? "ttrt_attention_batch_alibi"
                              : "ttrt_attention_alibi";
      } else {
        Value null = LLVM::ZeroOp::create(rewriter, op.getLoc(), e.ptrTy());
        args.push_back(ropeInCall ? e.ptrOf(e.inverseFrequencyTable(rope, d))
                                  : null);
        args.push_back(e.i64(ropeInCall ? rope.getRotaryDims(d) : 0));
        args.push_back(e.i32(ropeInCall && rope.getInterleaved()));
        callee = e.step.batch ? "ttrt_attention_batch" : "ttrt_attention_kv";
      }
      args.push_back(e.ptrOf(out));
      e.call(callee, {}, args);
    } else {
      // Append this step's keys and values at pos0 .. pos0+N-1.
      Value offset = arith::MulIOp::create(rewriter, op.getLoc(), e.step.pos0,
                                           e.i64(kvHeads * d));
      Value count = arith::MulIOp::create(rewriter, op.getLoc(), e.nI64(),
                                          e.i64(kvHeads * d));
      for (int which = 0; which < 2; ++which) {
        caches[which] = cache(which);
        Value dst = LLVM::GEPOp::create(rewriter, op.getLoc(), e.ptrTy(),
                                        rewriter.getF32Type(), caches[which],
                                        ValueRange{offset});
        e.call("ttrt_to_f32", {},
               {e.ptrOf(which ? v : k), e.i32(TTRT_TYPE_F32), count, dst});
      }
      e.call("ttrt_attention", {},
             {e.ptrOf(q), caches[0], caches[1], e.nI64(), e.step.pos0,
              e.i64(heads), e.i64(kvHeads), e.i64(d), e.i64(window),
              e.f32(scale), e.f32(softcap), e.ptrOf(out)});
    }
    Value attn = e.toTensor(out);
    Value o;
    if (Value residual = fusedResidual(op, rewriter))
      o = e.fusedMatmul(attn, heads * d, {}, residual, {{op.getWo(), op.getBo()}})[0];
    else
      o = e.matmul(attn, op.getWo(), op.getBo());
    rewriter.replaceOp(op, o);
    return success();
  }
};

struct MLPLowering : TTPattern<MLPOp> {
  using TTPattern::TTPattern;
  LogicalResult
  matchAndRewrite(MLPOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Emitter e = emitter(rewriter, op);
    Value x = adaptor.getInput();
    Activation act = op.getActivation();
    Value up, gate;
    bool fuseGateUp = fusion::fuses(op, fusion::kGateUp) && op.getGate();
    if (fuseGateUp || fusion::fuses(op, fusion::kNorm)) {
      Emitter::FusedNorm norm = fusedInputNorm(op, op.getInput());
      if (op.getGate() && fuseGateUp) {
        SmallVector<Value> gu = e.fusedMatmul(
            x, op.getHiddenSize(), norm, nullptr,
            {{op.getGate(), op.getGateBias()}, {op.getUp(), op.getUpBias()}});
        gate = gu[0], up = gu[1];
      } else {
        up = e.fusedMatmul(x, op.getHiddenSize(), norm, nullptr,
                           {{op.getUp(), op.getUpBias()}})[0];
      }
    } else {
      up = e.matmul(x, op.getUp(), op.getUpBias());
      if (Value gateW = op.getGate())
        gate = e.matmul(x, gateW, op.getGateBias());
    }
    Value h;
    if (gate) {
      h = e.map({gate, up}, [&](OpBuilder &nb, Location nl, ValueRange a) {
        return arith::MulFOp::create(nb, nl, e.activation(nb, nl, act, a[0]),
                                     a[1])
            .getResult();
      });
    } else {
      h = e.map({up}, [&](OpBuilder &nb, Location nl, ValueRange a) {
        return e.activation(nb, nl, act, a[0]);
      });
    }
    if (Value residual = fusedResidual(op, rewriter))
      rewriter.replaceOp(
          op, e.fusedMatmul(h, op.getIntermediateSize(), {}, residual,
                            {{op.getDown(), op.getDownBias()}})[0]);
    else
      rewriter.replaceOp(op, e.matmul(h, op.getDown(), op.getDownBias()));
    return success();
  }
};

/// Routing in generated code (scores, top-k by rank, renormalisation), then
/// each expert's MLP over the tokens, skipped when no token chose it (so a
/// decode step runs only its top-k experts), weighted into the sum.
struct MoELowering : TTPattern<MoEOp> {
  using TTPattern::TTPattern;
  LogicalResult
  matchAndRewrite(MoEOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Emitter e = emitter(rewriter, op);
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    int64_t experts = op.getNumExperts(), topK = op.getTopK();
    int64_t hidden = op.getHiddenSize(), inter = op.getExpertIntermediateSize();
    RouterNorm norm = op.getRouterNorm();
    bool softmax =
        norm == RouterNorm::softmax || norm == RouterNorm::softmax_renorm;
    bool renorm = norm == RouterNorm::softmax_renorm ||
                  norm == RouterNorm::sigmoid_renorm;

    Value logits = e.matmul(x, op.getRouter(), nullptr);
    auto scoreType = e.actType({experts});
    AffineMap id = rewriter.getMultiDimIdentityMap(2);
    AffineMap row = AffineMap::get(2, 0, rewriter.getAffineDimExpr(0));
    AffineMap col = AffineMap::get(2, 0, rewriter.getAffineDimExpr(1));
    Value probs;
    if (softmax) {
      Value mx = e.reduceLast(
          logits, [](OpBuilder &, Location, Value v) { return v; }, true);
      Value ex = e.generic(scoreType, {logits, mx}, {id, row},
                           [](OpBuilder &nb, Location nl, ValueRange a) {
                             Value d =
                                 arith::SubFOp::create(nb, nl, a[0], a[1]);
                             return math::ExpOp::create(nb, nl, d).getResult();
                           });
      Value sum =
          e.reduceLast(ex, [](OpBuilder &, Location, Value v) { return v; });
      probs = e.generic(
          scoreType, {ex, sum}, {id, row},
          [](OpBuilder &nb, Location nl, ValueRange a) {
            return arith::DivFOp::create(nb, nl, a[0], a[1]).getResult();
          });
    } else {
      probs = e.map({logits}, [](OpBuilder &nb, Location nl, ValueRange a) {
        Value one = arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(1.0f));
        Value n = arith::NegFOp::create(nb, nl, a[0]);
        Value d =
            arith::AddFOp::create(nb, nl, one, math::ExpOp::create(nb, nl, n));
        return arith::DivFOp::create(nb, nl, one, d).getResult();
      });
    }
    // Selection scores: the probabilities, plus the per-expert bias if any.
    Value select = probs;
    if (Value bias = op.getRouterBias())
      select = e.generic(
          scoreType, {probs, e.vector(bias)}, {id, col},
          [](OpBuilder &nb, Location nl, ValueRange a) {
            return arith::AddFOp::create(nb, nl, a[0], a[1]).getResult();
          });
    // rank[t][i] = #experts ranked before i (higher score, ties to the lower
    // index); chosen when rank < top_k.
    Value rank;
    {
      auto type3 = RankedTensorType::get({e.nStatic(), experts, experts},
                                         rewriter.getF32Type());
      (void)type3;
      Value init =
          tensor::EmptyOp::create(rewriter, loc, scoreType.getShape(),
                                  rewriter.getF32Type(), e.dynFor(scoreType));
      init =
          linalg::FillOp::create(rewriter, loc, e.f32(0.0), init).getResult(0);
      SmallVector<AffineMap> maps{AffineMap::get(3, 0,
                                                 {rewriter.getAffineDimExpr(0),
                                                  rewriter.getAffineDimExpr(1)},
                                                 rewriter.getContext()),
                                  AffineMap::get(3, 0,
                                                 {rewriter.getAffineDimExpr(0),
                                                  rewriter.getAffineDimExpr(2)},
                                                 rewriter.getContext()),
                                  AffineMap::get(3, 0,
                                                 {rewriter.getAffineDimExpr(0),
                                                  rewriter.getAffineDimExpr(1)},
                                                 rewriter.getContext())};
      SmallVector<utils::IteratorType> iters{utils::IteratorType::parallel,
                                             utils::IteratorType::parallel,
                                             utils::IteratorType::reduction};
      rank =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{scoreType}, ValueRange{select, select},
              ValueRange{init}, maps, iters,
              [](OpBuilder &nb, Location nl, ValueRange a) {
                Value i = linalg::IndexOp::create(nb, nl, 1);
                Value j = linalg::IndexOp::create(nb, nl, 2);
                Value gt = arith::CmpFOp::create(
                    nb, nl, arith::CmpFPredicate::OGT, a[1], a[0]);
                Value eq = arith::CmpFOp::create(
                    nb, nl, arith::CmpFPredicate::OEQ, a[1], a[0]);
                Value lower = arith::CmpIOp::create(
                    nb, nl, arith::CmpIPredicate::ult, j, i);
                Value tie = arith::AndIOp::create(nb, nl, eq, lower);
                Value before = arith::OrIOp::create(nb, nl, gt, tie);
                Value one =
                    arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(1.0f));
                Value zero =
                    arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(0.0f));
                Value add = arith::SelectOp::create(nb, nl, before, one, zero);
                linalg::YieldOp::create(
                    nb, nl,
                    arith::AddFOp::create(nb, nl, a[2], add).getResult());
              })
              .getResult(0);
    }
    float k = static_cast<float>(topK);
    Value weights = e.generic(
        scoreType, {probs, rank}, {id, id},
        [&](OpBuilder &nb, Location nl, ValueRange a) {
          Value kc = arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(k));
          Value zero =
              arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(0.0f));
          Value chosen = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OLT, a[1], kc);
          return arith::SelectOp::create(nb, nl, chosen, a[0], zero)
              .getResult();
        });
    if (renorm) {
      Value sum = e.reduceLast(
          weights, [](OpBuilder &, Location, Value v) { return v; });
      weights = e.generic(
          scoreType, {weights, sum}, {id, row},
          [](OpBuilder &nb, Location nl, ValueRange a) {
            return arith::DivFOp::create(nb, nl, a[0], a[1]).getResult();
          });
    }
    // Per expert: how much any token wants it (sum of its column).
    Value usage;
    {
      auto colType = RankedTensorType::get({experts}, rewriter.getF32Type());
      Value init = tensor::EmptyOp::create(rewriter, loc, colType.getShape(),
                                           rewriter.getF32Type());
      init =
          linalg::FillOp::create(rewriter, loc, e.f32(0.0), init).getResult(0);
      AffineMap byCol = AffineMap::get(2, 0, rewriter.getAffineDimExpr(1));
      usage =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{colType}, ValueRange{weights},
              ValueRange{init}, SmallVector<AffineMap>{id, byCol},
              SmallVector<utils::IteratorType>{utils::IteratorType::reduction,
                                               utils::IteratorType::parallel},
              [](OpBuilder &nb, Location nl, ValueRange a) {
                linalg::YieldOp::create(
                    nb, nl,
                    arith::AddFOp::create(nb, nl, a[1], a[0]).getResult());
              })
              .getResult(0);
    }

    auto actType = e.actType({hidden});
    // The accumulator is threaded through one scf.if per expert. It must be
    // this op's own allocation: from a tensor.empty, CSE would merge the
    // zero-filled accumulators of all MoE layers into one value, and
    // bufferizing that shared value across the scf.if chains made the first
    // MoE layer's expert sums vanish (found by the reference check,
    // test/Tools/reference-mixtral.test).
    Value acc = bufferization::AllocTensorOp::create(rewriter, loc, actType,
                                                     e.dynFor(actType));
    acc = linalg::FillOp::create(rewriter, loc, e.f32(0.0), acc).getResult(0);
    Activation act = op.getActivation();
    // Expert parallelism (tt-tensor-parallel): routing covers all experts,
    // this rank runs only its own, experts [rank*n, (rank+1)*n), which are
    // rows [0, n) of its piece of the stacked weights.
    int64_t perDevice = 0;
    Value tpRank;
    if (auto a = op->getAttrOfType<IntegerAttr>(
            TTDialect::getExpertsPerDeviceAttrName())) {
      perDevice = a.getInt(); // checkSupported: stacked weights only
      tpRank = e.call("ttrt_tp_rank", rewriter.getI64Type(), {e.step.ctx})
                   .getResult(0);
    }
    for (int64_t ex = 0; ex < experts; ++ex) {
      Value used = tensor::ExtractOp::create(rewriter, loc, usage,
                                             ValueRange{e.idx(ex)});
      Value any = arith::CmpFOp::create(
          rewriter, loc, arith::CmpFPredicate::OGT, used, e.f32(0.0));
      int64_t local = ex;
      if (perDevice) {
        Value mine = arith::CmpIOp::create(rewriter, loc,
                                           arith::CmpIPredicate::eq, tpRank,
                                           e.i64(ex / perDevice));
        any = arith::AndIOp::create(rewriter, loc, any, mine);
        local = ex % perDevice;
      }
      auto ifOp = scf::IfOp::create(rewriter, loc, TypeRange{actType}, any,
                                    /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPointToStart(ifOp.thenBlock());
        Value up =
            e.matmul(x, e.expertWeight(op.getUp(), local), inter, hidden,
                     nullptr);
        Value h;
        if (Value gateW = op.getGate()) {
          Value gate =
              e.matmul(x, e.expertWeight(gateW, local), inter, hidden, nullptr);
          h = e.map({gate, up}, [&](OpBuilder &nb, Location nl, ValueRange a) {
            return arith::MulFOp::create(nb, nl,
                                         e.activation(nb, nl, act, a[0]), a[1])
                .getResult();
          });
        } else {
          h = e.map({up}, [&](OpBuilder &nb, Location nl, ValueRange a) {
            return e.activation(nb, nl, act, a[0]);
          });
        }
        Value y = e.matmul(h, e.expertWeight(op.getDown(), local), hidden,
                           inter, nullptr);
        Value exIdx = e.idx(ex);
        Value next = e.generic(
            actType, {acc, y}, {id, id},
            [&](OpBuilder &nb, Location nl, ValueRange a) {
              Value t = linalg::IndexOp::create(nb, nl, 0);
              Value w = tensor::ExtractOp::create(nb, nl, weights,
                                                  ValueRange{t, exIdx});
              Value p = arith::MulFOp::create(nb, nl, w, a[1]);
              return arith::AddFOp::create(nb, nl, a[0], p).getResult();
            });
        scf::YieldOp::create(rewriter, loc, next);
      }
      {
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPointToStart(ifOp.elseBlock());
        scf::YieldOp::create(rewriter, loc, acc);
      }
      acc = ifOp.getResult(0);
    }

    if (Value sharedUp = op.getSharedUp()) {
      Value up = e.matmul(x, sharedUp, nullptr);
      Value h;
      if (Value sg = op.getSharedGate()) {
        Value gate = e.matmul(x, sg, nullptr);
        h = e.map({gate, up}, [&](OpBuilder &nb, Location nl, ValueRange a) {
          return arith::MulFOp::create(nb, nl, e.activation(nb, nl, act, a[0]),
                                       a[1])
              .getResult();
        });
      } else {
        h = e.map({up}, [&](OpBuilder &nb, Location nl, ValueRange a) {
          return e.activation(nb, nl, act, a[0]);
        });
      }
      Value y = e.matmul(h, op.getSharedDown(), nullptr);
      if (Value sr = op.getSharedRouter()) {
        Value g = e.matmul(x, sr, nullptr); // [N, 1]
        AffineMap first = AffineMap::get(
            2, 0,
            {rewriter.getAffineDimExpr(0), rewriter.getAffineConstantExpr(0)},
            rewriter.getContext());
        y = e.generic(
            actType, {y, g}, {id, first},
            [](OpBuilder &nb, Location nl, ValueRange a) {
              Value one =
                  arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(1.0f));
              Value n = arith::NegFOp::create(nb, nl, a[1]);
              Value d = arith::AddFOp::create(nb, nl, one,
                                              math::ExpOp::create(nb, nl, n));
              Value s = arith::DivFOp::create(nb, nl, one, d);
              return arith::MulFOp::create(nb, nl, a[0], s).getResult();
            });
      }
      acc = e.map({acc, y}, [](OpBuilder &nb, Location nl, ValueRange a) {
        return arith::AddFOp::create(nb, nl, a[0], a[1]).getResult();
      });
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

struct LMHeadLowering : TTPattern<LMHeadOp> {
  using TTPattern::TTPattern;
  LogicalResult
  matchAndRewrite(LMHeadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Emitter e = emitter(rewriter, op);
    Value input = adaptor.getInput();
    auto wt = cast<RankedTensorType>(op.getWeight().getType());
    int64_t vocab = wt.getDimSize(0), hidden = wt.getDimSize(1);
    // Decode, and a batched decode step (one row per sequence): every row.
    if (e.step.decode || e.step.batch) {
      Value logits = e.matmul(input, op.getWeight(), op.getBias());
      if (auto cap = op.getSoftcap())
        logits = e.softcap(logits, cap->convertToDouble());
      rewriter.replaceOp(op, logits);
      return success();
    }
    // A prefill computes logits for its last ttrt_logit_rows(ctx, n) rows
    // only: from here on the step's row count is that number, and the rows
    // are read from the input's row n - rows on.
    Location loc = op.getLoc();
    Value rows = e.call("ttrt_logit_rows", rewriter.getI64Type(),
                        {e.step.ctx, e.step.nArg})
                     .getResult(0);
    Value skip = arith::SubIOp::create(rewriter, loc, e.step.nArg, rows);
    skip = arith::MulIOp::create(rewriter, loc, skip, e.i64(hidden));
    Value x = LLVM::GEPOp::create(rewriter, loc, e.ptrTy(),
                                  rewriter.getF32Type(), e.ptrOf(input),
                                  ValueRange{skip});
    Step last = e.step;
    last.nArg = rows;
    Emitter tail(rewriter, loc, last, names);
    Value logits = tail.matmulAt(x, tail.weight(op.getWeight()), vocab, hidden,
                                 op.getBias());
    if (auto cap = op.getSoftcap())
      logits = tail.softcap(logits, cap->convertToDouble());
    rewriter.replaceOp(op, logits);
    return success();
  }
};

/// Copies the logits into the caller's buffer.
struct ReturnLowering : TTPattern<func::ReturnOp> {
  using TTPattern::TTPattern;
  LogicalResult
  matchAndRewrite(func::ReturnOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (adaptor.getOperands().size() != 1)
      return failure();
    Emitter e = emitter(rewriter, op);
    Value logits = adaptor.getOperands()[0];
    auto type = cast<RankedTensorType>(logits.getType());
    // Elements as computed (a prefill's lm_head may have kept its last rows
    // only).
    Value count = e.i64(type.getShape().back());
    for (int64_t d = 0; d + 1 < type.getRank(); ++d) {
      Value size = tensor::DimOp::create(rewriter, op.getLoc(), logits, d);
      size = arith::IndexCastOp::create(rewriter, op.getLoc(),
                                        rewriter.getI64Type(), size);
      count = arith::MulIOp::create(rewriter, op.getLoc(), count, size);
    }
    e.call("ttrt_to_f32", {},
           {e.ptrOf(logits), e.i32(TTRT_TYPE_F32), count, e.step.logits});
    rewriter.replaceOpWithNewOp<func::ReturnOp>(op);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Whether `fn` is a model: tokens in, logits out, tt ops inside.
bool isModel(func::FuncOp fn) {
  if (fn.isExternal())
    return false;
  bool hasTT = false;
  fn.walk([&](Operation *op) {
    if (isa<TTDialect>(op->getDialect()))
      hasTT = true;
  });
  return hasTT;
}

bool isActivation(Type t) {
  auto rt = dyn_cast<RankedTensorType>(t);
  return rt && rt.getRank() == 3 && !rt.isDynamicDim(2) &&
         rt.getElementType().isF32() &&
         (rt.isDynamicDim(0) || rt.getDimSize(0) == 1);
}

/// Rejects what the lowering does not handle, at the op.
LogicalResult checkSupported(func::FuncOp fn) {
  FunctionType type = fn.getFunctionType();
  auto tokens = type.getNumInputs() == 1
                    ? dyn_cast<RankedTensorType>(type.getInput(0))
                    : RankedTensorType();
  if (!tokens || tokens.getRank() != 2 ||
      !tokens.getElementType().isInteger(32) || type.getNumResults() > 1 ||
      // No result: a pipeline stage before the last (tt-select-stage).
      (type.getNumResults() == 1 && !isActivation(type.getResult(0))))
    return fn.emitError()
           << "model function @" << fn.getSymName()
           << " must take tokens (tensor<?x?xi32>) and return f32 logits "
              "(tensor<?x?xVxf32>), but has type "
           << type;
  WalkResult result = fn.walk([&](Operation *op) -> WalkResult {
    if (auto u = dyn_cast<UnsupportedOp>(op))
      return op->emitError() << "tt.unsupported \"" << u.getKind()
                             << "\" cannot be compiled: tt has no lowering for "
                                "this layer";
    if (auto w = dyn_cast<WeightOp>(op)) {
      if (w.getStoredType() &&
          runtimeTypeName(w.getType().getElementType()).empty())
        return op->emitError()
               << "weight \"" << w.getName() << "\" is converted to "
               << w.getType().getElementType()
               << ", a type the CPU runtime has no kernels for";
      if (w.getShardDim() && *w.getShardDim() == 0 &&
          w.getName().contains("{e}"))
        return op->emitError()
               << "weight \"" << w.getName()
               << "\" splits per-expert tensors across devices (expert "
                  "parallelism), which the CPU lowering does not handle yet";
      return WalkResult::advance();
    }
    if (auto a = dyn_cast<AttentionOp>(op)) {
      if (a.getNoncausal())
        return op->emitError("non-causal attention is not lowered yet");
      if (auto rope = a.getRopeAttr()) {
        RopeScaling s = rope.getScaling();
        if ((s == RopeScaling::dynamic || s == RopeScaling::yarn) &&
            rope.getOriginalMaxPosition() <= 0)
          return op->emitError()
                 << "rope scaling '" << stringifyRopeScaling(s)
                 << "' needs original_max_position";
        if (s == RopeScaling::dynamic &&
            rope.getRotaryDims(a.getHeadDimOrDefault()) <= 2)
          return op->emitError("dynamic rope scaling needs more than 2 "
                               "rotated dimensions");
      }
    }
    if (isa<TTDialect>(op->getDialect()) && !isa<LayerOp, YieldOp>(op))
      for (Type t : op->getResultTypes())
        if (!isActivation(t))
          return op->emitError()
                 << "the CPU lowering needs f32 activations of shape "
                    "[batch (1 or ?), ?, hidden], got "
                 << t;
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// Rejects fusion and KV-cache attributes (tt-fuse, tt-kv-cache) that the
/// lowering cannot honour, at the op.
LogicalResult checkFusions(func::FuncOp fn) {
  DominanceInfo dom(fn);
  WalkResult result = fn.walk([&](Operation *op) -> WalkResult {
    if (auto list = op->getAttrOfType<ArrayAttr>(fusion::kFuseAttr)) {
      bool attention = isa<AttentionOp>(op);
      if (!attention && !isa<MLPOp>(op))
        return op->emitError() << "tt.fuse on '" << op->getName()
                               << "': only tt.attention and tt.mlp have "
                                  "fused lowerings";
      for (Attribute a : list) {
        auto name = dyn_cast<StringAttr>(a);
        StringRef n = name ? name.getValue() : "";
        bool known = n == fusion::kNorm || n == fusion::kResidual ||
                     (attention && (n == fusion::kQKV || n == fusion::kRope)) ||
                     (!attention && n == fusion::kGateUp);
        if (!known)
          return op->emitError()
                 << "tt.fuse entry " << a << " is not a fusion of "
                 << op->getName() << " (expected "
                 << (attention ? "norm, qkv, rope, residual"
                               : "norm, gate_up, residual")
                 << ")";
      }
      if (fusion::fuses(op, fusion::kNorm)) {
        auto n = op->getOperand(0).getDefiningOp<NormOp>();
        if (!n || !fusion::isFused(n) || !n->hasOneUse())
          return op->emitError("tt.fuse lists \"norm\" but the input is not "
                               "a tt.norm marked tt.fused used only here");
      }
      if (fusion::fuses(op, fusion::kRope) &&
          !cast<AttentionOp>(op).getRopeAttr())
        return op->emitError("tt.fuse lists \"rope\" but the attention has "
                             "no rope");
      if (fusion::fuses(op, fusion::kResidual)) {
        Value r = op->getResult(0);
        auto add = r.hasOneUse() ? dyn_cast<AddOp>(*r.getUsers().begin())
                                 : AddOp();
        if (!add || !fusion::isFused(add))
          return op->emitError("tt.fuse lists \"residual\" but the result's "
                               "only use is not a tt.add marked tt.fused");
        Value other = add.getLhs() == r ? add.getRhs() : add.getLhs();
        if (!dom.properlyDominates(other, op))
          return op->emitError("tt.fuse lists \"residual\" but the residual "
                               "is computed after the sublayer");
      }
    }
    if (isa<NormOp, AddOp>(op) && fusion::isFused(op)) {
      bool ok = false;
      if (isa<NormOp>(op)) {
        Value r = op->getResult(0);
        ok = r.hasOneUse() &&
             fusion::fuses(*r.getUsers().begin(), fusion::kNorm);
      } else {
        for (Value v : op->getOperands())
          if (Operation *d = v.getDefiningOp())
            ok |= fusion::fuses(d, fusion::kResidual);
      }
      if (!ok)
        return op->emitError()
               << "'" << op->getName()
               << "' is marked tt.fused but no op computes it (run tt-fuse "
                  "again or drop the attribute)";
    }
    if (isa<AttentionOp>(op)) {
      Type kv = fusion::getKVCacheDtype(op);
      if (fusion::kvCacheTypeId(kv) < 0)
        return op->emitError() << "KV-cache dtype " << kv
                               << " has no CPU runtime cache type (f32, f16, "
                                  "bf16, i8, f8E4M3FN, f8E5M2)";
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

struct ConvertTTToLinalgPass
    : tt::impl::ConvertTTToLinalgBase<ConvertTTToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> models;
    for (auto fn : module.getOps<func::FuncOp>())
      if (isModel(fn))
        models.push_back(fn);
    bool ok = true;
    for (auto fn : models)
      ok &= succeeded(checkSupported(fn)) && succeeded(checkFusions(fn));
    if (!ok)
      return signalPassFailure();

    // tt.decode_batch asks for the batched decode step too.
    bool batch = module->hasAttr(kDecodeBatchAttrName);

    declareRuntime(module);
    if (batch)
      declareBatchRuntime(module);
    llvm::StringMap<std::string> names = declareWeightNames(module, models);

    SmallVector<func::FuncOp> steps;
    for (auto fn : models) {
      steps.push_back(specialize(fn, "prefill"));
      steps.push_back(specialize(fn, "decode"));
      if (batch)
        steps.push_back(specialize(fn, "decode_batch"));
      emitWeightList(fn);
      fn.erase();
    }
    for (auto step : steps)
      if (failed(lower(step, names)))
        return signalPassFailure();
    finishShardToRuntime(module);
  }

  void declareRuntime(ModuleOp module) {
    MLIRContext *ctx = module.getContext();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Type ptr = LLVM::LLVMPointerType::get(ctx);
    Type i32 = b.getI32Type(), i64 = b.getI64Type(), f32 = b.getF32Type();
    auto declare = [&](StringRef name, TypeRange in, TypeRange out) {
      if (module.lookupSymbol(name))
        return;
      auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                     b.getFunctionType(in, out));
      fn.setPrivate();
    };
    declare("ttrt_weight", {ptr, ptr, ptr}, {ptr});
    declare("ttrt_row_bytes", {i32, i64}, {i64});
    declare("ttrt_kv_cache", {ptr, i64, i32}, {ptr});
    declare("ttrt_logit_rows", {ptr, i64}, {i64});
    declare("ttrt_matmul", {ptr, i32, i64, i64, ptr, i64, ptr, ptr}, {});
    declare("ttrt_embedding", {ptr, i32, i64, i64, ptr, i64, ptr}, {});
    declare("ttrt_to_f32", {ptr, i32, i64, ptr}, {});
    declare("ttrt_attention",
            {ptr, ptr, ptr, i64, i64, i64, i64, i64, i64, f32, f32, ptr}, {});
    // Only where tt-kv-cache / tt-fuse ask for them.
    bool typedCache = false, fused = false;
    module.walk([&](Operation *op) {
      if (isa<AttentionOp>(op) &&
          (fusion::kvCacheTypeId(fusion::getKVCacheDtype(op)) != TTRT_KV_F32 ||
           (fusion::fuses(op, fusion::kRope) &&
            fusion::isStaticRope(cast<AttentionOp>(op).getRopeAttr()))))
        typedCache = true;
      if (op->hasAttr(fusion::kFuseAttr))
        fused = true;
    });
    if (typedCache)
      declare("ttrt_attention_kv",
              {ptr, ptr, ptr, ptr, ptr, i32, i64, i64, i64, i64, i64, i64, f32,
               f32, ptr, i64, i32, ptr},
              {});
    bool alibi = false;
    module.walk([&](AttentionOp a) { alibi |= a.getAlibi(); });
    if (alibi)
      declare("ttrt_attention_alibi",
              {ptr, ptr, ptr, ptr, ptr, i32, i64, i64, i64, i64, i64, i64, f32,
               f32, f32, ptr},
              {});
    if (fused)
      declare("ttrt_matmul_fused",
              {ptr, i64, i64, i32, f32, ptr, ptr, i32, ptr, i32, ptr, i32, i64,
               ptr, ptr, ptr, i32, i64, ptr, ptr, ptr, i32, i64, ptr, ptr},
              {});
  }

  /// What the batched decode step calls besides the others' functions.
  void declareBatchRuntime(ModuleOp module) {
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Type ptr = LLVM::LLVMPointerType::get(module.getContext());
    Type i32 = b.getI32Type(), i64 = b.getI64Type(), f32 = b.getF32Type();
    auto declare = [&](StringRef name, TypeRange in, TypeRange out) {
      if (module.lookupSymbol(name))
        return;
      func::FuncOp::create(b, module.getLoc(), name,
                           b.getFunctionType(in, out))
          .setPrivate();
    };
    declare("ttrt_kv_cache_slots", {ptr, i64, i32, i64}, {ptr});
    declare("ttrt_attention_batch",
            {ptr, ptr, ptr, ptr, ptr, i32, i64, ptr, i64, i64, i64, i64, f32,
             f32, ptr, i64, i32, ptr},
            {});
    bool alibi = false;
    module.walk([&](AttentionOp a) { alibi |= a.getAlibi(); });
    if (alibi)
      declare("ttrt_attention_batch_alibi",
              {ptr, ptr, ptr, ptr, ptr, i32, i64, ptr, i64, i64, i64, i64, f32,
               f32, f32, ptr},
              {});
  }

  /// One NUL-terminated global string per weight name.
  llvm::StringMap<std::string>
  declareWeightNames(ModuleOp module, ArrayRef<func::FuncOp> models) {
    llvm::StringMap<std::string> names;
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    for (auto fn : models)
      fn.walk([&](WeightOp w) {
        for (const std::string &name : boundWeightNames(w)) {
          if (names.count(name))
            continue;
          std::string sym = "__tt_weight_name_" + std::to_string(names.size());
          createString(b, module.getLoc(), sym, name + std::string(1, '\0'));
          names[name] = sym;
        }
      });
    return names;
  }

  static LLVM::GlobalOp createString(OpBuilder &b, Location loc, StringRef sym,
                                     StringRef data) {
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), data.size());
    return LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                                  LLVM::Linkage::Internal, sym,
                                  b.getStringAttr(data));
  }

  /// `@m_weight_names() -> !llvm.ptr`: the names the model binds, each
  /// NUL-terminated, in order of first use, ended by an empty name.
  void emitWeightList(func::FuncOp fn) {
    OpBuilder b(fn);
    Location loc = fn.getLoc();
    std::string data;
    llvm::StringSet<> seen;
    fn.walk([&](WeightOp w) {
      for (const std::string &name : boundWeightNames(w))
        if (seen.insert(name).second)
          data += name + std::string(1, '\0');
    });
    data.push_back('\0');
    std::string sym = (fn.getSymName() + "_weight_names_data").str();
    createString(b, loc, sym, data);
    Type ptr = LLVM::LLVMPointerType::get(b.getContext());
    auto list =
        func::FuncOp::create(b, loc, (fn.getSymName() + "_weight_names").str(),
                             b.getFunctionType({}, {ptr}));
    OpBuilder body = OpBuilder::atBlockBegin(list.addEntryBlock());
    Value addr = LLVM::AddressOfOp::create(body, loc, ptr, sym);
    func::ReturnOp::create(body, loc, addr);
  }

  /// Clones `fn` as `@fn_prefill` or `@fn_decode` with the C signature and
  /// its layers inlined; each attention op remembers its layer index.
  func::FuncOp specialize(func::FuncOp fn, StringRef kind) {
    OpBuilder b(fn);
    Location loc = fn.getLoc();
    Type ptr = LLVM::LLVMPointerType::get(b.getContext());
    Type i64 = b.getI64Type();
    // pos0, or the batched step's positions array.
    Type positions = kind == "decode_batch" ? ptr : i64;
    auto step = func::FuncOp::create(
        b, loc, (fn.getSymName() + "_" + kind).str(),
        b.getFunctionType({ptr, ptr, i64, positions, ptr}, {}));
    step->setAttr(kStepAttr, b.getStringAttr(kind));
    Block *entry = step.addEntryBlock();
    OpBuilder body = OpBuilder::atBlockBegin(entry);
    IRMapping mapping;
    // The tokens stay a pointer: only tt.embedding reads them.
    Value tokens =
        UnrealizedConversionCastOp::create(
            body, loc, fn.getArgument(0).getType(), entry->getArgument(1))
            .getResult(0);
    mapping.map(fn.getArgument(0), tokens);
    for (Operation &op : fn.getBody().front())
      body.clone(op, mapping);

    IRRewriter rewriter(b.getContext());
    SmallVector<LayerOp> layers;
    step.walk([&](LayerOp l) { layers.push_back(l); });
    for (LayerOp layer : layers) {
      Block &block = layer.getBody().front();
      block.walk([&](AttentionOp a) {
        a->setAttr(kLayerIndexAttr, b.getI64IntegerAttr(layer.getIndex()));
      });
      auto yield = cast<YieldOp>(block.getTerminator());
      Value result = yield.getValue();
      rewriter.inlineBlockBefore(&block, layer, {layer.getInput()});
      rewriter.replaceOp(layer, result);
      rewriter.eraseOp(yield);
    }
    return step;
  }

  LogicalResult lower(func::FuncOp step,
                      const llvm::StringMap<std::string> &names) {
    MLIRContext *ctx = step.getContext();
    bool decode = Step::of(&step.getBody().front().front()).decode;
    TypeConverter converter;
    converter.addConversion([](Type t) { return t; });
    converter.addConversion([decode](RankedTensorType t) -> Type {
      if (!isActivation(t))
        return t;
      return RankedTensorType::get(
          {decode ? 1 : ShapedType::kDynamic, t.getDimSize(2)},
          t.getElementType());
    });
    auto cast = [](OpBuilder &b, Type type, ValueRange inputs,
                   Location loc) -> Value {
      return UnrealizedConversionCastOp::create(b, loc, type, inputs)
          .getResult(0);
    };
    converter.addSourceMaterialization(cast);
    converter.addTargetMaterialization(cast);

    ConversionTarget target(*ctx);
    target.addLegalDialect<
        arith::ArithDialect, bufferization::BufferizationDialect,
        func::FuncDialect, linalg::LinalgDialect, LLVM::LLVMDialect,
        math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
        tensor::TensorDialect>();
    target.addIllegalDialect<TTDialect>();
    target.addLegalOp<WeightOp, UnrealizedConversionCastOp>();
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [](func::ReturnOp op) { return op.getNumOperands() == 0; });

    RewritePatternSet patterns(ctx);
    populateTTToLinalgPatterns(converter, patterns, names);
    populateShardToRuntimePatterns(converter, target, patterns);
    if (failed(applyPartialConversion(step, target, std::move(patterns))))
      return failure();

    // The weights and the token cast have been read by the patterns.
    SmallVector<Operation *> dead;
    step.walk([&](Operation *op) {
      if (isa<WeightOp, UnrealizedConversionCastOp>(op) && op->use_empty())
        dead.push_back(op);
    });
    for (Operation *op : llvm::reverse(dead))
      op->erase();
    return success();
  }
};

} // namespace

void tt::populateTTToLinalgPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const llvm::StringMap<std::string> &weightNameGlobals) {
  patterns.add<EmbeddingLowering, NormLowering, AddLowering, AttentionLowering,
               MLPLowering, MoELowering, LMHeadLowering, ReturnLowering>(
      converter, patterns.getContext(), weightNameGlobals);
}

std::string tt::expandExpertName(StringRef name, int64_t expert) {
  std::string out;
  std::string index = std::to_string(expert);
  while (!name.empty()) {
    size_t at = name.find("{e}");
    out += name.take_front(at).str();
    if (at == StringRef::npos)
      break;
    out += index;
    name = name.drop_front(at + 3);
  }
  return out;
}

std::string tt::runtimeTypeName(Type t) {
  if (t.isF32())
    return "f32";
  if (t.isF16())
    return "f16";
  if (t.isBF16())
    return "bf16";
  if (auto q = dyn_cast<QuantType>(t))
    return q.getFormatName(); // with the group size: int4_g128_asym
  return "";
}

std::string tt::weightBindKey(WeightOp weight, StringRef name) {
  std::string key = name.str();
  // A fused QKV tensor stored in interleaved groups (Falcon): the range
  // indexes the de-interleaved rows, so the runtime gathers them.
  if (auto groups = weight->getAttrOfType<IntegerAttr>("qkv_groups");
      groups && name.ends_with("]") && name.contains('[') &&
      !weight.getTransposed()) {
    size_t open = name.rfind('[');
    auto [a, b] = name.slice(open + 1, name.size() - 1).split(':');
    key = name.take_front(open).str() + "@qkv(" +
          std::to_string(groups.getInt()) + "," + a.str() + "," + b.str() +
          ")";
  }
  if (weight.getTransposed()) {
    // Stored [in, out]: the runtime transposes it, then takes the rows (out
    // features) that `name[a:b]` names.
    StringRef base = name, range;
    if (name.ends_with("]") && name.contains('[')) {
      size_t open = name.rfind('[');
      base = name.take_front(open);
      range = name.slice(open + 1, name.size() - 1);
    }
    key = base.str() + "@transpose";
    if (!range.empty()) {
      auto [a, b] = range.split(':');
      key += "@rows(" + a.str() + "," + b.str() + ")";
    }
  }
  if (auto dim = weight.getShardDim()) {
    // shard_dim names a dimension of the stored tensor; the key's @shard
    // applies after @transpose, to the [out, in] matrix. A per-expert tensor
    // lacks the stacked leading dimension.
    int64_t d = *dim - (weight.getName().contains("{e}") ? 1 : 0);
    if (weight.getTransposed())
      d = 1 - d;
    key += "@shard(" + std::to_string(d) + "," +
           std::to_string(*weight.getShardParts()) + ")";
  }
  if (weight.getPartial())
    key += "@partial";
  if (auto stored = weight.getStoredType()) {
    Type element = weight.getType().getElementType();
    if (*stored != element)
      key += "@as(" + runtimeTypeName(element) + ")";
  }
  return key;
}

SmallVector<std::string> tt::boundWeightNames(WeightOp weight) {
  StringRef name = weight.getName();
  if (!name.contains("{e}"))
    return {weightBindKey(weight, name)};
  SmallVector<std::string> names;
  int64_t experts = weight.getType().getDimSize(0);
  for (int64_t e = 0; e < experts; ++e)
    names.push_back(weightBindKey(weight, expandExpertName(name, e)));
  return names;
}
