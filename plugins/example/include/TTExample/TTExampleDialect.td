//===- TTExampleDialect.td - The ttx example dialect --------*- tablegen -*-===//
//
// An example of a layer plugin for tt: a dialect, loaded into tt-opt with
// --load-dialect-plugin, whose ops take part in tt's analyses (the report,
// later estimates) through tt's op interfaces alone.
//
//===----------------------------------------------------------------------===//

#ifndef TTEXAMPLE_TTEXAMPLEDIALECT_TD
#define TTEXAMPLE_TTEXAMPLEDIALECT_TD

include "mlir/IR/OpBase.td"

def TTX_Dialect : Dialect {
  let name = "ttx";
  let cppNamespace = "::ttx";
  let summary = "tt example: layers added to tt by a plugin";
  let description = [{
    The `ttx` ("tt example") dialect shows how to add a layer to tt without
    changing the core. Its ops read weights from `tt.weight`, carry tt's
    `Sublayer` trait where they sit on the residual stream, and implement
    `tt::CostOpInterface`, so `--tt-report` counts their parameters and
    FLOPs like those of the core layers.
  }];
  // Weights come from tt.weight, and layers sit in tt.layer regions.
  let dependentDialects = ["::tt::TTDialect"];
}

class TTX_Op<string mnemonic, list<Trait> traits = []>
    : Op<TTX_Dialect, mnemonic, traits>;

#endif // TTEXAMPLE_TTEXAMPLEDIALECT_TD
