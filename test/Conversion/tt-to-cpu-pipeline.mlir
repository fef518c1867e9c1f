// The IR at each stage of tt-to-cpu-pipeline, on a one-layer model.
//
// RUN: tt-opt %s --convert-tt-to-linalg --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   | FileCheck %s --check-prefix=BUF
// RUN: tt-opt %s --convert-tt-to-linalg --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --buffer-deallocation-pipeline | FileCheck %s --check-prefix=DEALLOC
// RUN: tt-opt %s --convert-tt-to-linalg --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --buffer-deallocation-pipeline --tt-hoist-deallocs | FileCheck %s --check-prefix=HOIST
// RUN: tt-opt %s --convert-tt-to-linalg --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --buffer-deallocation-pipeline --tt-hoist-deallocs --convert-linalg-to-loops | FileCheck %s --check-prefix=LOOPS
// RUN: tt-opt %s --tt-to-cpu-pipeline | FileCheck %s --check-prefix=LLVM
// RUN: tt-opt %s --tt-to-cpu-pipeline | tt-opt --verify-each | FileCheck %s --check-prefix=LLVM

module {
  func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x24xf32> {
    %emb = tt.weight "embed" : tensor<24x8xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<24x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x8xf32> {
      %n1w = tt.weight "attn_norm" : tensor<8xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<8xf32>) : tensor<?x?x8xf32>
      %wq = tt.weight "q" : tensor<8x8xf32>
      %wk = tt.weight "k" : tensor<4x8xf32>
      %wv = tt.weight "v" : tensor<4x8xf32>
      %wo = tt.weight "o" : tensor<8x8xf32>
      %a = tt.attention %n1 heads(2) kv_heads(1) rope<theta = 10000.0, interleaved = true> q(%wq : tensor<8x8xf32>) k(%wk : tensor<4x8xf32>) v(%wv : tensor<4x8xf32>) o(%wo : tensor<8x8xf32>) : tensor<?x?x8xf32>
      %r1 = tt.add %h, %a : tensor<?x?x8xf32>
      %n2w = tt.weight "ffn_norm" : tensor<8xf32>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<8xf32>) : tensor<?x?x8xf32>
      %wg = tt.weight "gate" : tensor<12x8xf32>
      %wu = tt.weight "up" : tensor<12x8xf32>
      %wd = tt.weight "down" : tensor<8x12xf32>
      %m = tt.mlp silu %n2 up(%wu : tensor<12x8xf32>) gate(%wg : tensor<12x8xf32>) down(%wd : tensor<8x12xf32>) : tensor<?x?x8xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x8xf32>
      tt.yield %r2 : tensor<?x?x8xf32>
    }
    %nw = tt.weight "norm" : tensor<8xf32>
    %n = tt.norm rms final %x1 eps(1.0e-05) weight(%nw : tensor<8xf32>) : tensor<?x?x8xf32>
    %hw = tt.weight "head" : tensor<24x8xf32>
    %logits = tt.lm_head %n weight(%hw : tensor<24x8xf32>) : tensor<?x?x8xf32> -> tensor<?x?x24xf32>
    return %logits : tensor<?x?x24xf32>
  }
}

// After bufferization: no tensors are left; the generics run on the
// buffers the runtime calls fill.
// BUF-LABEL: func.func @m_prefill(
// BUF-NOT: tensor<
// BUF-NOT: bufferization.to_tensor
// BUF: %[[X:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x8xf32>
// BUF: call @ttrt_embedding
// BUF: linalg.generic {{.*}} ins(%[[X]] : memref<?x8xf32>) outs(%{{.*}} : memref<?xf32>)
// BUF: memref.extract_aligned_pointer_as_index
// BUF: call @ttrt_matmul
// BUF: memref.load %{{.*}} : memref<?x2x4xf32>
// BUF: call @ttrt_attention
// BUF-LABEL: func.func @m_decode(
// BUF-NOT: tensor<
// BUF: memref.alloc() {alignment = 64 : i64} : memref<1x8xf32>
// BUF: memref.alloc() {alignment = 64 : i64} : memref<1x24xf32>
// BUF: call @ttrt_to_f32

// Every temporary is freed before the step returns.
// DEALLOC-LABEL: func.func @m_decode(
// DEALLOC: memref.dealloc
// DEALLOC: return

// ... and tt-hoist-deallocs frees each one right after its last use: the
// rotated Q once attention has read it through its pointer, the attention
// output once the O projection has read it.
// HOIST-LABEL: func.func @m_decode(
// HOIST: %[[Q:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x4xf32>
// HOIST: call @ttrt_attention
// HOIST-NEXT: memref.dealloc %[[Q]] : memref<1x2x4xf32>
// HOIST: %[[O:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x8xf32>
// HOIST: call @ttrt_matmul
// HOIST-NEXT: memref.dealloc %{{.*}} : memref<1x8xf32>
// HOIST: memref.dealloc
// HOIST: return

// The generics become loops.
// LOOPS-LABEL: func.func @m_prefill(
// LOOPS-NOT: linalg.generic
// LOOPS: scf.for
// LOOPS: scf.for
// LOOPS: math.cos
// LOOPS: math.sin

// The LLVM dialect: C-callable step functions on plain pointers.
// LLVM-DAG: llvm.func @ttrt_matmul(!llvm.ptr, i32, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr)
// LLVM-DAG: llvm.func @ttrt_attention(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, f32, f32, !llvm.ptr)
// LLVM-DAG: llvm.func @malloc(i64) -> !llvm.ptr
// LLVM-DAG: llvm.func @free(!llvm.ptr)
// LLVM-DAG: llvm.mlir.global internal constant @m_weight_names_data("embed\00attn_norm\00q\00k\00v\00o\00ffn_norm\00gate\00up\00down\00norm\00head\00\00")
// LLVM-DAG: llvm.func @m_weight_names() -> !llvm.ptr
// LLVM-DAG: llvm.func @m_prefill(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr)
// LLVM-DAG: llvm.func @m_decode(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr)
// LLVM-DAG: llvm.call @ttrt_kv_cache
// LLVM-DAG: llvm.call @free
// LLVM-NOT: memref.
// LLVM-NOT: linalg.
// LLVM-NOT: func.func
// LLVM-NOT: unrealized_conversion_cast
