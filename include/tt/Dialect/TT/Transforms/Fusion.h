//===- Fusion.h - What tt-fuse and tt-kv-cache record in the IR -*- C++ -*-===//
//
// The attributes tt-fuse and tt-kv-cache leave on ops for the lowering
// (convert-tt-to-linalg) and the CPU target (describeModel) to read. The
// ops themselves are unchanged, so the report and every other pass see the
// same model; see docs/Fusion.md.
//
//   tt.fuse = ["norm", "qkv", "rope", "residual"]  on tt.attention / tt.mlp:
//       what the op's lowering computes in its own runtime calls
//       ("gate_up" for tt.mlp);
//   tt.fused                                        on tt.norm / tt.add:
//       computed by the op that absorbs it (the norm's one user, the add's
//       sublayer operand), which lists "norm" / "residual";
//   tt.kv_cache_dtype = f16                         on tt.attention:
//       the element type of the layer's KV cache.
//
//===----------------------------------------------------------------------===//

#ifndef TT_DIALECT_TT_TRANSFORMS_FUSION_H
#define TT_DIALECT_TT_TRANSFORMS_FUSION_H

#include "tt/Dialect/TT/IR/TTAttributes.h"
#include "tt/Runtime/RuntimeABI.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

namespace tt::fusion {

constexpr llvm::StringLiteral kFuseAttr = "tt.fuse";
constexpr llvm::StringLiteral kFusedAttr = "tt.fused";
constexpr llvm::StringLiteral kKVCacheDtypeAttr = "tt.kv_cache_dtype";

/// The fusion names, in the order tt.fuse lists them.
constexpr llvm::StringLiteral kNorm = "norm";
constexpr llvm::StringLiteral kQKV = "qkv";
constexpr llvm::StringLiteral kGateUp = "gate_up";
constexpr llvm::StringLiteral kRope = "rope";
constexpr llvm::StringLiteral kResidual = "residual";

/// Whether `op`'s tt.fuse lists `what`.
inline bool fuses(mlir::Operation *op, llvm::StringRef what) {
  auto list = op->getAttrOfType<mlir::ArrayAttr>(kFuseAttr);
  if (!list)
    return false;
  for (mlir::Attribute a : list)
    if (auto s = llvm::dyn_cast<mlir::StringAttr>(a); s && s == what)
      return true;
  return false;
}

/// Whether `op` (a tt.norm or tt.add) is computed by another op.
inline bool isFused(mlir::Operation *op) { return op->hasAttr(kFusedAttr); }

/// The KV-cache element type of attention op `op`: its tt.kv_cache_dtype,
/// else the module's tt.hardware kv_cache_dtype, else null (f32, the CPU
/// path's default).
inline mlir::Type getKVCacheDtype(mlir::Operation *op) {
  if (auto t = op->getAttrOfType<mlir::TypeAttr>(kKVCacheDtypeAttr))
    return t.getValue();
  for (mlir::Operation *p = op->getParentOp(); p; p = p->getParentOp())
    if (auto hw = p->getAttrOfType<HardwareAttr>("tt.hardware"))
      if (mlir::Type t = hw.getKvCacheDtype())
        return t;
  return {};
}

/// Whether `rope`'s frequencies are fixed at compile time and its cos/sin
/// unscaled (none, linear, llama3), as fused RoPE (ttrt_attention_kv) needs.
inline bool isStaticRope(RopeAttr rope) {
  if (!rope)
    return false;
  RopeScaling s = rope.getScaling();
  return s == RopeScaling::none || s == RopeScaling::linear ||
         s == RopeScaling::llama3;
}

/// The runtime's id (TTRT_KV_*) of KV-cache element type `t` (null: f32),
/// or -1 when the runtime has no cache of that type.
inline int32_t kvCacheTypeId(mlir::Type t) {
  if (!t || t.isF32())
    return TTRT_KV_F32;
  if (t.isF16())
    return TTRT_KV_F16;
  if (t.isBF16())
    return TTRT_KV_BF16;
  if (t.isSignlessInteger(8))
    return TTRT_KV_I8;
  if (llvm::isa<mlir::Float8E4M3FNType>(t))
    return TTRT_KV_F8E4M3;
  if (llvm::isa<mlir::Float8E5M2Type>(t))
    return TTRT_KV_F8E5M2;
  return -1;
}

} // namespace tt::fusion

#endif // TT_DIALECT_TT_TRANSFORMS_FUSION_H
