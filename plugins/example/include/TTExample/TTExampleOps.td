//===- TTExampleOps.td - Operations of the ttx dialect ------*- tablegen -*-===//
//
// Only tt's interface definitions are included here, not TTOps.td: an ops
// generator emits every op of every file it reads, so including TTOps.td
// would define tt's ops a second time in the plugin.
//
//===----------------------------------------------------------------------===//

#ifndef TTEXAMPLE_TTEXAMPLEOPS_TD
#define TTEXAMPLE_TTEXAMPLEOPS_TD

include "TTExample/TTExampleDialect.td"
include "tt/Dialect/TT/IR/TTInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// tt's Sublayer trait (the same C++ class as TT_Sublayer in TTOps.td): a
// pre-norm may feed the op and a post-norm may follow it.
def TTX_Sublayer : NativeOpTrait<"Sublayer"> {
  let cppNamespace = "::tt::OpTrait";
}

// As in tt: an activation is a ranked float tensor whose last dimension is
// the hidden size; a weight is a statically shaped tensor.
def TTX_ActTensor : RankedTensorOf<[AnyFloat]>;
def TTX_WeightTensor : StaticShapeTensorOf<[AnyFloat, AnySignlessInteger]>;

def TTX_ShortConvOp : TTX_Op<"short_conv", [Pure, TTX_Sublayer,
    AllTypesMatch<["input", "result"]>,
    // getFlopsPerToken has no default and is always declared; the defaults
    // of the others (parameters = elements of the tt.weight operands, bytes
    // = those weights' bytes, no KV cache, kind = "short_conv") fit.
    DeclareOpInterfaceMethods<TT_CostOpInterface,
                              ["getLayerClass", "describe"]>]> {
  let summary = "depthwise causal short convolution over the sequence";
  let description = [{
    The short convolution of LFM2's conv blocks, Hyena and Mamba: each of
    the `H` hidden channels is convolved along the sequence with its own
    kernel of `K` taps, causally (position `t` sees positions `t-K+1 .. t`,
    zero-padded on the left):

    `y[t, h] = sum_{k<K} weight[h, k] * x[t-K+1+k, h] + bias[h]`

    The input's last dimension is `H`; `weight` is `[H, K]` and the optional
    `bias` is `[H]`. The result has the input's type. Decoding keeps the
    last `K-1` inputs as a fixed-size state, not a per-token cache.

    ```mlir
    %y = ttx.short_conv %x kernel(4) weight(%w : tensor<64x4xf32>)
           bias(%b : tensor<64xf32>) : tensor<?x?x64xf32>
    ```
  }];
  let arguments = (ins TTX_ActTensor:$input,
                       TTX_WeightTensor:$weight,
                       Optional<TTX_WeightTensor>:$bias,
                       I64Attr:$kernel_size);
  let results = (outs TTX_ActTensor:$result);
  let assemblyFormat = [{
    $input `kernel` `(` $kernel_size `)`
    `weight` `(` $weight `:` type($weight) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    attr-dict `:` type($input)
  }];
  let extraClassDeclaration = [{
    /// H: the last dimension of the input.
    int64_t getHiddenSize() { return getInput().getType().getShape().back(); }
  }];
  let hasVerifier = 1;
}

#endif // TTEXAMPLE_TTEXAMPLEOPS_TD
