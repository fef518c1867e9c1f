//===- TTAttrs.td - Attributes of the tt dialect ------------*- tablegen -*-===//

#ifndef TT_DIALECT_TT_IR_TTATTRS_TD
#define TT_DIALECT_TT_IR_TTATTRS_TD

include "tt/Dialect/TT/IR/TTDialect.td"
include "tt/Dialect/TT/IR/TTEnums.td"
include "mlir/IR/AttrTypeBase.td"

// A double printed in its shortest round-tripping form (`10000.0`, `1e-05`).
class TT_F64Param<string value = ""> : AttrOrTypeParameter<"::llvm::APFloat", ""> {
  let parser = "::tt::parseAPFloat($_parser)";
  let printer = "::tt::printF64($_printer, $_self.convertToDouble())";
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
  let defaultValue = !if(!eq(value, ""), "", "::llvm::APFloat(" # value # ")");
}
// A boolean spelled `true` / `false`.
class TT_BoolParam<string value> : AttrOrTypeParameter<"bool", ""> {
  let parser = "::tt::parseBool($_parser)";
  let printer = "$_printer << ($_self ? \"true\" : \"false\")";
  let defaultValue = value;
}

class TT_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<TT_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def TT_RopeAttr : TT_Attr<"Rope", "rope"> {
  let summary = "rotary position embedding";
  let description = [{
    Rotary position embedding with base `theta`, applied to the first
    `partial * head_dim` dimensions of each head (Phi, GPT-NeoX and StableLM
    rotate a fraction; most models rotate all). Dimension i is rotated with
    dimension i + rotary_dims/2 (HuggingFace's rotate-half, GPT-NeoX style),
    or, with `interleaved = true`, with its neighbour 2j <-> 2j+1 (GPT-J,
    llama.cpp's GGUF llama layout, whose Q/K rows are permuted to match). `scaling` selects the context
    extension scheme, with the HuggingFace `rope_scaling` parameters:

    - `linear`: positions divided by `factor`;
    - `dynamic`: NTK-aware base rescaling by `factor` beyond
      `original_max_position`;
    - `yarn`: YaRN with `factor`, `original_max_position`, `beta_fast`,
      `beta_slow` and optional `attention_factor` (0: derived);
    - `llama3`: Llama 3.1 frequency-band scaling with `factor`,
      `low_freq_factor`, `high_freq_factor`, `original_max_position`.

    ```mlir
    #tt.rope<theta = 500000.0, scaling = llama3, factor = 8.0,
             original_max_position = 8192, low_freq_factor = 1.0,
             high_freq_factor = 4.0>
    ```
  }];
  let parameters = (ins
    TT_F64Param<>:$theta,
    TT_F64Param<"1.0">:$partial,
    DefaultValuedParameter<"::tt::RopeScaling", "::tt::RopeScaling::none">:$scaling,
    TT_F64Param<"1.0">:$factor,
    DefaultValuedParameter<"int64_t", "0">:$original_max_position,
    TT_F64Param<"1.0">:$low_freq_factor,
    TT_F64Param<"4.0">:$high_freq_factor,
    TT_F64Param<"32.0">:$beta_fast,
    TT_F64Param<"1.0">:$beta_slow,
    TT_F64Param<"0.0">:$attention_factor,
    TT_BoolParam<"false">:$interleaved
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of rotated dimensions of a head of size `headDim`.
    int64_t getRotaryDims(int64_t headDim) const;
  }];
}

def TT_HardwareAttr : TT_Attr<"Hardware", "hardware"> {
  let summary = "hardware configuration (seed 001's HardwareConfig)";
  let description = [{
    Where and how the model runs, separate from what the model is. Attached
    to the module as `tt.hardware`; the dialect verifies it against the
    model (parallel sizes must divide the sharded dimensions, the pipeline
    must not have more stages than layers).

    - `device`: device type (`cpu`, `h100`, `wormhole_b0`, ...);
    - `tensor_parallel`, `pipeline_parallel`: parallel sizes (default 1);
    - `weight_dtype`: storage type of weights (a float type or
      `!tt.quant<...>`); `quantize_weights`, `quantize_activations`;
    - `kv_cache_dtype`: one of `f32`, `f16`, `bf16`, `i8`, `f8E4M3FN`,
      `f8E5M2`;
    - `flash_attention`, `fused_kernels`, `activation_checkpointing`,
      `optimize_for_inference`: switches.

    ```mlir
    module attributes {tt.hardware = #tt.hardware<device = "h100",
        tensor_parallel = 2, weight_dtype = bf16, kv_cache_dtype = f16>} {}
    ```
  }];
  let parameters = (ins
    StringRefParameter<"device type", "\"cpu\"">:$device,
    DefaultValuedParameter<"int64_t", "1">:$tensor_parallel,
    DefaultValuedParameter<"int64_t", "1">:$pipeline_parallel,
    OptionalParameter<"::mlir::Type">:$weight_dtype,
    TT_BoolParam<"false">:$quantize_weights,
    TT_BoolParam<"false">:$quantize_activations,
    OptionalParameter<"::mlir::Type">:$kv_cache_dtype,
    TT_BoolParam<"true">:$flash_attention,
    TT_BoolParam<"true">:$fused_kernels,
    TT_BoolParam<"false">:$activation_checkpointing,
    TT_BoolParam<"true">:$optimize_for_inference
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // TT_DIALECT_TT_IR_TTATTRS_TD
