//===- Passes.td - Conversions out of the tt dialect --------*- tablegen -*-===//

#ifndef TT_CONVERSION_PASSES_TD
#define TT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTTToLinalg : Pass<"convert-tt-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower a tt model to prefill and decode step functions over "
                "linalg, tensor and calls into the runtime";
  let description = [{
    Every function `@m(%tokens: tensor<?x?xi32>) -> tensor<?x?xVxf32>` whose
    body holds tt ops becomes two step functions with a C-callable signature
    (batch 1), plus the list of the weights it uses:

    ```mlir
    func.func @m_prefill(%ctx: !llvm.ptr, %tokens: !llvm.ptr, %n: i64,
                         %pos0: i64, %logits: !llvm.ptr)  // n tokens
    func.func @m_decode(%ctx: !llvm.ptr, %tokens: !llvm.ptr, %n: i64,
                        %pos0: i64, %logits: !llvm.ptr)   // n == 1, static
    func.func @m_weight_names() -> !llvm.ptr  // "a\0b\0...\0\0"
    ```

    `tt.layer` regions are inlined; a layer's index selects its KV cache.
    Activations become `tensor<NxHxf32>` (`N` dynamic for prefill, 1 for
    decode). The matrix products, the embedding lookup and attention over
    the KV cache become calls into the runtime (`tt/Runtime/RuntimeABI.h`):
    `ttrt_weight`, `ttrt_matmul`, `ttrt_embedding`, `ttrt_kv_cache`,
    `ttrt_attention`, `ttrt_to_f32`; norms, rotary embeddings, activations,
    residual additions and softcaps are generated as `linalg.generic`s.
    Runtime calls exchange plain pointers with the tensors through
    `bufferization.to_buffer` / `bufferization.to_tensor`.

    ```mlir
    %n = tt.norm rms pre %h eps(1e-05) weight(%w : tensor<64xf32>)
           : tensor<?x?x64xf32>
    // becomes
    %w = call @ttrt_weight(%ctx, %name, %type) : ... -> !llvm.ptr
    call @ttrt_to_f32(%w, %t, %c64, %tmp) : ...
    %ss = linalg.generic {iterator_types = ["parallel", "reduction"]} ...
    %n = linalg.generic {iterator_types = ["parallel", "parallel"]} ...
    ```

    `tt.moe` routes in generated code (softmax or sigmoid scores, top-k by
    rank, optional renormalisation and score bias) and runs each expert's
    MLP behind an `scf.if` that skips experts no token chose, so a decode
    step multiplies only its top-k experts' weights.

    ALiBi attention (BLOOM, MPT) calls `ttrt_attention_alibi`, which adds
    the per-head bias (maximum bias 8 or the op's `tt.alibi_max_bias`).

    `tt.unsupported`, non-causal attention, transposed
    weights and the `dynamic` / `yarn` rope scalings are rejected with an
    error at the op.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::bufferization::BufferizationDialect",
    "mlir::func::FuncDialect", "mlir::linalg::LinalgDialect",
    "mlir::LLVM::LLVMDialect", "mlir::math::MathDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect"
  ];
}

def TTHoistDeallocs : Pass<"tt-hoist-deallocs", "mlir::func::FuncOp"> {
  let summary = "Free each temporary buffer right after its last use";
  let description = [{
    The buffer deallocation pipeline frees a step function's temporaries at
    the end of its block, so a prefill step would hold every layer's
    activations at once. In a block without control flow between the
    allocation and its `memref.dealloc`, this pass moves the dealloc up to
    just after the last operation that uses the buffer, through views and
    through the raw pointers handed to the runtime
    (`memref.extract_aligned_pointer_as_index` -> `llvm.inttoptr` -> call).

    ```mlir
    %a = memref.alloc() : memref<1x8xf32>
    call @ttrt_matmul(..., %pa, ...)   // last use, through a pointer
    ...                                 // many other ops
    memref.dealloc %a : memref<1x8xf32>
    // becomes
    %a = memref.alloc() : memref<1x8xf32>
    call @ttrt_matmul(..., %pa, ...)
    memref.dealloc %a : memref<1x8xf32>
    ...
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def TTSelectStage : Pass<"tt-select-stage", "mlir::ModuleOp"> {
  let summary = "Keep one pipeline stage of a model: the ops with tt.stage = k";
  let description = [{
    The process of pipeline stage `k` compiles only its part of a model that
    tt-pipeline-parallel has split (every op carries `tt.stage`; activations
    cross stages through `shard.send` / `shard.recv` on `@tt_pp`). This pass
    erases the other stages' ops: the stage starts at its `shard.recv` (whose
    operand, computed on the previous stage, becomes `ub.poison`: a recv only
    gives its operand's type), ends at its `shard.send`, and only the last
    stage returns logits; the others return nothing, so their step functions
    write no logits. A weight another stage declares stays when this stage
    uses it (a tied embedding). Ops without `tt.stage` stay when something
    kept uses them. The stage's layers are renumbered from 0: a layer's
    index selects its KV cache, and the process holds its own layers' only.

    ```mlir
    // stage 0 of 2
    %x = tt.embedding %tokens table(%emb : ...) {tt.stage = 0 : i64} : ...
    %s = shard.send %x on @tt_pp grid_axes = [0] destination = [1]
           {tt.stage = 0 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
    %r = shard.recv %s on @tt_pp grid_axes = [0] source = [0]
           {tt.stage = 1 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
    %l = tt.lm_head %r weight(%w : ...) {tt.stage = 1 : i64} : ...
    return %l : tensor<?x?x512xf32>
    // tt-select-stage{stage=1}
    %p = ub.poison : tensor<?x?x64xf32>
    %r = shard.recv %p on @tt_pp grid_axes = [0] source = [0] ...
    %l = tt.lm_head %r weight(%w : ...) {tt.stage = 1 : i64} : ...
    return %l : tensor<?x?x512xf32>
    // tt-select-stage{stage=0}: func.func @m(%tokens) (no result)
    %x = tt.embedding ...
    %s = shard.send %x ... destination = [1] ...
    return
    ```

    Errors: a model without `tt.stage`, a stage outside the model's stages, a
    kept op that uses another stage's value other than through `shard.recv`.
  }];
  let options = [
    Option<"stage", "stage", "int64_t", "0",
           "the pipeline stage to keep (0-based)">
  ];
  let dependentDialects = ["mlir::ub::UBDialect", "mlir::shard::ShardDialect"];
}

#endif // TT_CONVERSION_PASSES_TD
