// RUN: tt-opt %s --tt-select-stage=stage=0 | FileCheck %s --check-prefix=CUT0
// RUN: tt-opt %s --tt-select-stage=stage=1 | FileCheck %s --check-prefix=CUT1
// RUN: tt-opt %s --tt-select-stage=stage=0 --convert-tt-to-linalg | FileCheck %s --check-prefix=LOW0
// RUN: tt-opt %s --tt-select-stage=stage=1 --convert-tt-to-linalg | FileCheck %s --check-prefix=LOW1

// Two pipeline stages as tt-pipeline-parallel writes them: layer 0 on stage
// 0, layer 1 and the tied lm_head (its own clone of the table) on stage 1.

module {
  shard.grid @tt_pp(shape = 2)
  func.func @pp(%tokens: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
    %emb = tt.weight "embed" {tt.stage = 0 : i64} : tensor<32x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<32x16xf32>) {tt.stage = 0 : i64} : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x16xf32> attributes {tt.stage = 0 : i64} {
      %wu = tt.weight "blk.0.up" : tensor<32x16xf32>
      %wd = tt.weight "blk.0.down" : tensor<16x32xf32>
      %m = tt.mlp silu %h up(%wu : tensor<32x16xf32>) down(%wd : tensor<16x32xf32>) : tensor<?x?x16xf32>
      %y = tt.add %h, %m : tensor<?x?x16xf32>
      tt.yield %y : tensor<?x?x16xf32>
    }
    %s = shard.send %x1 on @tt_pp grid_axes = [0] destination = [1] {tt.stage = 0 : i64} : (tensor<?x?x16xf32>) -> tensor<?x?x16xf32>
    %r = shard.recv %s on @tt_pp grid_axes = [0] source = [0] {tt.stage = 1 : i64} : (tensor<?x?x16xf32>) -> tensor<?x?x16xf32>
    %x2 = tt.layer 1 (%h = %r) : tensor<?x?x16xf32> attributes {tt.stage = 1 : i64} {
      %wu = tt.weight "blk.1.up" : tensor<32x16xf32>
      %wd = tt.weight "blk.1.down" : tensor<16x32xf32>
      %m = tt.mlp silu %h up(%wu : tensor<32x16xf32>) down(%wd : tensor<16x32xf32>) : tensor<?x?x16xf32>
      %y = tt.add %h, %m : tensor<?x?x16xf32>
      tt.yield %y : tensor<?x?x16xf32>
    }
    %head = tt.weight "embed" {tt.stage = 1 : i64} : tensor<32x16xf32>
    %l = tt.lm_head %x2 weight(%head : tensor<32x16xf32>) {tt.stage = 1 : i64} : tensor<?x?x16xf32> -> tensor<?x?x32xf32>
    return {tt.stage = 1 : i64} %l : tensor<?x?x32xf32>
  }
}

// Stage 0 ends at its send and returns nothing.
// CUT0: func.func @pp(%{{.*}}: tensor<?x?xi32>) {
// CUT0: tt.embedding
// CUT0: tt.layer 0
// CUT0: shard.send %{{.*}} on @tt_pp grid_axes = [0] destination = [1]
// CUT0-NOT: shard.recv
// CUT0-NOT: tt.layer 1
// CUT0-NOT: tt.lm_head
// CUT0: return{{$}}

// Stage 1 starts at its recv, whose operand only gives the shape; its
// layers count from 0 (their KV caches are this process's).
// CUT1: func.func @pp(%{{.*}}: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
// CUT1-NOT: tt.embedding
// CUT1: %[[P:.*]] = ub.poison : tensor<?x?x16xf32>
// CUT1: %[[R:.*]] = shard.recv %[[P]] on @tt_pp grid_axes = [0] source = [0]
// CUT1: tt.layer 0 (%{{.*}} = %[[R]])
// CUT1: tt.weight "blk.1.up"
// CUT1-NOT: tt.layer
// CUT1: tt.lm_head
// CUT1: return {{.*}} : tensor<?x?x32xf32>

// Lowered: stage 0 sends [N, 16] to stage 1 and writes no logits.
// LOW0-LABEL: func.func @pp_prefill(
// LOW0-SAME: %[[CTX:.*]]: !llvm.ptr, %{{.*}}: !llvm.ptr, %[[N:arg[0-9]+]]: i64,
// LOW0: call @ttrt_embedding
// LOW0: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c32_i64
// LOW0: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c16_i64
// LOW0: %[[COUNT:.*]] = arith.muli %[[N]], %c16_i64
// LOW0: call @ttrt_send(%[[CTX]], %{{.*}}, %[[COUNT]], %c1_i64{{[_0-9]*}}) : (!llvm.ptr, !llvm.ptr, i64, i64) -> ()
// LOW0-NOT: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c32_i64
// LOW0-NOT: call @ttrt_to_f32({{.*}}%arg4)
// LOW0: return
// LOW0: llvm.mlir.global internal constant @pp_weight_names_data("embed\00blk.0.up\00blk.0.down\00\00")
// LOW0-LABEL: func.func @pp_weight_names
// LOW0-DAG: func.func private @ttrt_send(!llvm.ptr, !llvm.ptr, i64, i64)

// Stage 1 receives [N, 16] from stage 0, then computes the logits.
// LOW1-LABEL: func.func @pp_prefill(
// LOW1-SAME: %[[CTX:.*]]: !llvm.ptr, %{{.*}}: !llvm.ptr, %[[N:.*]]: i64, %{{.*}}: i64, %[[LOGITS:.*]]: !llvm.ptr)
// LOW1-NOT: call @ttrt_embedding
// LOW1: %[[BUF:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x16xf32>
// LOW1: %[[COUNT:.*]] = arith.muli %[[N]], %c16_i64
// LOW1: call @ttrt_recv(%[[CTX]], %{{.*}}, %[[COUNT]], %c0_i64{{[_0-9]*}}) : (!llvm.ptr, !llvm.ptr, i64, i64) -> ()
// LOW1: bufferization.to_tensor %[[BUF]]
// LOW1: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c32_i64
// LOW1: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c16_i64
// LOW1: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c32_i64
// LOW1: call @ttrt_to_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[LOGITS]])
// LOW1: llvm.mlir.global internal constant @pp_weight_names_data("blk.1.up\00blk.1.down\00embed\00\00")
// LOW1-DAG: func.func private @ttrt_recv(!llvm.ptr, !llvm.ptr, i64, i64)
