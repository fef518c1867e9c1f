//===- StepBuilder.h - Building blocks of code inside a step function ----===//
//
// convert-tt-to-linalg turns a model function into step functions with the
// C signature (ctx, tokens, n, pos0, logits) of RuntimeABI.h (a batched
// decode step: (ctx, tokens, B, positions, logits)). The lowering
// of tt ops (ConvertTTToLinalg.cpp) and of shard collectives
// (ShardToRuntime.cpp) both emit code there that hands buffers to runtime
// calls; these are the pieces they share. Private to lib/Conversion.
//
//===----------------------------------------------------------------------===//

#ifndef TT_LIB_CONVERSION_TTTOLINALG_STEPBUILDER_H
#define TT_LIB_CONVERSION_TTTOLINALG_STEPBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace tt {

/// The attribute naming a step function's kind: "prefill", "decode" or
/// "decode_batch".
inline constexpr llvm::StringLiteral kStepAttr = "tt_step";

/// The arguments of the enclosing step function.
struct Step {
  /// pos0 (i64) for prefill and decode; positions (a pointer to one i64 per
  /// row) for a batched decode step, where the other is null.
  mlir::Value ctx, tokens, nArg, pos0, positions, logits;
  bool decode = false;
  /// m_decode_batch: nArg rows of different sequences (KV-cache slots).
  bool batch = false;

  static Step of(mlir::Operation *op) {
    auto fn = op->getParentOfType<mlir::func::FuncOp>();
    mlir::Block &entry = fn.getBody().front();
    Step s;
    auto kind = fn->getAttrOfType<mlir::StringAttr>(kStepAttr);
    s.decode = kind && kind.getValue() == "decode";
    s.batch = kind && kind.getValue() == "decode_batch";
    s.ctx = entry.getArgument(0);
    s.tokens = entry.getArgument(1);
    s.nArg = entry.getArgument(2);
    (s.batch ? s.positions : s.pos0) = entry.getArgument(3);
    s.logits = entry.getArgument(4);
    return s;
  }

  /// The position of step row `row` (an index) as i64, built with `nb`
  /// (e.g. inside a linalg.generic body): pos0 + row, or positions[row] in a
  /// batched step.
  mlir::Value positionOf(mlir::OpBuilder &nb, mlir::Location nl,
                         mlir::Value row) const {
    mlir::Value r =
        mlir::arith::IndexCastOp::create(nb, nl, nb.getI64Type(), row);
    if (!batch)
      return mlir::arith::AddIOp::create(nb, nl, pos0, r);
    auto ptrTy = mlir::LLVM::LLVMPointerType::get(nb.getContext());
    mlir::Value at = mlir::LLVM::GEPOp::create(
        nb, nl, ptrTy, nb.getI64Type(), positions, mlir::ValueRange{r});
    return mlir::LLVM::LoadOp::create(nb, nl, nb.getI64Type(), at);
  }
};

/// Constants, the step's token count, and buffers handed to runtime calls,
/// built at `b`'s insertion point.
class StepBuilder {
public:
  StepBuilder(mlir::OpBuilder &b, mlir::Location loc, Step step)
      : b(b), loc(loc), step(step) {}

  mlir::Type ptrTy() { return mlir::LLVM::LLVMPointerType::get(b.getContext()); }
  mlir::Value i32(int64_t v) {
    return mlir::arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
  }
  mlir::Value i64(int64_t v) {
    return mlir::arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  }
  mlir::Value f32(double v) {
    return mlir::arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  mlir::Value idx(int64_t v) {
    return mlir::arith::ConstantIndexOp::create(b, loc, v);
  }

  /// Number of tokens in this step, as i64 and as index.
  mlir::Value nI64() { return step.decode ? i64(1) : step.nArg; }
  mlir::Value nIndex() {
    if (step.decode)
      return idx(1);
    return mlir::arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                            step.nArg);
  }

  /// The aligned base address of a tensor's or memref's storage.
  mlir::Value ptrOf(mlir::Value v) {
    if (auto t = llvm::dyn_cast<mlir::RankedTensorType>(v.getType()))
      v = mlir::bufferization::ToBufferOp::create(
          b, loc, mlir::MemRefType::get(t.getShape(), t.getElementType()), v,
          /*read_only=*/true);
    mlir::Value index =
        mlir::memref::ExtractAlignedPointerAsIndexOp::create(b, loc, v);
    mlir::Value addr =
        mlir::arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
    return mlir::LLVM::IntToPtrOp::create(b, loc, ptrTy(), addr);
  }

  /// A fresh buffer of `type`'s shape for a runtime call to write; its
  /// dynamic dimensions are the step's tokens.
  mlir::Value alloc(mlir::RankedTensorType type) {
    llvm::SmallVector<mlir::Value> dyn;
    for (int64_t d : type.getShape())
      if (mlir::ShapedType::isDynamic(d))
        dyn.push_back(nIndex());
    return mlir::memref::AllocOp::create(
        b, loc, mlir::MemRefType::get(type.getShape(), type.getElementType()),
        dyn, b.getI64IntegerAttr(64));
  }
  /// A fresh buffer of `type`'s shape whose dynamic dimensions are `dyn`.
  mlir::Value alloc(mlir::RankedTensorType type, mlir::ValueRange dyn) {
    return mlir::memref::AllocOp::create(
        b, loc, mlir::MemRefType::get(type.getShape(), type.getElementType()),
        dyn, b.getI64IntegerAttr(64));
  }
  /// The buffer a runtime call wrote, as a tensor again.
  mlir::Value toTensor(mlir::Value memref) {
    auto mt = llvm::cast<mlir::MemRefType>(memref.getType());
    return mlir::bufferization::ToTensorOp::create(
        b, loc, mlir::RankedTensorType::get(mt.getShape(), mt.getElementType()),
        memref, /*restrict=*/true, /*writable=*/true);
  }

  mlir::func::CallOp call(llvm::StringRef fn, mlir::TypeRange results,
                          mlir::ValueRange args) {
    return mlir::func::CallOp::create(b, loc, fn, results, args);
  }

  mlir::OpBuilder &b;
  mlir::Location loc;
  Step step;
};

} // namespace tt

#endif // TT_LIB_CONVERSION_TTTOLINALG_STEPBUILDER_H
