// RUN: tt-opt %s --convert-tt-to-linalg | FileCheck %s

// A one-layer model with most of what the lowering handles: a scaled
// embedding, RMS norm, GQA attention with biases, per-head q/k norms,
// rotate-half partial rope, a sliding window and a softcap, a gated GELU
// MLP, a final LayerNorm and a tied, softcapped lm_head.

module {
  func.func @tiny(%tokens: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
    %emb = tt.weight "embed" : tensor<32x16xf16>
    %x0 = tt.embedding %tokens scale(4.0) table(%emb : tensor<32x16xf16>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x16xf32> {
      %n1w = tt.weight "attn_norm" : tensor<16xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-06) weight(%n1w : tensor<16xbf16>) : tensor<?x?x16xf32>
      %wq = tt.weight "q" : tensor<16x16xf32>
      %wk = tt.weight "k" : tensor<8x16xf32>
      %wv = tt.weight "v" : tensor<8x16xf32>
      %wo = tt.weight "o" : tensor<16x16xf32>
      %bq = tt.weight "q_bias" : tensor<16xf32>
      %qn = tt.weight "q_norm" : tensor<4xf32>
      %kn = tt.weight "k_norm" : tensor<4xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) window(3) softcap(50.0) rope<theta = 10000.0, partial = 0.5> q(%wq : tensor<16x16xf32>) k(%wk : tensor<8x16xf32>) v(%wv : tensor<8x16xf32>) o(%wo : tensor<16x16xf32>) q_bias(%bq : tensor<16xf32>) q_norm(%qn : tensor<4xf32>) k_norm(%kn : tensor<4xf32>) : tensor<?x?x16xf32>
      %r1 = tt.add %h, %a : tensor<?x?x16xf32>
      %wg = tt.weight "gate" : tensor<24x16xf32>
      %wu = tt.weight "up" : tensor<24x16xf32>
      %wd = tt.weight "down" : tensor<16x24xf32>
      %m = tt.mlp gelu_tanh %r1 up(%wu : tensor<24x16xf32>) gate(%wg : tensor<24x16xf32>) down(%wd : tensor<16x24xf32>) : tensor<?x?x16xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x16xf32>
      tt.yield %r2 : tensor<?x?x16xf32>
    }
    %nw = tt.weight "norm" : tensor<16xf32>
    %nb = tt.weight "norm_bias" : tensor<16xf32>
    %n = tt.norm layer final %x1 eps(1.0e-05) weight(%nw : tensor<16xf32>) bias(%nb : tensor<16xf32>) : tensor<?x?x16xf32>
    %logits = tt.lm_head %n softcap(30.0) weight(%emb : tensor<32x16xf16>) : tensor<?x?x16xf32> -> tensor<?x?x32xf32>
    return %logits : tensor<?x?x32xf32>
  }
}

// The model function is replaced by its step functions and its weight list.
// CHECK-NOT: func.func @tiny(
// CHECK-LABEL: func.func @tiny_prefill(
// CHECK-SAME: %[[CTX:.*]]: !llvm.ptr, %[[TOK:.*]]: !llvm.ptr, %[[N:.*]]: i64, %[[POS0:.*]]: i64, %[[LOGITS:.*]]: !llvm.ptr)
// CHECK-SAME: attributes {tt_step = "prefill"}

// Embedding: the table is looked up by name, the tokens pointer passed on.
// CHECK: %[[ENAME:.*]] = llvm.mlir.addressof @__tt_weight_name_0
// CHECK: %[[ETYPE:.*]] = llvm.alloca
// CHECK: %[[EMB:.*]] = call @ttrt_weight(%[[CTX]], %[[ENAME]], %[[ETYPE]])
// CHECK: %[[ET:.*]] = llvm.load %[[ETYPE]] : !llvm.ptr -> i32
// CHECK: %[[X:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x16xf32>
// CHECK: call @ttrt_embedding(%[[EMB]], %[[ET]], %c32_i64, %c16_i64, %[[TOK]], %[[N]], %{{.*}})
// CHECK: bufferization.to_tensor %[[X]] restrict writable : memref<?x16xf32> to tensor<?x16xf32>
// The scale.
// CHECK: linalg.generic
// CHECK: arith.mulf

// RMS norm: a reduction, the bf16 scale through ttrt_to_f32, then the
// normalisation.
// CHECK: linalg.fill
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: call @ttrt_to_f32(%{{.*}}, %{{.*}}, %c16_i64{{.*}}, %{{.*}})
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: arith.divf
// CHECK: arith.addf
// CHECK: math.sqrt

// Q with its bias (converted to f32 first), then K and V without.
// CHECK: call @ttrt_to_f32
// CHECK: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c16_i64{{.*}}, %c16_i64{{.*}}, %{{.*}}, %[[N]], %{{.*}}, %{{.*}})
// CHECK: %[[NOBIAS:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c8_i64{{.*}}, %c16_i64{{.*}}, %{{.*}}, %[[N]], %{{.*}}, %[[NOBIAS]])
// CHECK: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c8_i64{{.*}}, %c16_i64{{.*}}

// Per-head q norm over [N, 4, 4].
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [%{{.*}}, 4, 4] : tensor<?x16xf32> into tensor<?x4x4xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: tensor.collapse_shape

// Rope tables: cos and sin of (pos0 + s) / 10000^(2i/2), [N, 1], computed
// once and shared by Q and K.
// CHECK: arith.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK: linalg.generic
// CHECK: arith.addi %[[POS0]]
// CHECK: math.cos
// CHECK: linalg.generic
// CHECK: math.sin
// CHECK-NOT: math.sin
// Rope on Q and K: 2 of 4 dims rotated (partial 0.5), rotate-half pairing.
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
// CHECK: linalg.index 0
// CHECK: arith.cmpi ult, %{{.*}}, %c2
// CHECK: arith.cmpi ult, %{{.*}}, %c1
// CHECK: tensor.extract
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
// CHECK: tensor.extract

// K and V go into layer 0's caches at pos0 * 8 floats.
// CHECK: %[[OFF:.*]] = arith.muli %[[POS0]], %c8_i64
// CHECK: %[[KC:.*]] = call @ttrt_kv_cache(%[[CTX]], %c0_i64{{.*}}, %c0_i32)
// CHECK: %[[KDST:.*]] = llvm.getelementptr %[[KC]][%[[OFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK: call @ttrt_to_f32(%{{.*}}, %c0_i32{{.*}}, %{{.*}}, %[[KDST]])
// CHECK: %[[VC:.*]] = call @ttrt_kv_cache(%[[CTX]], %c0_i64{{.*}}, %c1_i32)
// CHECK: call @ttrt_to_f32
// Attention: 4 heads over 2 KV heads of 4, window 3, scale 1/2, softcap 50.
// CHECK: call @ttrt_attention(%{{.*}}, %[[KC]], %[[VC]], %[[N]], %[[POS0]], %c4_i64{{.*}}, %c2_i64{{.*}}, %c4_i64{{.*}}, %c3_i64{{.*}}, %cst{{.*}}, %cst{{.*}}, %{{.*}})
// CHECK: call @ttrt_matmul

// Residual add.
// CHECK: linalg.generic
// CHECK: arith.addf

// Gated MLP: gate and up, gelu_tanh(gate) * up, down.
// CHECK: call @ttrt_matmul
// CHECK: call @ttrt_matmul
// CHECK: linalg.generic
// CHECK: math.tanh
// CHECK: arith.mulf
// CHECK: call @ttrt_matmul

// LayerNorm: mean, centring, variance, then scale and bias.
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.subf
// CHECK: iterator_types = ["parallel", "reduction"]

// Tied lm_head: the embedding table again, 32 rows; softcap 30. A prefill
// computes logits for its last R = ttrt_logit_rows(ctx, N) rows only,
// reading the normalised rows from row N - R on (16 floats a row).
// CHECK: %[[R:.*]] = call @ttrt_logit_rows(%[[CTX]], %[[N]]) : (!llvm.ptr, i64) -> i64
// CHECK: %[[SKIP:.*]] = arith.subi %[[N]], %[[R]] : i64
// CHECK: %[[OFF:.*]] = arith.muli %[[SKIP]], %c16_i64{{.*}} : i64
// CHECK: %[[X:.*]] = llvm.getelementptr %{{.*}}[%[[OFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK: call @ttrt_weight(%[[CTX]], %{{.*}}, %{{.*}})
// CHECK: %[[RIDX:.*]] = arith.index_cast %[[R]] : i64 to index
// CHECK: memref.alloc(%[[RIDX]]) {alignment = 64 : i64} : memref<?x32xf32>
// CHECK: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c32_i64{{.*}}, %c16_i64{{.*}}, %[[X]], %[[R]], %{{.*}}, %{{.*}})
// CHECK: arith.constant 3.000000e+01 : f32
// CHECK: arith.divf
// CHECK: math.tanh
// The logits are copied out as f32 (type 0), R * 32 of them (the rows the
// lm_head computed).
// CHECK: %[[DIM:.*]] = tensor.dim
// CHECK: %[[ROWS:.*]] = arith.index_cast %[[DIM]] : index to i64
// CHECK: %[[COUNT:.*]] = arith.muli %c32_i64{{.*}}, %[[ROWS]]
// CHECK: call @ttrt_to_f32(%{{.*}}, %c0_i32{{.*}}, %[[COUNT]], %[[LOGITS]])
// CHECK: return{{$}}

// Decode: the same code with N = 1 and static shapes.
// CHECK-LABEL: func.func @tiny_decode(
// CHECK-SAME: attributes {tt_step = "decode"}
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<1x16xf32>
// CHECK: call @ttrt_embedding(%{{.*}}, %{{.*}}, %c32_i64, %c16_i64, %{{.*}}, %c1_i64
// CHECK: call @ttrt_attention(%{{.*}}, %{{.*}}, %{{.*}}, %c1_i64
// CHECK-NOT: ttrt_logit_rows
// CHECK: return{{$}}

// CHECK: llvm.mlir.global internal constant @tiny_weight_names_data("embed\00attn_norm\00q\00k\00v\00o\00q_bias\00q_norm\00k_norm\00gate\00up\00down\00norm\00norm_bias\00\00")
// CHECK-LABEL: func.func @tiny_weight_names() -> !llvm.ptr
// CHECK: %[[LIST:.*]] = llvm.mlir.addressof @tiny_weight_names_data : !llvm.ptr
// CHECK: return %[[LIST]] : !llvm.ptr

// The runtime's functions and the weight names, after the functions.
// CHECK-DAG: llvm.mlir.global internal constant @__tt_weight_name_0("embed\00")
// CHECK-DAG: func.func private @ttrt_weight(!llvm.ptr, !llvm.ptr, !llvm.ptr) -> !llvm.ptr
// CHECK-DAG: func.func private @ttrt_matmul(!llvm.ptr, i32, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr)
// CHECK-DAG: func.func private @ttrt_attention(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, f32, f32, !llvm.ptr)

