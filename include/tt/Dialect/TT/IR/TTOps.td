//===- TTOps.td - Operations of the tt dialect --------------*- tablegen -*-===//

#ifndef TT_DIALECT_TT_IR_TTOPS_TD
#define TT_DIALECT_TT_IR_TTOPS_TD

include "tt/Dialect/TT/IR/TTDialect.td"
include "tt/Dialect/TT/IR/TTEnums.td"
include "tt/Dialect/TT/IR/TTAttrs.td"
include "tt/Dialect/TT/IR/TTTypes.td"
include "tt/Dialect/TT/IR/TTInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

// An activation: a ranked float tensor whose last dimension is the hidden
// size; leading dimensions (batch, sequence) are free.
def TT_ActTensor : RankedTensorOf<[AnyFloat]>;
// A weight: a statically shaped tensor of floats, integers or quantised
// blocks.
def TT_WeightTensor : StaticShapeTensorOf<[AnyFloat, AnySignlessInteger, TT_QuantType]>;

// Ops that are the sublayers a residual stream passes through (attention,
// MLP, MoE, and plugin layers of that kind). Pre-norms feed them and
// post-norms follow them.
def TT_Sublayer : NativeOpTrait<"Sublayer"> {
  let cppNamespace = "::tt::OpTrait";
}

class TT_LayerOp<string mnemonic, list<string> costOverrides = [],
                 list<Trait> traits = []>
    : TT_Op<mnemonic, !listconcat(traits, [Pure,
        DeclareOpInterfaceMethods<TT_CostOpInterface, !listconcat(
            ["getLayerClass", "describe"], costOverrides)>])> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def TT_WeightOp : TT_Op<"weight", [Pure]> {
  let summary = "a named weight tensor of the model";
  let description = [{
    Names a tensor in the model's weight source and gives its logical shape
    and element type. The IR never holds weight data: the runtime binds the
    name to mmap'd storage. `transposed` marks a tensor stored as
    `[in, out]` (GPT-2's Conv1D) while its type is the logical `[out, in]`.
    A name containing `{e}` names one tensor per expert, stacked along the
    leading dimension (`experts.{e}.w1.weight`).

    Passes that apply a hardware configuration record how the tensor they
    want differs from the stored one; the runtime derives it once, when it
    binds the weight:
    - `stored_type`: the element type in the weight source, when a pass
      (`tt-quantize`) changed the element type; the runtime converts.
    - `shard_dim`, `shard_parts` (together): the type is one device's piece
      of a tensor cut into `shard_parts` equal pieces along `shard_dim`;
      device r of a tensor-parallel group of size T holds piece
      `r * shard_parts / T` (fewer parts than devices replicate each piece,
      as KV heads are when T exceeds them).
    - `partial`: the tensor feeds a partial sum that is all-reduced later
      (the bias of a row-split projection): device 0 holds it, the others
      zeros.

    ```mlir
    %w = tt.weight "model.layers.0.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
    ```
  }];
  let arguments = (ins StrAttr:$name, UnitAttr:$transposed,
                       OptionalAttr<TypeAttr>:$stored_type,
                       OptionalAttr<I64Attr>:$shard_dim,
                       OptionalAttr<I64Attr>:$shard_parts,
                       UnitAttr:$partial);
  let results = (outs TT_WeightTensor:$result);
  let builders = [
    OpBuilder<(ins "::mlir::Type":$type, "::llvm::StringRef":$name,
                   CArg<"bool", "false">:$transposed), [{
      build($_builder, $_state, type, $_builder.getStringAttr(name),
            transposed ? $_builder.getUnitAttr() : ::mlir::UnitAttr(),
            ::mlir::TypeAttr(), ::mlir::IntegerAttr(), ::mlir::IntegerAttr(),
            ::mlir::UnitAttr());
    }]>
  ];
  let assemblyFormat = [{
    $name (`transposed` $transposed^)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

def TT_EmbeddingOp : TT_LayerOp<"embedding", ["getBytesPerToken"], [
    DeclareOpInterfaceMethods<TT_ShardingOpInterface, ["needsAllReduce"]>,
    DeclareOpInterfaceMethods<TT_QuantizableOpInterface>]> {
  let summary = "token embedding, with optional scaling and learned positions";
  let description = [{
    Looks up `tokens` in `table` (`[vocab, hidden]`). `scale` multiplies the
    result (Gemma scales by sqrt(hidden)); `positions` (`[max_positions,
    hidden]`) adds learned absolute position embeddings (GPT-2).

    ```mlir
    %h = tt.embedding %tokens table(%w : tensor<32000x4096xbf16>)
           : tensor<?x?xi32> -> tensor<?x?x4096xf32>
    ```
  }];
  let arguments = (ins TensorOf<[AnySignlessInteger]>:$tokens,
                       TT_WeightTensor:$table,
                       Optional<TT_WeightTensor>:$positions,
                       OptionalAttr<F64Attr>:$scale);
  let results = (outs TT_ActTensor:$result);
  let assemblyFormat = [{
    $tokens (`scale` `(` custom<Decimal>($scale)^ `)`)?
    `table` `(` $table `:` type($table) `)`
    (`positions` `(` $positions^ `:` type($positions) `)`)?
    attr-dict `:` type($tokens) `->` type($result)
  }];
  let extraClassDeclaration = [{
    int64_t getVocabSize() { return getTable().getType().getDimSize(0); }
    int64_t getHiddenSize() { return getTable().getType().getDimSize(1); }
  }];
}

def TT_NormOp : TT_LayerOp<"norm", [],
    [AttrSizedOperandSegments, AllTypesMatch<["input", "result"]>]> {
  let summary = "RMSNorm or LayerNorm";
  let description = [{
    Normalises over the last dimension: `rms` computes
    `x / sqrt(mean(x^2) + eps) * w`, `layer` computes
    `(x - mean) / sqrt(var + eps) * w + b`. `zero_centered` stores the scale
    as `w - 1` (Gemma: the op multiplies by `1 + w`). `placement` says where
    the norm sits: `pre` feeds a sublayer (attention, MLP, MoE), `post`
    follows one (Gemma 2's post-norms, OLMo 2), `final` feeds the lm_head,
    `embedding` normalises the embedding's output (BLOOM's
    word_embeddings_layernorm).

    ```mlir
    %n = tt.norm rms pre %x eps(1e-05) weight(%w : tensor<4096xbf16>)
           : tensor<?x?x4096xf32>
    ```
  }];
  let arguments = (ins TT_ActTensor:$input,
                       Optional<TT_WeightTensor>:$weight,
                       Optional<TT_WeightTensor>:$bias,
                       TT_NormKind:$kind,
                       TT_NormPlacement:$placement,
                       F64Attr:$eps,
                       UnitAttr:$zero_centered);
  let results = (outs TT_ActTensor:$result);
  let assemblyFormat = [{
    $kind $placement $input `eps` `(` custom<Decimal>($eps) `)`
    (`zero_centered` $zero_centered^)?
    (`weight` `(` $weight^ `:` type($weight) `)`)?
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    attr-dict `:` type($input)
  }];
}

def TT_AttentionOp : TT_LayerOp<"attention", ["getKVCacheBytesPerToken",
    "getBytesPerToken"], [AttrSizedOperandSegments, TT_Sublayer,
    AllTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<TT_ShardingOpInterface, ["needsAllReduce"]>,
    DeclareOpInterfaceMethods<TT_QuantizableOpInterface>]> {
  let summary = "self-attention: MHA, GQA, MQA, sliding window";
  let description = [{
    Causal self-attention over the input sequence and the KV cache.
    `heads` query heads share `kv_heads` key/value heads: equal counts are
    multi-head attention, one KV head is multi-query, anything between is
    grouped-query. `head_dim` overrides `hidden / heads`. `window` limits
    each query to the last `window` positions (sliding window). Positions
    enter through `rope<...>` (rotary, see `#tt.rope`), `alibi`, or neither.
    `alibi` adds `slope_h * (key position - query position)` to each score
    after the scale, with ALiBi's slopes for `heads` heads and maximum bias
    8, or the discardable `tt.alibi_max_bias` (f64) where the importer set
    one (MPT's `alibi_bias_max`).
    `softcap` applies `softcap * tanh(scores / softcap)` to the logits
    (Gemma 2); `scale` overrides `1/sqrt(head_dim)`; `noncausal` drops the
    causal mask. Weights are `[out, in]`: Q `[heads*head_dim, hidden]`, K and
    V `[kv_heads*head_dim, hidden]`, O `[hidden, heads*head_dim]`, each with
    an optional bias; `q_norm` / `k_norm` are RMSNorm scales applied per head
    (`[head_dim]`) or over the whole projection (`[heads*head_dim]`).

    ```mlir
    %a = tt.attention %n heads(32) kv_heads(8) rope<theta = 500000.0>
           q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<1024x4096xbf16>)
           v(%wv : tensor<1024x4096xbf16>) o(%wo : tensor<4096x4096xbf16>)
           : tensor<?x?x4096xf32>
    ```
  }];
  let arguments = (ins TT_ActTensor:$input,
                       TT_WeightTensor:$wq, TT_WeightTensor:$wk,
                       TT_WeightTensor:$wv, TT_WeightTensor:$wo,
                       Optional<TT_WeightTensor>:$bq,
                       Optional<TT_WeightTensor>:$bk,
                       Optional<TT_WeightTensor>:$bv,
                       Optional<TT_WeightTensor>:$bo,
                       Optional<TT_WeightTensor>:$q_norm,
                       Optional<TT_WeightTensor>:$k_norm,
                       I64Attr:$num_heads, I64Attr:$num_kv_heads,
                       OptionalAttr<I64Attr>:$head_dim,
                       OptionalAttr<I64Attr>:$sliding_window,
                       OptionalAttr<F64Attr>:$softcap,
                       OptionalAttr<F64Attr>:$scale,
                       OptionalAttr<F64Attr>:$qk_norm_eps,
                       UnitAttr:$noncausal,
                       UnitAttr:$alibi,
                       OptionalAttr<TT_RopeAttr>:$rope);
  let results = (outs TT_ActTensor:$result);
  let assemblyFormat = [{
    $input `heads` `(` $num_heads `)` `kv_heads` `(` $num_kv_heads `)`
    (`head_dim` `(` $head_dim^ `)`)?
    (`window` `(` $sliding_window^ `)`)?
    (`softcap` `(` custom<Decimal>($softcap)^ `)`)?
    (`scale` `(` custom<Decimal>($scale)^ `)`)?
    (`noncausal` $noncausal^)?
    (`alibi` $alibi^)?
    (`rope` `` $rope^)?
    `q` `(` $wq `:` type($wq) `)` `k` `(` $wk `:` type($wk) `)`
    `v` `(` $wv `:` type($wv) `)` `o` `(` $wo `:` type($wo) `)`
    (`q_bias` `(` $bq^ `:` type($bq) `)`)?
    (`k_bias` `(` $bk^ `:` type($bk) `)`)?
    (`v_bias` `(` $bv^ `:` type($bv) `)`)?
    (`o_bias` `(` $bo^ `:` type($bo) `)`)?
    (`q_norm` `(` $q_norm^ `:` type($q_norm) `)`)?
    (`k_norm` `(` $k_norm^ `:` type($k_norm) `)`)?
    (`qk_norm_eps` `(` custom<Decimal>($qk_norm_eps)^ `)`)?
    attr-dict `:` type($input)
  }];
  let extraClassDeclaration = [{
    int64_t getHiddenSize() { return getInput().getType().getShape().back(); }
    /// The head size: the override, or hidden / heads.
    int64_t getHeadDimOrDefault();
    /// MHA, GQA or MQA (with a sliding-window prefix when windowed).
    ::llvm::StringRef getAttentionKind();
  }];
}

def TT_MLPOp : TT_LayerOp<"mlp", [], [AttrSizedOperandSegments, TT_Sublayer,
    AllTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<TT_ShardingOpInterface, ["needsAllReduce"]>,
    DeclareOpInterfaceMethods<TT_QuantizableOpInterface>]> {
  let summary = "feed-forward block, gated (SwiGLU, GeGLU) or not";
  let description = [{
    `down(act(gate(x)) * up(x))` when a `gate` weight is present (SwiGLU with
    `silu`, GeGLU with `gelu`/`gelu_tanh`), else `down(act(up(x)))`. Up and
    gate are `[intermediate, hidden]`, down is `[hidden, intermediate]`;
    each has an optional bias.

    ```mlir
    %m = tt.mlp silu %n up(%wu : tensor<11008x4096xbf16>)
           gate(%wg : tensor<11008x4096xbf16>)
           down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
    ```
  }];
  let arguments = (ins TT_ActTensor:$input,
                       TT_WeightTensor:$up,
                       Optional<TT_WeightTensor>:$gate,
                       TT_WeightTensor:$down,
                       Optional<TT_WeightTensor>:$up_bias,
                       Optional<TT_WeightTensor>:$gate_bias,
                       Optional<TT_WeightTensor>:$down_bias,
                       TT_Activation:$activation);
  let results = (outs TT_ActTensor:$result);
  let assemblyFormat = [{
    $activation $input `up` `(` $up `:` type($up) `)`
    (`gate` `(` $gate^ `:` type($gate) `)`)?
    `down` `(` $down `:` type($down) `)`
    (`up_bias` `(` $up_bias^ `:` type($up_bias) `)`)?
    (`gate_bias` `(` $gate_bias^ `:` type($gate_bias) `)`)?
    (`down_bias` `(` $down_bias^ `:` type($down_bias) `)`)?
    attr-dict `:` type($input)
  }];
  let extraClassDeclaration = [{
    int64_t getHiddenSize() { return getInput().getType().getShape().back(); }
    int64_t getIntermediateSize() {
      return ::llvm::cast<::mlir::ShapedType>(getUp().getType()).getDimSize(0);
    }
    bool isGated() { return static_cast<bool>(getGate()); }
  }];
}

def TT_MoEOp : TT_LayerOp<"moe", ["getActiveParameterCount", "getBytesPerToken"],
    [AttrSizedOperandSegments, TT_Sublayer, AllTypesMatch<["input", "result"]>,
     DeclareOpInterfaceMethods<TT_ShardingOpInterface, ["needsAllReduce"]>,
     DeclareOpInterfaceMethods<TT_QuantizableOpInterface>]> {
  let summary = "mixture of experts with optional shared experts";
  let description = [{
    A router (`[experts, hidden]`, optional per-expert score bias) scores
    each token; `router_norm` turns scores into weights for the `top_k`
    chosen experts (`softmax`, `softmax_renorm` as in Mixtral, `sigmoid`,
    `sigmoid_renorm` as in DeepSeek-V3). Expert weights are stacked along a
    leading expert dimension: gate and up `[experts, intermediate, hidden]`,
    down `[experts, hidden, intermediate]`. `shared_experts(n)` adds `n`
    always-active experts whose weights are concatenated along the
    intermediate dimension (`shared_gate`, `shared_up` `[n*si, hidden]`,
    `shared_down` `[hidden, n*si]`), optionally scaled by a sigmoid gate
    `shared_router` (`[1, hidden]`, Qwen2-MoE).

    ```mlir
    %m = tt.moe silu %n experts(8) top_k(2) softmax_renorm
           router(%r : tensor<8x4096xbf16>) gate(%g : tensor<8x14336x4096xbf16>)
           up(%u : tensor<8x14336x4096xbf16>) down(%d : tensor<8x4096x14336xbf16>)
           : tensor<?x?x4096xf32>
    ```
  }];
  let arguments = (ins TT_ActTensor:$input,
                       TT_WeightTensor:$router,
                       Optional<TT_WeightTensor>:$gate,
                       TT_WeightTensor:$up,
                       TT_WeightTensor:$down,
                       Optional<TT_WeightTensor>:$router_bias,
                       Optional<TT_WeightTensor>:$shared_gate,
                       Optional<TT_WeightTensor>:$shared_up,
                       Optional<TT_WeightTensor>:$shared_down,
                       Optional<TT_WeightTensor>:$shared_router,
                       TT_Activation:$activation,
                       I64Attr:$num_experts, I64Attr:$top_k,
                       OptionalAttr<I64Attr>:$num_shared_experts,
                       TT_RouterNorm:$router_norm);
  let results = (outs TT_ActTensor:$result);
  let assemblyFormat = [{
    $activation $input `experts` `(` $num_experts `)` `top_k` `(` $top_k `)`
    (`shared_experts` `(` $num_shared_experts^ `)`)?
    $router_norm
    `router` `(` $router `:` type($router) `)`
    (`router_bias` `(` $router_bias^ `:` type($router_bias) `)`)?
    (`gate` `(` $gate^ `:` type($gate) `)`)?
    `up` `(` $up `:` type($up) `)`
    `down` `(` $down `:` type($down) `)`
    (`shared_gate` `(` $shared_gate^ `:` type($shared_gate) `)`)?
    (`shared_up` `(` $shared_up^ `:` type($shared_up) `)`)?
    (`shared_down` `(` $shared_down^ `:` type($shared_down) `)`)?
    (`shared_router` `(` $shared_router^ `:` type($shared_router) `)`)?
    attr-dict `:` type($input)
  }];
  let extraClassDeclaration = [{
    int64_t getHiddenSize() { return getInput().getType().getShape().back(); }
    int64_t getExpertIntermediateSize() {
      return ::llvm::cast<::mlir::ShapedType>(getUp().getType()).getDimSize(1);
    }
    int64_t getNumSharedExpertsOrZero() {
      return getNumSharedExperts().value_or(0);
    }
  }];
}

def TT_LMHeadOp : TT_LayerOp<"lm_head", [], [
    DeclareOpInterfaceMethods<TT_ShardingOpInterface, ["needsAllReduce"]>,
    DeclareOpInterfaceMethods<TT_QuantizableOpInterface>]> {
  let summary = "output projection to vocabulary logits";
  let description = [{
    Projects the final hidden state to logits with `weight`
    (`[vocab, hidden]`) and an optional bias; `softcap` applies
    `softcap * tanh(logits / softcap)` (Gemma 2). The head is tied when its
    weight is the same `tt.weight` value as the embedding table: a tied
    weight is one tensor and is counted once.

    ```mlir
    %logits = tt.lm_head %h weight(%w : tensor<32000x4096xbf16>)
                : tensor<?x?x4096xf32> -> tensor<?x?x32000xf32>
    ```
  }];
  let arguments = (ins TT_ActTensor:$input,
                       TT_WeightTensor:$weight,
                       Optional<TT_WeightTensor>:$bias,
                       OptionalAttr<F64Attr>:$softcap);
  let results = (outs TT_ActTensor:$logits);
  let assemblyFormat = [{
    $input (`softcap` `(` custom<Decimal>($softcap)^ `)`)?
    `weight` `(` $weight `:` type($weight) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    attr-dict `:` type($input) `->` type($logits)
  }];
  let extraClassDeclaration = [{
    /// Whether the weight is shared with a `tt.embedding` table.
    bool isTied();
  }];
}

def TT_UnsupportedOp : TT_Op<"unsupported", [Pure, AttrSizedOperandSegments,
    TT_Sublayer, DeclareOpInterfaceMethods<TT_CostOpInterface,
      ["getLayerKind", "getLayerClass", "describe", "isSupported"]>]> {
  let summary = "a layer tt cannot represent yet";
  let description = [{
    A layer of the source model that maps to no tt op (DeepSeek's
    multi-head latent attention, a Mamba mixer, ...). It keeps the layer's
    tensors so that nothing is dropped silently: parameter counts stay
    exact, and the import writes a gap report for the kind. Attributes in
    the dictionary record the source's configuration. FLOPs are estimated as
    one multiply-add per parameter per token; lowering rejects the op.

    ```mlir
    %y = tt.unsupported "multi_head_latent_attention" (%x : tensor<?x?x7168xf32>)
           weights(%a, %b : tensor<1536x7168xbf16>, tensor<1536xbf16>)
           {kv_lora_rank = 512 : i64} -> tensor<?x?x7168xf32>
    ```
  }];
  let arguments = (ins StrAttr:$kind,
                       Variadic<AnyRankedTensor>:$inputs,
                       Variadic<TT_WeightTensor>:$weights);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    $kind `(` ($inputs^ `:` type($inputs))? `)`
    `weights` `(` ($weights^ `:` type($weights))? `)`
    attr-dict `->` type($results)
  }];
  let hasVerifier = 1;
}

def TT_AddOp : TT_Op<"add", [Pure, Commutative, SameOperandsAndResultType]> {
  let summary = "residual addition";
  let description = [{
    Adds a sublayer's output to the residual stream.

    ```mlir
    %r = tt.add %x, %a : tensor<?x?x4096xf32>
    ```
  }];
  let arguments = (ins TT_ActTensor:$lhs, TT_ActTensor:$rhs);
  let results = (outs TT_ActTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def TT_LayerOp : TT_Op<"layer", [IsolatedFromAbove, RecursiveMemoryEffects,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "one decoder layer";
  let description = [{
    A decoder layer: a region that takes the residual stream and yields it
    updated. Layers are isolated from above (each holds its own weights), so
    passes can run on them independently and pipeline parallelism can cut
    between them. Layers of one function are numbered 0, 1, 2, ... in order;
    layers may differ from each other (e.g. every fourth layer with a
    sliding window).

    ```mlir
    %y = tt.layer 0 (%h = %x) : tensor<?x?x4096xf32> {
      ...
      tt.yield %r : tensor<?x?x4096xf32>
    }
    ```
  }];
  let arguments = (ins I64Attr:$index, TT_ActTensor:$input);
  let results = (outs TT_ActTensor:$result);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def TT_YieldOp : TT_Op<"yield", [Pure, Terminator, ReturnLike,
    HasParent<"LayerOp">]> {
  let summary = "yields the residual stream out of a tt.layer";
  let arguments = (ins TT_ActTensor:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

#endif // TT_DIALECT_TT_IR_TTOPS_TD
