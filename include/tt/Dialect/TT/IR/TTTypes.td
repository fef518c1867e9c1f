//===- TTTypes.td - Types of the tt dialect -----------------*- tablegen -*-===//

#ifndef TT_DIALECT_TT_IR_TTTYPES_TD
#define TT_DIALECT_TT_IR_TTTYPES_TD

include "tt/Dialect/TT/IR/TTDialect.td"
include "tt/Dialect/TT/IR/TTEnums.td"
include "mlir/IR/AttrTypeBase.td"

def TT_QuantType : TypeDef<TT_Dialect, "Quant"> {
  let mnemonic = "quant";
  let summary = "element type of a block-quantised weight";
  let description = [{
    The element type of a weight stored in a block-quantised format, such as
    GGUF's `q4_0`, `q8_0` and K-quants. A `tensor<4096x4096x!tt.quant<q4_k>>`
    holds 4096x4096 logical weights; blocks run along the last dimension,
    which must be a multiple of the block size.
  }];
  let parameters = (ins EnumParameter<TT_QuantKind>:$kind);
  let assemblyFormat = "`<` $kind `>`";
  let extraClassDeclaration = [{
    /// Logical weights per block.
    int64_t getBlockSize() const;
    /// Bytes of one stored block.
    int64_t getBlockBytes() const;
  }];
}

#endif // TT_DIALECT_TT_IR_TTTYPES_TD
