//===- KVCache.cpp - The tt-kv-cache pass ---------------------------------===//
//
// Records the KV-cache element type where the report (tt.hardware) and the
// lowering (tt.kv_cache_dtype on each op with a KV cache) read it.
//
//===----------------------------------------------------------------------===//

#include "tt/Dialect/TT/IR/TTAttributes.h"
#include "tt/Dialect/TT/IR/TTInterfaces.h"
#include "tt/Dialect/TT/IR/TTOps.h"
#include "tt/Dialect/TT/Transforms/Fusion.h"
#include "tt/Dialect/TT/Transforms/Passes.h"

namespace tt {
#define GEN_PASS_DEF_TTKVCACHE
#include "tt/Dialect/TT/Transforms/Passes.h.inc"
} // namespace tt

using namespace mlir;
using namespace tt;

namespace {

/// The types the CPU runtime stores a KV cache in (RuntimeABI.h TTRT_KV_*).
Type parseKVType(MLIRContext *ctx, StringRef name) {
  if (name == "f32")
    return Float32Type::get(ctx);
  if (name == "f16")
    return Float16Type::get(ctx);
  if (name == "bf16")
    return BFloat16Type::get(ctx);
  if (name == "i8")
    return IntegerType::get(ctx, 8);
  if (name == "f8E4M3FN")
    return Float8E4M3FNType::get(ctx);
  if (name == "f8E5M2")
    return Float8E5M2Type::get(ctx);
  return {};
}

bool isKVType(Type t) {
  return t && (t.isF32() || t.isF16() || t.isBF16() ||
               t.isSignlessInteger(8) ||
               isa<Float8E4M3FNType, Float8E5M2Type>(t));
}

struct KVCachePass : public tt::impl::TTKVCacheBase<KVCachePass> {
  using TTKVCacheBase::TTKVCacheBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto hw = module->getAttrOfType<HardwareAttr>("tt.hardware");
    Type type;
    if (dtype.empty()) {
      type = hw ? hw.getKvCacheDtype() : Type();
      if (!type) {
        module.emitError("tt-kv-cache: no dtype= given and the module has no "
                         "tt.hardware kv_cache_dtype to take it from");
        return signalPassFailure();
      }
    } else {
      type = parseKVType(ctx, dtype);
      if (!type) {
        module.emitError() << "tt-kv-cache: unknown dtype '" << dtype
                           << "' (expected f32, f16, bf16, i8, f8E4M3FN or "
                              "f8E5M2)";
        return signalPassFailure();
      }
    }
    if (!isKVType(type)) {
      module.emitError() << "tt-kv-cache: tt.hardware's kv_cache_dtype "
                         << type
                         << " is not a KV-cache type the CPU runtime has "
                            "(f32, f16, bf16, i8, f8E4M3FN, f8E5M2)";
      return signalPassFailure();
    }

    auto emitErrLambda = [&] { return module.emitError(); };
    llvm::function_ref<InFlightDiagnostic()> emitErr = emitErrLambda;
    HardwareAttr updated =
        hw ? HardwareAttr::getChecked(
                 emitErr, ctx, hw.getDevice(), hw.getTensorParallel(),
                 hw.getPipelineParallel(), hw.getWeightDtype(),
                 hw.getQuantizeWeights(), hw.getQuantizeActivations(), type,
                 hw.getFlashAttention(), hw.getFusedKernels(),
                 hw.getActivationCheckpointing(),
                 hw.getOptimizeForInference())
           : HardwareAttr::getChecked(emitErr, ctx, StringRef("cpu"), int64_t(1),
                                      int64_t(1), Type(), false, false, type,
                                      true, true, false, true);
    if (!updated)
      return signalPassFailure();
    module->setAttr("tt.hardware", updated);

    // Every op that keeps a KV cache (whatever its element size) records it.
    TypeAttr attr = TypeAttr::get(type);
    module.walk([&](CostOpInterface cost) {
      if (cost.getKVCacheBytesPerToken(16) > 0)
        cost->setAttr(fusion::kKVCacheDtypeAttr, attr);
    });
  }
};

} // namespace
