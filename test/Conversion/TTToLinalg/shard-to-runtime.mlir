// RUN: tt-opt %s --split-input-file --convert-tt-to-linalg | FileCheck %s

// Tensor parallelism (tp = 2, written as tt-tensor-parallel writes it): the
// row-split attention's partial sum is all-reduced in place, in a buffer of
// its own; the vocab-parallel lm_head's 16 of 32 logits are gathered along
// the last axis. The grid is gone after the lowering.

module {
  shard.grid @tt_tp(shape = 2)
  func.func @tp(%tokens: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
    %emb = tt.weight "embed" : tensor<32x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<32x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x16xf32> {
      %wq = tt.weight "q" : tensor<8x16xf32>
      %wk = tt.weight "k" : tensor<4x16xf32>
      %wv = tt.weight "v" : tensor<4x16xf32>
      %wo = tt.weight "o" : tensor<16x8xf32>
      %a = tt.attention %h heads(2) kv_heads(1) head_dim(4) q(%wq : tensor<8x16xf32>) k(%wk : tensor<4x16xf32>) v(%wv : tensor<4x16xf32>) o(%wo : tensor<16x8xf32>) : tensor<?x?x16xf32>
      %s = shard.all_reduce %a on @tt_tp grid_axes = [0] : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
      %r = tt.add %h, %s : tensor<?x?x16xf32>
      tt.yield %r : tensor<?x?x16xf32>
    }
    %head = tt.weight "head" : tensor<16x16xf32>
    %l = tt.lm_head %x1 weight(%head : tensor<16x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    %g = shard.all_gather %l on @tt_tp grid_axes = [0] gather_axis = 2 : tensor<?x?x16xf32> -> tensor<?x?x32xf32>
    return %g : tensor<?x?x32xf32>
  }
}

// CHECK-NOT: shard.grid
// CHECK-LABEL: func.func @tp_prefill(
// CHECK-SAME: %[[CTX:.*]]: !llvm.ptr, %{{.*}}: !llvm.ptr, %[[N:arg[0-9]+]]: i64,
// CHECK: call @ttrt_attention
// CHECK: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c16_i64{{.*}}, %c8_i64
// The sum: a copy of the attention output, [N, 16], reduced in place.
// CHECK: %[[BUF:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x16xf32>
// CHECK: %[[COUNT:.*]] = arith.muli %[[N]], %c16_i64
// CHECK: call @ttrt_to_f32(%{{.*}}, %c0_i32{{.*}}, %[[COUNT]], %[[P:.*]])
// CHECK: call @ttrt_all_reduce_sum(%[[CTX]], %{{.*}}, %[[COUNT]]) : (!llvm.ptr, !llvm.ptr, i64) -> ()
// CHECK: bufferization.to_tensor %[[BUF]]
// The residual add reads the sum.
// CHECK: linalg.generic
// CHECK: arith.addf
// The local logits, 16 per row of the last R = ttrt_logit_rows rows,
// gathered into 32: as many rows as the lm_head computed.
// CHECK: %[[R:.*]] = call @ttrt_logit_rows(%[[CTX]], %[[N]])
// CHECK: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c16_i64{{.*}}, %c16_i64{{.*}}, %{{.*}}, %[[R]],
// CHECK: %[[LOCAL:.*]] = bufferization.to_tensor %{{.*}} : memref<?x16xf32> to tensor<?x16xf32>
// CHECK: %[[DIM:.*]] = tensor.dim %[[LOCAL]], %c0
// CHECK: %[[DIM64:.*]] = arith.index_cast %[[DIM]] : index to i64
// CHECK: %[[ROWS:.*]] = arith.muli %c1_i64{{.*}}, %[[DIM64]]
// CHECK: %[[OUT:.*]] = memref.alloc(%[[DIM]]) {alignment = 64 : i64} : memref<?x32xf32>
// CHECK: call @ttrt_all_gather(%[[CTX]], %{{.*}}, %[[ROWS]], %c16_i64{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr) -> ()
// CHECK: %[[LDIM:.*]] = tensor.dim
// CHECK: %[[LROWS:.*]] = arith.index_cast %[[LDIM]] : index to i64
// CHECK: %[[LCOUNT:.*]] = arith.muli %c32_i64{{.*}}, %[[LROWS]]
// CHECK: call @ttrt_to_f32(%{{.*}}, %c0_i32{{.*}}, %[[LCOUNT]], %{{.*}})

// Decode: one token, static shapes.
// CHECK-LABEL: func.func @tp_decode(
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<1x16xf32>
// CHECK: call @ttrt_all_reduce_sum(%{{.*}}, %{{.*}}, %c16_i64
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<1x32xf32>
// CHECK: call @ttrt_all_gather(%{{.*}}, %{{.*}}, %{{.*}}, %c16_i64

// CHECK-DAG: func.func private @ttrt_all_reduce_sum(!llvm.ptr, !llvm.ptr, i64)
// CHECK-DAG: func.func private @ttrt_all_gather(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr)

// -----

// Vocab-parallel embedding (tt.vocab_per_device): the runtime looks up the
// rows this rank owns and gives zeros for the others; the sum follows.

module {
  shard.grid @tt_tp(shape = 2)
  func.func @vocab(%tokens: tensor<?x?xi32>) -> tensor<?x?x16xf32> {
    %emb = tt.weight "embed" : tensor<16x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<16x16xf32>) {tt.vocab_per_device = 16 : i64} : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %s = shard.all_reduce %x0 on @tt_tp grid_axes = [0] : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    %head = tt.weight "head" : tensor<16x16xf32>
    %l = tt.lm_head %s weight(%head : tensor<16x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    return %l : tensor<?x?x16xf32>
  }
}

// CHECK-LABEL: func.func @vocab_prefill(
// CHECK-SAME: %[[CTX:.*]]: !llvm.ptr, %[[TOK:.*]]: !llvm.ptr, %[[N:arg[0-9]+]]: i64,
// CHECK: call @ttrt_embedding_vocab_parallel(%[[CTX]], %{{.*}}, %{{.*}}, %c16_i64, %c16_i64{{.*}}, %[[TOK]], %[[N]], %{{.*}})
// CHECK: call @ttrt_all_reduce_sum(%[[CTX]]
// CHECK-DAG: func.func private @ttrt_embedding_vocab_parallel(!llvm.ptr, !llvm.ptr, i32, i64, i64, !llvm.ptr, i64, !llvm.ptr)
