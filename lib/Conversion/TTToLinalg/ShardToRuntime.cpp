//===- ShardToRuntime.cpp - shard collectives to ttrt_* calls -------------===//
//
// Inside a step function of convert-tt-to-linalg (arguments: ctx, tokens, n,
// pos0, logits) the activations are tensor<N x ... x f32> with N = n (prefill)
// or 1 (decode). Each collective hands its buffer to the runtime, which holds
// the communicator in the context: the TP group for all_reduce / all_gather
// on @tt_tp, the PP group for send / recv on @tt_pp.
//
//===----------------------------------------------------------------------===//

#include "tt/Conversion/TTToLinalg/ShardToRuntime.h"
#include "StepBuilder.h"
#include "tt/Runtime/RuntimeABI.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Shard/IR/ShardOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace tt;

namespace {

/// StepBuilder plus what the collectives need.
class Builder : public StepBuilder {
public:
  Builder(OpBuilder &b, Location loc, Step step) : StepBuilder(b, loc, step) {}

  /// Elements of `type`, whose dynamic dimensions are the step's tokens.
  Value count(RankedTensorType type) {
    int64_t fixed = 1;
    Value result;
    for (int64_t d : type.getShape()) {
      if (ShapedType::isDynamic(d)) {
        result = result
                     ? arith::MulIOp::create(b, loc, result, nI64()).getResult()
                     : nI64();
        continue;
      }
      fixed *= d;
    }
    Value f = i64(fixed);
    return result ? arith::MulIOp::create(b, loc, result, f).getResult() : f;
  }

  void call(StringRef fn, ValueRange args) {
    StepBuilder::call(fn, TypeRange{}, args);
  }
};

/// The op's grid must be `expected`, one-dimensional, used along axis 0.
template <typename OpTy> LogicalResult checkGrid(OpTy op, StringRef expected) {
  if (op.getGrid() != expected)
    return op.emitOpError() << "on grid @" << op.getGrid()
                            << ": the CPU lowering runs this collective over "
                               "@"
                            << expected;
  auto grid =
      SymbolTable::lookupNearestSymbolFrom<shard::GridOp>(op, op.getGridAttr());
  if (!grid || grid.getRank() != 1)
    return op.emitOpError()
           << "needs @" << expected << " to be a one-dimensional shard.grid";
  ArrayRef<int16_t> axes = op.getGridAxes();
  if (!(axes.empty() || (axes.size() == 1 && axes[0] == 0)))
    return op.emitOpError("must use grid axis 0 of its one-dimensional grid");
  return success();
}

/// A ranked f32 tensor after type conversion, or an error at `op`.
FailureOr<RankedTensorType> f32Tensor(Operation *op, Type t) {
  auto type = dyn_cast<RankedTensorType>(t);
  if (!type || !type.getElementType().isF32())
    return op->emitOpError()
           << "the CPU lowering exchanges f32 tensors, got " << t;
  return type;
}

struct AllReduceLowering : OpConversionPattern<shard::AllReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(shard::AllReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkGrid(op, kTensorParallelGrid)))
      return failure();
    if (op.getReduction() != shard::ReductionKind::Sum)
      return op.emitOpError()
             << "reduction '"
             << shard::stringifyReductionKind(op.getReduction())
             << "' is not lowered (only sum is)";
    auto type = f32Tensor(op, adaptor.getInput().getType());
    if (failed(type))
      return failure();
    if (op.getResult().getType() != op.getInput().getType())
      return op.emitOpError("must keep its input's type on the CPU");
    Builder e(rewriter, op.getLoc(), Step::of(op));
    // The sum is taken in place, in a buffer of its own.
    Value buf = e.alloc(*type);
    Value n = e.count(*type);
    e.call("ttrt_to_f32", {e.ptrOf(adaptor.getInput()), e.i32(TTRT_TYPE_F32), n,
                           e.ptrOf(buf)});
    e.call("ttrt_all_reduce_sum", {e.step.ctx, e.ptrOf(buf), n});
    rewriter.replaceOp(op, e.toTensor(buf));
    return success();
  }
};

struct AllGatherLowering : OpConversionPattern<shard::AllGatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(shard::AllGatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkGrid(op, kTensorParallelGrid)))
      return failure();
    auto inType = f32Tensor(op, adaptor.getInput().getType());
    if (failed(inType))
      return failure();
    auto outType = f32Tensor(
        op, getTypeConverter()->convertType(op.getResult().getType()));
    if (failed(outType))
      return failure();
    int64_t rank = op.getInput().getType().getRank();
    if (op.getGatherAxis().getSExtValue() != rank - 1)
      return op.emitOpError()
             << "gathers along axis " << op.getGatherAxis().getSExtValue()
             << "; the CPU lowering gathers the last axis (" << rank - 1
             << ") only";
    int64_t cols = inType->getShape().back();
    if (ShapedType::isDynamic(cols))
      return op.emitOpError("needs a static last dimension");
    Builder e(rewriter, op.getLoc(), Step::of(op));
    // Rows as the input has them (a prefill's logits may be its last rows
    // only, see ttrt_logit_rows), not necessarily the step's tokens.
    Location loc = op.getLoc();
    Value rows = e.i64(1);
    SmallVector<Value> dyn;
    for (int64_t d = 0; d + 1 < inType->getRank(); ++d) {
      Value size = tensor::DimOp::create(rewriter, loc, adaptor.getInput(), d);
      if (outType->isDynamicDim(d))
        dyn.push_back(size);
      rows = arith::MulIOp::create(
          rewriter, loc, rows,
          arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(),
                                     size));
    }
    Value out = e.alloc(*outType, dyn);
    e.call("ttrt_all_gather", {e.step.ctx, e.ptrOf(adaptor.getInput()), rows,
                               e.i64(cols), e.ptrOf(out)});
    rewriter.replaceOp(op, e.toTensor(out));
    return success();
  }
};

/// The one static stage index of a send's destination / a recv's source.
FailureOr<int64_t> stageOf(Operation *op, std::optional<ArrayRef<int64_t>> idx,
                           ValueRange dynamic, StringRef what) {
  if (!idx || idx->size() != 1 || !dynamic.empty() ||
      ShapedType::isDynamic((*idx)[0]))
    return op->emitOpError()
           << "needs a static " << what << " (one stage index) on the CPU";
  return (*idx)[0];
}

struct SendLowering : OpConversionPattern<shard::SendOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(shard::SendOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkGrid(op, kPipelineGrid)))
      return failure();
    auto type = f32Tensor(op, adaptor.getInput().getType());
    if (failed(type))
      return failure();
    FailureOr<int64_t> stage = stageOf(
        op, op.getDestination(), op.getDestinationDynamic(), "destination");
    if (failed(stage))
      return failure();
    Builder e(rewriter, op.getLoc(), Step::of(op));
    e.call("ttrt_send", {e.step.ctx, e.ptrOf(adaptor.getInput()),
                         e.count(*type), e.i64(*stage)});
    // The value sent is still this stage's.
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

struct RecvLowering : OpConversionPattern<shard::RecvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(shard::RecvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkGrid(op, kPipelineGrid)))
      return failure();
    auto type = f32Tensor(
        op, getTypeConverter()->convertType(op.getResult().getType()));
    if (failed(type))
      return failure();
    FailureOr<int64_t> stage =
        stageOf(op, op.getSource(), op.getSourceDynamic(), "source");
    if (failed(stage))
      return failure();
    Builder e(rewriter, op.getLoc(), Step::of(op));
    Value buf = e.alloc(*type);
    e.call("ttrt_recv",
           {e.step.ctx, e.ptrOf(buf), e.count(*type), e.i64(*stage)});
    rewriter.replaceOp(op, e.toTensor(buf));
    return success();
  }
};

} // namespace

void tt::populateShardToRuntimePatterns(const TypeConverter &converter,
                                        ConversionTarget &target,
                                        RewritePatternSet &patterns) {
  target.addIllegalOp<shard::AllReduceOp, shard::AllGatherOp, shard::SendOp,
                      shard::RecvOp>();
  patterns
      .add<AllReduceLowering, AllGatherLowering, SendLowering, RecvLowering>(
          converter, patterns.getContext());
}

void tt::finishShardToRuntime(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx);
  Type i32 = IntegerType::get(ctx, 32), i64 = IntegerType::get(ctx, 64);
  struct Decl {
    StringRef name;
    SmallVector<Type> inputs;
    SmallVector<Type> results = {};
  };
  Decl decls[] = {{"ttrt_all_reduce_sum", {ptr, ptr, i64}},
                  {"ttrt_all_gather", {ptr, ptr, i64, i64, ptr}},
                  {"ttrt_send", {ptr, ptr, i64, i64}},
                  {"ttrt_recv", {ptr, ptr, i64, i64}},
                  {"ttrt_embedding_vocab_parallel",
                   {ptr, ptr, i32, i64, i64, ptr, i64, ptr}},
                  {"ttrt_tp_rank", {ptr}, {i64}}};
  llvm::StringSet<> called;
  module.walk([&](func::CallOp call) { called.insert(call.getCallee()); });
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  for (const Decl &d : decls) {
    if (!called.contains(d.name) || module.lookupSymbol(d.name))
      continue;
    auto fn = func::FuncOp::create(b, module.getLoc(), d.name,
                                   b.getFunctionType(d.inputs, d.results));
    fn.setPrivate();
  }
  for (auto grid : llvm::make_early_inc_range(module.getOps<shard::GridOp>()))
    if (SymbolTable::symbolKnownUseEmpty(grid, module))
      grid.erase();
}
