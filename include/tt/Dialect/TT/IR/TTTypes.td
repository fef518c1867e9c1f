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

    The group-wise integer formats `int8` and `int4` (written by
    `tt-quantize`) carry their group size, a power of two from 32 to 4096,
    and whether they are asymmetric (a scale and a minimum per group) rather
    than symmetric (a scale only):
    `!tt.quant<int4, group = 128>`, `!tt.quant<int8, group = 32, asym>`.
    `mxint8` (OCP MX, 32 elements with a shared E8M0 scale) and `fp8_e4m3`
    (32 E4M3 elements with an f16 scale) take no parameters. The block
    layouts are in docs/Quantization.md.
  }];
  let parameters = (ins EnumParameter<TT_QuantKind>:$kind,
                        DefaultValuedParameter<"int64_t", "0">:$group,
                        DefaultValuedParameter<"bool", "false">:$asym);
  let builders = [
    TypeBuilder<(ins "QuantKind":$kind), [{
      return $_get($_ctxt, kind, 0, false);
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Logical weights per block.
    int64_t getBlockSize() const;
    /// Bytes of one stored block.
    int64_t getBlockBytes() const;
    /// Whether the kind is one of the group-wise integer formats (int8,
    /// int4), the only ones with a group size and symmetry.
    static bool isGroupWise(QuantKind kind) {
      return kind == QuantKind::int8 || kind == QuantKind::int4;
    }
    /// The runtime's name of the format (tt::rt::typeName): the kind, with
    /// `_g<group>` and `_asym` for the group-wise integers ("int4_g128").
    std::string getFormatName() const;
  }];
}

#endif // TT_DIALECT_TT_IR_TTTYPES_TD
