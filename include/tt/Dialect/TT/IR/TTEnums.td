//===- TTEnums.td - Enumerations of the tt dialect ----------*- tablegen -*-===//

#ifndef TT_DIALECT_TT_IR_TTENUMS_TD
#define TT_DIALECT_TT_IR_TTENUMS_TD

include "tt/Dialect/TT/IR/TTDialect.td"
include "mlir/IR/EnumAttr.td"

def TT_Activation : I32EnumAttr<"Activation", "MLP activation function", [
    I32EnumAttrCase<"silu", 0>,
    I32EnumAttrCase<"gelu", 1>,
    I32EnumAttrCase<"gelu_tanh", 2>,
    I32EnumAttrCase<"relu", 3>,
    I32EnumAttrCase<"swish", 4>
  ]> {
  let cppNamespace = "::tt";
}

def TT_NormKind : I32EnumAttr<"NormKind", "normalisation kind", [
    I32EnumAttrCase<"rms", 0>,
    I32EnumAttrCase<"layer", 1>
  ]> {
  let cppNamespace = "::tt";
}

def TT_NormPlacement : I32EnumAttr<"NormPlacement",
    "where a norm sits relative to the sublayer it serves", [
    I32EnumAttrCase<"pre", 0>,
    I32EnumAttrCase<"post", 1>,
    I32EnumAttrCase<"final", 2>,
    I32EnumAttrCase<"embedding", 3>
  ]> {
  let cppNamespace = "::tt";
}

def TT_RopeScaling : I32EnumAttr<"RopeScaling", "rotary scaling variant", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"linear", 1>,
    I32EnumAttrCase<"dynamic", 2>,
    I32EnumAttrCase<"yarn", 3>,
    I32EnumAttrCase<"llama3", 4>
  ]> {
  let cppNamespace = "::tt";
  let genSpecializedAttr = 0;
}

def TT_RouterNorm : I32EnumAttr<"RouterNorm",
    "how MoE router scores become expert weights", [
    // softmax over all experts; the top-k probabilities are used as they are.
    I32EnumAttrCase<"softmax", 0>,
    // softmax over all experts, top-k, renormalised to sum to one (Mixtral).
    I32EnumAttrCase<"softmax_renorm", 1>,
    // sigmoid scores; the top-k scores are used as they are.
    I32EnumAttrCase<"sigmoid", 2>,
    // sigmoid scores, top-k, renormalised to sum to one (DeepSeek-V3).
    I32EnumAttrCase<"sigmoid_renorm", 3>
  ]> {
  let cppNamespace = "::tt";
}

// Block-quantised storage formats. The ggml formats (q4_0 .. mxfp4) have
// GGUF's block layout; the names are ggml's.
def TT_QuantKind : I32EnumAttr<"QuantKind", "block quantisation format", [
    I32EnumAttrCase<"q4_0", 0>, I32EnumAttrCase<"q4_1", 1>,
    I32EnumAttrCase<"q5_0", 2>, I32EnumAttrCase<"q5_1", 3>,
    I32EnumAttrCase<"q8_0", 4>, I32EnumAttrCase<"q8_1", 5>,
    I32EnumAttrCase<"q2_k", 6>, I32EnumAttrCase<"q3_k", 7>,
    I32EnumAttrCase<"q4_k", 8>, I32EnumAttrCase<"q5_k", 9>,
    I32EnumAttrCase<"q6_k", 10>, I32EnumAttrCase<"q8_k", 11>,
    I32EnumAttrCase<"iq2_xxs", 12>, I32EnumAttrCase<"iq2_xs", 13>,
    I32EnumAttrCase<"iq3_xxs", 14>, I32EnumAttrCase<"iq1_s", 15>,
    I32EnumAttrCase<"iq4_nl", 16>, I32EnumAttrCase<"iq3_s", 17>,
    I32EnumAttrCase<"iq2_s", 18>, I32EnumAttrCase<"iq4_xs", 19>,
    I32EnumAttrCase<"iq1_m", 20>, I32EnumAttrCase<"tq1_0", 21>,
    I32EnumAttrCase<"tq2_0", 22>, I32EnumAttrCase<"mxfp4", 23>,
    // tt's own formats (tt-quantize, docs/Quantization.md): group-wise
    // integers with a group size and symmetry (QuantType's parameters), OCP
    // MXINT8, and FP8 E4M3 with an f16 scale per block of 32.
    I32EnumAttrCase<"int8", 24>, I32EnumAttrCase<"int4", 25>,
    I32EnumAttrCase<"mxint8", 26>, I32EnumAttrCase<"fp8_e4m3", 27>
  ]> {
  let cppNamespace = "::tt";
  let genSpecializedAttr = 0;
}

#endif // TT_DIALECT_TT_IR_TTENUMS_TD
