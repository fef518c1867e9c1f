//===- TTDialect.td - The tt dialect ------------------------*- tablegen -*-===//
//
// The tt dialect describes a transformer at the level of the layers a person
// would name (seed 001's ModelSpec): embedding, norms, attention, MLP, MoE and
// lm_head, with weights entering through `tt.weight` ops that name tensors in
// an external weight source.
//
//===----------------------------------------------------------------------===//

#ifndef TT_DIALECT_TT_IR_TTDIALECT_TD
#define TT_DIALECT_TT_IR_TTDIALECT_TD

include "mlir/IR/OpBase.td"

def TT_Dialect : Dialect {
  let name = "tt";
  let cppNamespace = "::tt";
  let summary = "Layer-level IR for transformer models";
  let description = [{
    The `tt` dialect is the spine of the tt compiler. Its ops are the layers
    of a transformer specification: `tt.embedding`, `tt.norm`,
    `tt.attention`, `tt.mlp`, `tt.moe`, `tt.lm_head`, joined by residual
    `tt.add`s and grouped into `tt.layer` regions, one per decoder layer.

    Activations are tensors whose last dimension is the hidden size; leading
    dimensions (batch, sequence) are free. Weights enter through `tt.weight`,
    which names a tensor in the model's weight source (safetensors, GGUF) and
    gives its logical shape and element type; the IR never holds weight data.
    Weight matrices use the `[out_features, in_features]` convention of
    `torch.nn.Linear`.

    The hardware configuration (seed 001's `HardwareConfig`) is the
    `#tt.hardware<...>` attribute attached to the module as `tt.hardware`.
    The dialect verifies it against every layer of the model.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The name of the module attribute holding the hardware configuration.
    static constexpr ::llvm::StringLiteral getHardwareAttrName() {
      return ::llvm::StringLiteral("tt.hardware");
    }
    /// The name of the function attribute holding the model's maximum
    /// sequence length (HF `max_position_embeddings`).
    static constexpr ::llvm::StringLiteral getMaxPositionsAttrName() {
      return ::llvm::StringLiteral("tt.max_position_embeddings");
    }
    /// Pipeline stage of an op (tt-pipeline-parallel), an index into the
    /// `@tt_pp` grid.
    static constexpr ::llvm::StringLiteral getStageAttrName() {
      return ::llvm::StringLiteral("tt.stage");
    }
    /// On a vocab-parallel tt.embedding: the rows each device of `@tt_tp`
    /// holds; device r owns token ids [r * n, (r + 1) * n).
    static constexpr ::llvm::StringLiteral getVocabPerDeviceAttrName() {
      return ::llvm::StringLiteral("tt.vocab_per_device");
    }
    /// On an expert-parallel tt.moe: the experts each device of `@tt_tp`
    /// holds; device r owns experts [r * n, (r + 1) * n).
    static constexpr ::llvm::StringLiteral getExpertsPerDeviceAttrName() {
      return ::llvm::StringLiteral("tt.experts_per_device");
    }
    /// Symbol names of the grids the parallel passes add.
    static constexpr ::llvm::StringLiteral getTensorParallelGridName() {
      return ::llvm::StringLiteral("tt_tp");
    }
    static constexpr ::llvm::StringLiteral getPipelineParallelGridName() {
      return ::llvm::StringLiteral("tt_pp");
    }

  private:
    void registerAttributes();
    void registerTypes();
  public:
  }];
}

class TT_Op<string mnemonic, list<Trait> traits = []>
    : Op<TT_Dialect, mnemonic, traits>;

#endif // TT_DIALECT_TT_IR_TTDIALECT_TD
