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

def TTApplyHardware : Pass<"tt-apply-hardware", "mlir::ModuleOp"> {
  let summary = "Apply a hardware configuration: run every hardware pass in order";
  let description = [{
    Seed 001's HardwareConfig applied to the model in one step. The
    configuration is the module's `tt.hardware` attribute or, with
    `file=FILE.yaml` (`tt-opt --tt-hardware=FILE.yaml` for short), a YAML
    file whose keys are the attribute's parameters, which then replaces the
    attribute:

    ```yaml
    device: cpu
    tensor_parallel: 2        # tt-tensor-parallel{tp=2}
    pipeline_parallel: 1      # tt-pipeline-parallel when > 1
    weight_dtype: q8_0        # tt-quantize{format=q8_0}: f32, f16, bf16,
                              # i8, i4, f8E4M3FN or a !tt.quant kind
    kv_cache_dtype: f16       # tt-kv-cache{dtype=f16}
    fused_kernels: true       # tt-fuse
    quantize:                 # extra options of a pass, by its section:
      exclude: lm_head        # quantize, kv_cache, fuse, tensor_parallel,
                              # pipeline_parallel
    ```

    The passes run in the order that keeps each one's view of the IR
    simple: tensor parallelism (weights become per-device pieces), pipeline
    parallelism (stages), quantization (block checks see the per-device
    shapes), KV-cache dtype, fusion. `print-pipeline=1` prints the pipeline
    to stderr. Errors in the file name it with line and column.

    ```
    $ tt-opt model.mlir --tt-hardware=h100x2.yaml
    ```
    Before: `module { func.func @m ... }`; after: `module attributes
    {tt.hardware = #tt.hardware<device = "h100", tensor_parallel = 2, ...>}`
    with the IR each pass produces.
  }];
  let options = [
    Option<"file", "file", "std::string", /*default=*/"\"\"",
           "Hardware configuration YAML (default: the module's tt.hardware)">,
    Option<"printPipeline", "print-pipeline", "bool", /*default=*/"false",
           "Print the derived pass pipeline to stderr">
  ];
  let dependentDialects = ["::tt::TTDialect"];
}

def TTTensorParallel : Pass<"tt-tensor-parallel", "mlir::ModuleOp"> {
  let summary = "Split the model Megatron-style over a tensor-parallel group";
  let description = [{
    Rewrites the module into what ONE device of a tensor-parallel group of
    `tp` devices runs, with the collectives explicit as MLIR `shard` ops on
    a new `shard.grid @tt_tp(shape = tp)`. Written against
    `ShardingOpInterface`: each weight operand's `ShardKind` says how it
    splits (a plugin op implementing the interface is split the same way,
    and gets an all-reduce after its result when `needsAllReduce`):

    - `column` (Q/K/V, MLP gate/up and their biases): dimension 0;
      `row` (attention O, MLP down): dimension 1, then
      `shard.all_reduce` (sum) of the op's result;
    - attention heads: `heads(H/tp)`, `kv_heads(max(KV/tp, 1))` and an
      explicit `head_dim`; with `tp > kv_heads` each KV head is replicated
      on `tp / kv_heads` devices (`shard_parts = kv_heads < tp`);
    - `vocab`: the embedding table and lm_head are split along the
      vocabulary. The embedding gets `tt.vocab_per_device = V/tp` (device
      `r` owns ids `[r*V/tp, (r+1)*V/tp)` and yields zero rows for the
      others) and an all-reduce; the lm_head yields `V/tp` logits and a
      `shard.all_gather` on the last axis restores `V`;
    - `expert` (MoE): whole experts per device, `tt.experts_per_device =
      E/tp`; the router is replicated and routes over all `E` experts.
      The combine is the all-reduce of the partial expert sums, not an
      all-to-all: Megatron TP keeps every token on every device, so there
      is nothing to dispatch. Shared experts are column/row split;
    - `partial` (row-split biases, learned positions): kept whole, marked
      `partial` (device 0 adds it, the others add zeros);
    - `replicated` (norms, router): unchanged.

    Every split `tt.weight` gets `shard_dim` / `shard_parts` (of the STORED
    tensor: a `transposed` weight's dimension is swapped) and its
    per-device type. A size that does not divide (heads, KV heads,
    intermediate, vocab, experts) is an error at the op naming both
    numbers. `tp=1` leaves the module unchanged; `tp=0` takes
    `tensor_parallel` from `tt.hardware`.

    Before (tp=2):
    ```mlir
    %wo = tt.weight "o" : tensor<64x64xf32>
    %a = tt.attention %n heads(4) kv_heads(2) q(%wq : tensor<64x64xf32>)
           k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>)
           o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
    %r = tt.add %h, %a : tensor<?x?x64xf32>
    ```
    After:
    ```mlir
    shard.grid @tt_tp(shape = 2)
    ...
    %wo = tt.weight "o" {shard_dim = 1 : i64, shard_parts = 2 : i64}
            : tensor<64x32xf32>
    %a = tt.attention %n heads(2) kv_heads(1) head_dim(16)
           q(%wq : tensor<32x64xf32>) k(%wk : tensor<16x64xf32>)
           v(%wv : tensor<16x64xf32>) o(%wo : tensor<64x32xf32>)
           : tensor<?x?x64xf32>
    %s = shard.all_reduce %a on @tt_tp grid_axes = [0]
           : tensor<?x?x64xf32> -> tensor<?x?x64xf32>
    %r = tt.add %h, %s : tensor<?x?x64xf32>
    ```
    docs/Parallelism.md has the whole scheme.
  }];
  let options = [
    Option<"tp", "tp", "int64_t", /*default=*/"0",
           "Tensor-parallel size (0: tensor_parallel from tt.hardware, "
           "else 1)">
  ];
  let dependentDialects = ["::tt::TTDialect", "::mlir::shard::ShardDialect"];
}

def TTPipelineParallel : Pass<"tt-pipeline-parallel", "mlir::ModuleOp"> {
  let summary = "Cut the model into pipeline stages with explicit send/recv";
  let description = [{
    Splits each model function's `tt.layer`s into `pp` contiguous stages on
    a new `shard.grid @tt_pp(shape = pp)`: the ops before the first layer
    (embedding) go to stage 0, the ops after the last layer (final norm,
    lm_head, return) to the last stage. Every op of the function, nested
    ones included, gets `tt.stage = k : i64`. Where the residual stream
    leaves stage `k` it goes through `shard.send ... destination = [k+1]`
    (stage k) and `shard.recv ... source = [k]` (stage k+1); the recv takes
    the send's result as its (shape-only) operand so the pair stays
    together and ordered. A `tt.weight` used on two stages (a tied
    embedding/lm_head) is cloned, one per stage.

    Stages are balanced with `CostOpInterface`: a layer's load is the sum
    of `getBytesPerToken` of its ops at decode with `context` positions,
    and contiguous layers are grouped to minimise the largest stage's load
    (the embedding's and lm_head's loads count on the first and last
    stage). Bytes, not FLOPs: at decode, the phase a pipeline serves
    token by token, every layer is memory-bound, so a stage's step time is
    its bytes read; balancing bytes balances time (and weight memory).

    More stages than layers is an error. `pp=1` leaves the module
    unchanged; `pp=0` takes `pipeline_parallel` from `tt.hardware`.

    Before (pp=2, two layers):
    ```mlir
    %x0 = tt.embedding %tokens table(%emb : tensor<256x64xf32>) ...
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> { ... }
    %x2 = tt.layer 1 (%h = %x1) : tensor<?x?x64xf32> { ... }
    %logits = tt.lm_head %n weight(%head : tensor<256x64xf32>) ...
    ```
    After:
    ```mlir
    shard.grid @tt_pp(shape = 2)
    %x0 = tt.embedding ... {tt.stage = 0 : i64} ...
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> attributes {tt.stage = 0 : i64} { ... }
    %s = shard.send %x1 on @tt_pp grid_axes = [0] destination = [1]
           {tt.stage = 0 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
    %r = shard.recv %s on @tt_pp grid_axes = [0] source = [0]
           {tt.stage = 1 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
    %x2 = tt.layer 1 (%h = %r) : tensor<?x?x64xf32> attributes {tt.stage = 1 : i64} { ... }
    %logits = tt.lm_head ... {tt.stage = 1 : i64} ...
    ```
  }];
  let options = [
    Option<"pp", "pp", "int64_t", /*default=*/"0",
           "Pipeline-parallel size (0: pipeline_parallel from tt.hardware, "
           "else 1)">,
    Option<"context", "context", "int64_t", /*default=*/"2048",
           "Decode context (KV-cache positions) at which layer loads are "
           "measured for balancing">
  ];
  let dependentDialects = ["::tt::TTDialect", "::mlir::shard::ShardDialect"];
}

def TTKVCache : Pass<"tt-kv-cache", "mlir::ModuleOp"> {
  let summary = "Choose the KV-cache element type (f32, f16, bf16, i8, fp8)";
  let description = [{
    Records the element type the KV cache is stored in, in the two places
    that read it: the module's `tt.hardware` `kv_cache_dtype` (created as
    `#tt.hardware<>` with defaults when absent), which `--tt-report` uses
    for KV-cache bytes, and `tt.kv_cache_dtype` on every op with a KV cache
    (`CostOpInterface::getKVCacheBytesPerToken` > 0; the core's
    `tt.attention`), which the CPU lowering and `tt::describeModel` read,
    so that tt-run allocates and the compiled code writes and reads each
    layer's cache in that type. The type is uniform over the layers, as the
    report assumes.

    `dtype` is `f32`, `f16`, `bf16`, `i8`, `f8E4M3FN` or `f8E5M2`; empty
    takes `kv_cache_dtype` from `tt.hardware` (an error when that is absent
    too). On the CPU path (RuntimeABI.h, "Typed KV cache"): f16/bf16 round
    to nearest even; `i8` keeps one f32 scale per position per KV head
    (max |x| / 127) beside the int8 values; fp8 stores the values with no
    scale, saturating (E4M3FN at +-448). Attention converts each cached
    row back to f32 as it reads it. Without this pass (and without
    `kv_cache_dtype`) the CPU cache is f32.

    Before:
    ```mlir
    module {
      ... %a = tt.attention %n heads(4) kv_heads(2) ... : tensor<?x?x64xf32>
    }
    ```
    After `tt-kv-cache{dtype=i8}`:
    ```mlir
    module attributes {tt.hardware = #tt.hardware<kv_cache_dtype = i8>} {
      ... %a = tt.attention %n heads(4) kv_heads(2) ...
             {tt.kv_cache_dtype = i8} : tensor<?x?x64xf32>
    }
    ```
  }];
  let options = [
    Option<"dtype", "dtype", "std::string", /*default=*/"\"\"",
           "KV-cache element type: f32, f16, bf16, i8, f8E4M3FN or f8E5M2 "
           "(empty: tt.hardware's kv_cache_dtype)">
  ];
  let dependentDialects = ["::tt::TTDialect"];
}

def TTFuse : Pass<"tt-fuse", "mlir::ModuleOp"> {
  let summary = "Fuse projections, norms, residual adds and RoPE for the CPU path";
  let description = [{
    Marks what the CPU lowering computes together; the ops stay, so the
    report and the other passes see the same model, and each fusion is an
    attribute the lowering turns into fewer, larger runtime calls
    (docs/Fusion.md measures them). Each one has an option (all on by
    default):

    - `qkv`: `tt.attention`'s Q, K and V projections become ONE
      `ttrt_matmul_fused` call: the activation is read (and for integer
      weight formats quantised) once and the three products run in one
      parallel region over their rows. Row ranges of one stored tensor
      (Phi-3's `qkv_proj[a:b]`) work the same way.
    - `gate-up`: likewise `tt.mlp`'s gate and up projections.
    - `norm`: a `tt.norm` whose only user is a fused attention or MLP is
      computed inside that call (normalised once, then quantised) instead
      of by its own linalg code. The norm gets `tt.fused`.
    - `residual`: `tt.add %h, %s`, where `%s` is a sublayer's result used
      only there and `%h` is defined before that sublayer, is folded into
      the sublayer's last projection (O or down), which writes
      `x W^T + b + h`. The add gets `tt.fused`.
    - `rope`: the rotary embedding of Q and K is applied inside the
      attention call (`ttrt_attention_kv`), which also appends K and V to
      the cache, instead of by cos/sin tables and two linalg ops (q/k
      norms, when present, still run before it). Only for rope scalings
      whose frequencies are fixed at compile time and whose cos/sin are
      unscaled (none, linear, llama3; not dynamic NTK or YaRN).

    Results equal the unfused ones up to float reassociation (the same dot
    kernels and the same norm and rotary arithmetic run; see Fusion.md for
    the measured bound). Only the core `tt.attention` / `tt.mlp` (whose
    CPU lowering has the fused forms) absorb fusions; the residual rule
    uses the `Sublayer` trait, so a plugin sublayer's add is left alone
    only because its lowering is not the core's.

    Before:
    ```mlir
    %n = tt.norm rms pre %h eps(1.0e-05) weight(%w : tensor<64xf32>) : tensor<?x?x64xf32>
    %a = tt.attention %n heads(4) kv_heads(2) rope<theta = 10000.0> q(...) k(...) v(...) o(...) : tensor<?x?x64xf32>
    %r = tt.add %h, %a : tensor<?x?x64xf32>
    ```
    After `tt-fuse`:
    ```mlir
    %n = tt.norm rms pre %h eps(1.0e-05) weight(%w : tensor<64xf32>) {tt.fused} : tensor<?x?x64xf32>
    %a = tt.attention %n heads(4) kv_heads(2) rope<theta = 10000.0> q(...) k(...) v(...) o(...)
           {tt.fuse = ["norm", "qkv", "rope", "residual"]} : tensor<?x?x64xf32>
    %r = tt.add %h, %a {tt.fused} : tensor<?x?x64xf32>
    ```
  }];
  let options = [
    Option<"qkv", "qkv", "bool", /*default=*/"true",
           "One call for the Q, K and V projections">,
    Option<"gateUp", "gate-up", "bool", /*default=*/"true",
           "One call for the MLP's gate and up projections">,
    Option<"norm", "norm", "bool", /*default=*/"true",
           "Compute a pre-norm inside the fused projection call it feeds">,
    Option<"residual", "residual", "bool", /*default=*/"true",
           "Fold the residual add into the sublayer's last projection">,
    Option<"rope", "rope", "bool", /*default=*/"true",
           "Apply RoPE inside the attention call">
  ];
  let dependentDialects = ["::tt::TTDialect"];
}

def TTQuantize : Pass<"tt-quantize", "mlir::ModuleOp"> {
  let summary = "Store the weight matrices in a quantised format (weight-only)";
  let description = [{
    Changes the element type of the weight matrices that ops name through
    `QuantizableOpInterface` (embedding tables, attention and MLP/MoE
    projections, lm_head; never norms or biases), so a plugin op that
    implements the interface is quantised too. Each changed `tt.weight`
    records the element type of its source as `stored_type`; the runtime
    converts the stored tensor once, when it binds it (bind key
    `name@as(TYPE)`). Activations stay f32 (the integer kernels quantise
    them to int8 per 32 internally, as for GGUF models).

    `format` (required):
    - `int8`, `int4`: group-wise integers, `group-size` (default 128; a
      power of two from 32 to 4096) elements per f16 scale, `symmetric`
      (default true: `x = d*q`; false: an f16 minimum too, `x = d*q + m`):
      `!tt.quant<int4, group = 128>`, `!tt.quant<int8, group = 64, asym>`;
    - `q8_0`, `q4_0`: GGUF's blocks of 32, bit-identical to ggml's reference
      quantisers, so a quantised model can be written back as GGUF;
    - `mxint8`, `mxfp4`: OCP microscaling, blocks of 32 with a shared E8M0
      (power of two) scale; `mxfp4` is GGUF's MXFP4 (ggml type 39,
      bit-identical to ggml's reference quantiser);
    - `fp8` (or `fp8_e4m3`): E4M3FN codes with an f16 scale per block of 32,
      `amax / 448` (the block's largest value maps to E4M3's largest).

    `exclude` (a list) keeps weights as they are: an entry is either a layer
    kind (`CostOpInterface::getLayerKind`: `embedding`, `attention`, `mlp`,
    `moe`, `lm_head`, or a plugin's kind), excluding every quantisable
    weight of such ops, or a glob over weight names (`blk.0.*`,
    `*.attn_v.weight`). A weight that several ops use (a tied embedding and
    lm_head) is quantised only if all of them quantise it, so
    `exclude=lm_head` keeps a tied embedding table as it is too (a remark
    says so); it has one stored tensor and one type in the IR. Copies of one
    tensor (`tt.weight`s of the same name, as tt-pipeline-parallel clones a
    tied weight per stage) follow the same rule. An entry that matches
    nothing is a warning.

    Weights left as they are, with a remark: already in a quantised or
    integer type, not a float type, stored `transposed`, or used by an op
    other than as a quantisable matrix. A weight whose last dimension (the
    one blocks run along) is not a whole number of blocks is kept with a
    warning that names both numbers. Unknown formats, a `group-size` that is
    not a power of two from 32 to 4096, and `group-size`/`symmetric` given
    with a format that has fixed blocks are errors.

    docs/Quantization.md has the block layouts and the measured logit error
    of each format on a synthetic model, which the tests bound.

    Before (`tt-quantize{format=int4 group-size=32 exclude=lm_head}`):
    ```mlir
    %wq = tt.weight "blk.0.attn_q.weight" : tensor<64x64xf32>
    %head = tt.weight "output.weight" : tensor<96x64xf32>
    ```
    After:
    ```mlir
    %wq = tt.weight "blk.0.attn_q.weight" {stored_type = f32}
            : tensor<64x64x!tt.quant<int4, group = 32>>
    %head = tt.weight "output.weight" : tensor<96x64xf32>
    ```
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"\"",
           "Storage format: int8, int4, q8_0, q4_0, mxint8, mxfp4, fp8">,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"128",
           "Elements per scale of int8/int4 (a power of two, 32 .. 4096)">,
    Option<"symmetric", "symmetric", "bool", /*default=*/"true",
           "int8/int4: a scale per group (true) or a scale and a minimum "
           "(false)">,
    ListOption<"exclude", "exclude", "std::string",
               "Layer kinds (lm_head, attention, ...) or weight-name globs "
               "to keep as they are">
  ];
  let dependentDialects = ["::tt::TTDialect"];
}

#endif // TT_DIALECT_TT_TRANSFORMS_PASSES_TD
