//===- TTExampleOps.cpp - Operations of the ttx dialect -------------------===//
//
// The verifier and the CostOpInterface implementation of ttx.short_conv.
// Everything tt's analyses need from the op goes through the interface; the
// defaults of getParameterCount (elements of the tt.weight operands),
// getBytesPerToken (their bytes) and getKVCacheBytesPerToken (0) fit it.
//
//===----------------------------------------------------------------------===//

#include "TTExample/TTExampleOps.h"

#include "tt/Dialect/TT/IR/TTOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace ttx;

#define GET_OP_CLASSES
#include "TTExample/TTExampleOps.cpp.inc"

//===----------------------------------------------------------------------===//
// ShortConvOp
//===----------------------------------------------------------------------===//

LogicalResult ShortConvOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getRank() < 1)
    return emitOpError("input must have rank at least 1 (its last dimension "
                       "is the hidden size)");
  int64_t hidden = getHiddenSize();
  if (ShapedType::isDynamic(hidden))
    return emitOpError() << "hidden size (the last dimension of the input "
                            "type "
                         << input << ") must be static";
  int64_t kernel = getKernelSize();
  if (kernel < 1)
    return emitOpError() << "kernel size must be at least 1, got " << kernel;

  ArrayRef<int64_t> weight = cast<ShapedType>(getWeight().getType()).getShape();
  if (weight != ArrayRef<int64_t>{hidden, kernel})
    return emitOpError() << "weight has shape " << tt::formatShape(weight)
                         << " but the spec needs "
                         << tt::formatShape({hidden, kernel}) << " (hidden "
                         << hidden << ", kernel " << kernel << ")";
  if (Value bias = getBias()) {
    ArrayRef<int64_t> b = cast<ShapedType>(bias.getType()).getShape();
    if (b != ArrayRef<int64_t>{hidden})
      return emitOpError() << "bias has shape " << tt::formatShape(b)
                           << " but the spec needs " << tt::formatShape({hidden})
                           << " (hidden " << hidden << ")";
  }
  return success();
}

// CostOpInterface. A multiply-add counts 2: each token's output in each of
// the H channels is a dot product of K taps. The bias add is element-wise
// and, as for tt's layers, not counted. The cost is the same for prefill
// and decode and does not grow with the context.
double ShortConvOp::getFlopsPerToken(const ::tt::CostPoint &) {
  return 2.0 * getHiddenSize() * getKernelSize();
}

std::string ShortConvOp::getLayerClass() { return "ShortConv"; }

void ShortConvOp::describe(llvm::json::Object &specs) {
  // tt groups layer instances that agree on everything but layer_idx.
  if (auto layer = (*this)->getParentOfType<::tt::LayerOp>())
    specs["layer_idx"] = layer.getIndex();
  else
    specs["layer_idx"] = -1;
  specs["hidden_size"] = getHiddenSize();
  specs["kernel_size"] = getKernelSize();
  specs["bias"] = static_cast<bool>(getBias());
  specs["causal"] = true;
}
