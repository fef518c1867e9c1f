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

    With `hardware=NAME` (a profile in `data/hardware/`, or a path to a
    profile `.json`) the JSON gains `estimate`: per device weight,
    KV-cache and activation memory and whether they fit the profile's
    capacity (or `memory-budget=BYTES`); the pipeline stage split; per
    layer kind the roofline time `max(FLOPs / peak, bytes / bandwidth)` of
    a prefill of `batch` x `seq-len` tokens and of one decode step of
    `batch` tokens at `context`; prefill latency and decode tokens/s; and
    the bytes per token that tensor (all-reduce), pipeline (stage
    boundaries) and expert (MoE all-to-all) parallelism move, whose time
    over the interconnect is added. `tp=N pp=N` override `tt.hardware`;
    sizes that break its rules are rejected by the dialect verifier.
    `weight-dtype=int8` estimates the quantizable weights in another dtype.
    `fit=1` picks the smallest `tp` x `pp` (at most `max-devices`) that
    fits, then a smaller weight dtype the profile lists, and says why in
    `estimate.fit.reason`. `roofline-svg=FILE` writes a roofline plot.
    docs/Estimation.md gives the formulas.

    The IR is not changed.

    ```
    $ tt-opt llama2-7b.mlir --tt-report -o /dev/null
    {"active_params":6738415616,...,"total_params":6738415616,
     "total_params_formatted":"6.74B",...}
    $ tt-opt llama-3-8b.mlir --tt-report="hardware=h100-sxm batch=1" -o /dev/null
    {...,"estimate":{...,"decode":{...,"tokens_per_second":219.26...},...}}
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
           "Expected number of decoder layers (0: not checked)">,
    Option<"hardware", "hardware", "std::string", /*default=*/"\"\"",
           "Hardware profile for the estimate: a name in data/hardware "
           "(h100-sxm, ...) or a path to a profile .json">,
    Option<"batch", "batch", "int64_t", /*default=*/"1",
           "Batch size (sequences decoded together) for the estimate">,
    Option<"tp", "tp", "int64_t", /*default=*/"0",
           "Tensor-parallel size (0: from tt.hardware, else 1)">,
    Option<"pp", "pp", "int64_t", /*default=*/"0",
           "Pipeline-parallel size (0: from tt.hardware, else 1)">,
    Option<"memoryBudget", "memory-budget", "double", /*default=*/"0",
           "Memory per device in bytes for the fit check (0: the "
           "profile's capacity)">,
    Option<"fit", "fit", "bool", /*default=*/"false",
           "Pick the smallest tp x pp (then a smaller weight dtype) that "
           "fits the memory budget">,
    Option<"maxDevices", "max-devices", "int64_t", /*default=*/"0",
           "Most devices the fit search tries (0: the profile's "
           "max_devices)">,
    Option<"weightDtype", "weight-dtype", "std::string", /*default=*/"\"\"",
           "Estimate as if the quantizable weights were stored as f32, "
           "f16, bf16, fp8, int8 or int4 (default: their own types)">,
    Option<"rooflineSvg", "roofline-svg", "std::string", /*default=*/"\"\"",
           "Write an SVG roofline plot of the estimate to this file">
  ];
  let dependentDialects = ["::tt::TTDialect"];
}

#endif // TT_DIALECT_TT_TRANSFORMS_PASSES_TD
