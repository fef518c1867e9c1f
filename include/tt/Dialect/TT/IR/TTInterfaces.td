//===- TTInterfaces.td - Op interfaces of the tt dialect ----*- tablegen -*-===//
//
// The interfaces that analyses and hardware passes are written against, so
// that an op added by a plugin takes part in estimation, sharding and
// quantisation with no change to the core.
//
//===----------------------------------------------------------------------===//

#ifndef TT_DIALECT_TT_IR_TTINTERFACES_TD
#define TT_DIALECT_TT_IR_TTINTERFACES_TD

include "mlir/IR/OpBase.td"

def TT_CostOpInterface : OpInterface<"CostOpInterface"> {
  let cppNamespace = "::tt";
  let description = [{
    A layer of the model that has a cost: parameters, floating-point
    operations and bytes moved per token, and KV-cache bytes per token.

    FLOPs count a multiply-add as two operations and cover the matrix
    products and attention (scores and weighted sum); element-wise work
    (norms, activations, softmax, rotary) is not counted, as in Kaplan et al.
    Per-token figures are given at a `tt::CostPoint`: prefill of a sequence
    of length S (averaged over its S tokens) or decode of one token at
    context C (C positions in the KV cache including the new one).

    The report (`--tt-report`) and every later estimate use only this
    interface, so a plugin op that implements it is counted.
  }];
  let methods = [
    InterfaceMethod<
      "Number of parameters (elements of the weights the op reads).",
      "int64_t", "getParameterCount", (ins), [{}], [{
        return ::tt::detail::sumWeightElements($_op);
      }]>,
    InterfaceMethod<
      "Parameters used for one token (differs from the total for MoE).",
      "int64_t", "getActiveParameterCount", (ins), [{}], [{
        return $_op.getParameterCount();
      }]>,
    InterfaceMethod<
      "FLOPs per token at the given point.",
      "double", "getFlopsPerToken", (ins "const ::tt::CostPoint &":$point)>,
    InterfaceMethod<
      "Bytes read from and written to memory per token at the given point "
      "(weights, KV cache); batch 1.",
      "double", "getBytesPerToken", (ins "const ::tt::CostPoint &":$point),
      [{}], [{
        return ::tt::detail::activeWeightBytes($_op) / point.tokensSharingWeights();
      }]>,
    InterfaceMethod<
      "KV-cache bytes per token of context, given the cache element size "
      "in bits.",
      "int64_t", "getKVCacheBytesPerToken", (ins "unsigned":$kvElementBits),
      [{}], [{ return 0; }]>,
    InterfaceMethod<
      "Short name of the layer kind for reports (`attention`, `mlp`, ...).",
      "::std::string", "getLayerKind", (ins), [{}], [{
        return $_op->getName().stripDialect().str();
      }]>,
    InterfaceMethod<
      "Class name of the layer for reports (`GroupedQueryAttention`).",
      "::std::string", "getLayerClass", (ins), [{}], [{
        return $_op.getLayerKind();
      }]>,
    InterfaceMethod<
      "Adds the layer's defining numbers to `specs`.",
      "void", "describe", (ins "::llvm::json::Object &":$specs), [{}],
      [{ }]>,
    InterfaceMethod<
      "Whether tt can compile this layer (false for `tt.unsupported`).",
      "bool", "isSupported", (ins), [{}], [{ return true; }]>
  ];
}

def TT_ShardingOpInterface : OpInterface<"ShardingOpInterface"> {
  let cppNamespace = "::tt";
  let description = [{
    How an op's weights split under tensor parallelism (Megatron-style):
    `column` splits the output features (dimension 0 of a `[out, in]`
    weight), `row` splits the input features (dimension 1) and needs an
    all-reduce of the result, `vocab` splits an embedding or lm_head along
    the vocabulary, `expert` places whole experts on devices (expert
    parallelism, with an all-to-all), `replicated` copies the tensor,
    `partial` marks a tensor added into the partial sum that the all-reduce
    completes (the bias of a row-split projection: one device holds it, the
    others zeros). Attention heads are column-split for Q, K and V and
    row-split for O. `tt-tensor-parallel` is written against this
    interface: a plugin op that implements it is split too.
  }];
  let methods = [
    InterfaceMethod<
      "Split of the weight feeding operand `operandIndex`.",
      "::tt::ShardKind", "getWeightSharding", (ins "unsigned":$operandIndex)>,
    InterfaceMethod<
      "Whether the op's output needs an all-reduce across the tensor-"
      "parallel group.",
      "bool", "needsAllReduce", (ins), [{}], [{ return false; }]>
  ];
}

def TT_QuantizableOpInterface : OpInterface<"QuantizableOpInterface"> {
  let cppNamespace = "::tt";
  let description = [{
    Which of an op's weights are matrices that a weight-quantisation pass
    may store in a quantised format (biases and norm scales are not).
  }];
  let methods = [
    InterfaceMethod<
      "Operand indices of the quantisable weight matrices.",
      "::llvm::SmallVector<unsigned>", "getQuantizableWeightOperands", (ins)>
  ];
}

#endif // TT_DIALECT_TT_IR_TTINTERFACES_TD
