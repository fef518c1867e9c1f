//===- ModelBuilder.h - Family-independent model description -----*- C++ -*-===//
//
// A ModelSpec describes a decoder-only transformer independently of where it
// came from (HF config.json + a data/families/*.json descriptor, later GGUF or
// a spec file). ModelBuilder turns a ModelSpec into tt IR.
//
//===----------------------------------------------------------------------===//
#ifndef TT_IMPORT_MODELBUILDER_H
#define TT_IMPORT_MODELBUILDER_H

#include "tt/Dialect/TT/IR/TTAttributes.h"
#include "tt/Dialect/TT/IR/TTDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringMap.h"
#include <optional>
#include <string>

namespace tt {

/// The tensors a weight source holds (a GGUF file, safetensors headers):
/// logical shape `[out, in]` and stored element type, by name.
struct StoredTensors {
  std::string source; ///< the file, for diagnostics
  llvm::StringMap<std::pair<llvm::SmallVector<int64_t>, mlir::Type>> tensors;
  /// The file holding each tensor (a safetensors shard), where known: the
  /// weight's location names it.
  llvm::StringMap<std::string> files;
};

struct ModelSpec {
  std::string name;       ///< symbol name of the function
  std::string sourceFile; ///< file the description came from (locations)
  mlir::Type dtype;       ///< element type of weights
  int64_t vocab = 0, hidden = 0, layers = 0, maxPositions = 0;

  // Norms.
  NormKind normKind = NormKind::rms;
  bool zeroCentered = false;
  double eps = 1e-5;
  /// Where each sublayer's norms sit: `preNorm` normalises the sublayer's
  /// input (Llama); `postNorm` normalises its output before the residual add
  /// (OLMo 2 has only post norms; Gemma 2 has both, "sandwich" norms).
  bool preNorm = true;
  bool postNorm = false;
  /// Attention and MLP read the same normalised input and both add into one
  /// residual (Falcon, GPT-J): x + attn(ln(x)) + mlp(ln(x)).
  bool parallelAttnMLP = false;
  /// With parallelAttnMLP: separate norms for the attention and MLP branch
  /// (Falcon's new_decoder_architecture: ln_attn, ln_mlp) instead of one.
  bool parallelTwoNorms = false;

  // Embedding.
  std::optional<double> embeddingScale;
  bool learnedPositions = false;
  bool tied = false;
  /// A norm on the embedding's output (`embed_norm`, BLOOM's
  /// word_embeddings_layernorm), of the model's norm kind.
  bool embeddingNorm = false;

  // Attention.
  enum class AttentionKind { Standard, MLA } attention = AttentionKind::Standard;
  int64_t heads = 0, kvHeads = 0, headDim = 0; ///< headDim 0: hidden / heads
  std::optional<int64_t> slidingWindow;
  bool attentionBias = false;
  bool qkNorm = false;
  /// With qkNorm: the norms span the whole Q and K projections
  /// (`[heads*head_dim]`, `[kv_heads*head_dim]`, OLMo 2) instead of one head.
  bool qkNormWhole = false;
  RopeAttr rope; ///< null: no rotary embedding
  /// ALiBi position bias instead of rotary (BLOOM, MPT), with its maximum
  /// bias (8 unless MPT's alibi_bias_max says otherwise).
  bool alibi = false;
  double alibiMaxBias = 8.0;
  bool fusedQKV = false;
  /// With fusedQKV: the fused rows are interleaved per KV group (each group
  /// holds its heads/kv_heads query heads, then one K and one V head; Falcon's
  /// new_decoder_architecture). 0: plain [Q; K; V] rows.
  int64_t fusedQKVGroups = 0;
  /// `softcap * tanh(scores / softcap)` on attention logits (Gemma 2).
  std::optional<double> attnSoftcap;
  /// Overrides 1/sqrt(head_dim) (Gemma 2's query_pre_attn_scalar^-0.5).
  std::optional<double> attnScale;
  // MLA (DeepSeek-V2/V3) dimensions.
  int64_t qLoraRank = 0, kvLoraRank = 0, qkNopeHeadDim = 0, qkRopeHeadDim = 0,
          vHeadDim = 0;

  // MLP.
  bool gatedMLP = true;
  bool fusedGateUp = false;
  bool mlpBias = false;
  bool transposed = false; ///< weights stored [in, out] (Conv1D)
  Activation activation = Activation::silu;
  int64_t intermediate = 0;

  // MoE.
  int64_t numExperts = 0, topK = 0, moeIntermediate = 0, sharedExperts = 0;
  int64_t firstDenseLayers = 0; ///< layers [0, n) use the dense MLP
  RouterNorm routerNorm = RouterNorm::softmax_renorm;
  int64_t sharedExpertIntermediate = 0; ///< 0: moeIntermediate * sharedExperts
  bool sharedExpertGate = false;        ///< sigmoid gate on shared experts (Qwen2-MoE)

  /// Softcapping of the final logits (Gemma 2's final_logit_softcapping).
  std::optional<double> finalSoftcap;

  /// Per-layer overrides of the uniform fields above (seed 001's
  /// per-layer overrides): empty, or one entry per layer. An unset field
  /// keeps the uniform value.
  struct LayerOverride {
    /// Some(0): full attention in this layer; Some(n): window of n.
    std::optional<int64_t> slidingWindow;
    std::optional<bool> moe;              ///< MoE (true) or dense MLP (false)
    std::optional<int64_t> intermediate;  ///< dense MLP width
    std::optional<double> ropeTheta;      ///< rotary base of this layer
    /// false: this layer's rotary embedding is unscaled although the model's
    /// has rope scaling (Gemma 3's local layers).
    std::optional<bool> ropeScaling;
  };
  llvm::SmallVector<LayerOverride> layerOverrides;

  /// Where a field's value came from (a config key's file:line:col), by
  /// field name ("heads", "intermediate", "sliding_window", ...); the ops
  /// the field shapes carry it as their location. Absent: the source file.
  llvm::StringMap<mlir::LocationAttr> fieldLocs;
  /// Per layer: where that layer's overrides came from (e.g. its entry in
  /// HF's `layer_types`); empty or one per layer.
  llvm::SmallVector<mlir::LocationAttr> layerOverrideLocs;

  /// Tensor-name patterns by role ("q", "attn_norm", "expert_up", ...);
  /// `{layer}` is replaced by the layer index, `{e}` stays (stacked experts).
  llvm::StringMap<std::string> tensors;

  /// When set, every weight must be one of these tensors, with the shape the
  /// spec gives, and takes its stored element type; a stored tensor that no
  /// weight uses is an error too.
  const StoredTensors *stored = nullptr;

  int64_t getHeadDim() const { return headDim ? headDim : hidden / heads; }
  bool isMoELayer(int64_t l) const {
    if (l < (int64_t)layerOverrides.size() && layerOverrides[l].moe)
      return *layerOverrides[l].moe;
    return numExperts > 0 && l >= firstDenseLayers;
  }
  std::optional<int64_t> getSlidingWindow(int64_t l) const {
    if (l < (int64_t)layerOverrides.size() && layerOverrides[l].slidingWindow)
      return *layerOverrides[l].slidingWindow
                 ? std::optional<int64_t>(*layerOverrides[l].slidingWindow)
                 : std::nullopt;
    return slidingWindow;
  }
  std::optional<double> getRopeTheta(int64_t l) const {
    if (l < (int64_t)layerOverrides.size())
      return layerOverrides[l].ropeTheta;
    return std::nullopt;
  }
  bool isRopeScaled(int64_t l) const {
    if (l < (int64_t)layerOverrides.size() && layerOverrides[l].ropeScaling)
      return *layerOverrides[l].ropeScaling;
    return true;
  }
  int64_t getIntermediate(int64_t l) const {
    if (l < (int64_t)layerOverrides.size() && layerOverrides[l].intermediate)
      return *layerOverrides[l].intermediate;
    return intermediate;
  }
};

/// Builds a module holding one func.func for `spec`. Emits errors at the
/// spec's source location and returns null on failure (e.g. a missing tensor
/// pattern).
mlir::OwningOpRef<mlir::ModuleOp> buildModel(mlir::MLIRContext &ctx,
                                             const ModelSpec &spec);

} // namespace tt

#endif // TT_IMPORT_MODELBUILDER_H
