//===- Passes.td - Passes of the tt dialect -----------------*- tablegen -*-===//

#ifndef TT_DIALECT_TT_TRANSFORMS_PASSES_TD
#define TT_DIALECT_TT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TTReport : Pass<"tt-report", "mlir::ModuleOp"> {
  let summary = "Print what the model is and what it costs, as JSON";
  let description = [{
    Prints one JSON object to stdout (seed 002's model-config schema)
    computed from `CostOpInterface` alone, so plugin layers are counted:

    - `model`, `hidden_size`, `num_layers`, `vocab_size`,
      `max_position_embeddings`;
    - `total_params` (a tied weight counted once), `total_params_formatted`
      (`6.74B`), `active_params` (per token; differs for MoE);
    - `weight_bytes` and `weight_bytes_by_dtype`;
    - `kv_cache_dtype` (from `tt.hardware`, default f16) and
      `kv_cache_bytes_per_token`;
    - `flops_per_token` and `bytes_per_token` for prefill at `seq-len` and
      decode at `context`;
    - `layer_types`: one entry per distinct layer (`name`, `class`, `count`,
      `supported`, `parameter_count` per instance, `specs`).

    With `expected-params=N` or `expected-layers=N` (numbers from a model
    card or paper) the JSON gains `validation`: `valid` and a list of
    `discrepancies`. A total parameter count more than 1% away from
    `expected-params`, or a layer count other than `expected-layers`, is a
    discrepancy; each names both numbers and the relative difference and is
    also emitted as a warning.

    The IR is not changed.

    ```
    $ tt-opt llama2-7b.mlir --tt-report -o /dev/null
    {"active_params":6738415616,...,"total_params":6738415616,
     "total_params_formatted":"6.74B",...}
    ```
  }];
  let options = [
    Option<"seqLen", "seq-len", "int64_t", /*default=*/"2048",
           "Prefill sequence length for the per-token cost">,
    Option<"context", "context", "int64_t", /*default=*/"2048",
           "Decode context length for the per-token cost">,
    Option<"pretty", "pretty", "bool", /*default=*/"false",
           "Indent the JSON">,
    Option<"expectedParams", "expected-params", "int64_t", /*default=*/"0",
           "Expected total parameter count (0: not checked); more than 1% "
           "off is a discrepancy">,
    Option<"expectedLayers", "expected-layers", "int64_t", /*default=*/"0",
           "Expected number of decoder layers (0: not checked)">
  ];
  let dependentDialects = ["::tt::TTDialect"];
}

#endif // TT_DIALECT_TT_TRANSFORMS_PASSES_TD
