// RUN: tt-opt %s --split-input-file --convert-tt-to-linalg -verify-diagnostics | FileCheck %s

// Expert parallelism (tp = 2, as tt-tensor-parallel writes it): routing over
// all 4 experts, each rank holding 2 (tt.experts_per_device) as its piece of
// the stacked weights. Expert e runs when some token chose it and it is this
// rank's (e / 2 == ttrt_tp_rank), from row (e % 2) * 6 of the piece; the sum
// over ranks follows.

module {
  shard.grid @tt_tp(shape = 2)
  func.func @ep(%tokens: tensor<?x?xi32>) -> tensor<?x?x16xf32> {
    %emb = tt.weight "embed" : tensor<16x8xf32>
    %x = tt.embedding %tokens table(%emb : tensor<16x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
    %y = tt.layer 0 (%h = %x) : tensor<?x?x8xf32> {
      %r = tt.weight "router" : tensor<4x8xf32>
      %u = tt.weight "up" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<2x6x8xf32>
      %d = tt.weight "down" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<2x8x6xf32>
      %m = tt.moe silu %h experts(4) top_k(2) softmax router(%r : tensor<4x8xf32>) up(%u : tensor<2x6x8xf32>) down(%d : tensor<2x8x6xf32>) {tt.experts_per_device = 2 : i64} : tensor<?x?x8xf32>
      %s = shard.all_reduce %m on @tt_tp grid_axes = [0] : tensor<?x?x8xf32> -> tensor<?x?x8xf32>
      %a = tt.add %h, %s : tensor<?x?x8xf32>
      tt.yield %a : tensor<?x?x8xf32>
    }
    %hw = tt.weight "head" : tensor<16x8xf32>
    %l = tt.lm_head %y weight(%hw : tensor<16x8xf32>) : tensor<?x?x8xf32> -> tensor<?x?x16xf32>
    return %l : tensor<?x?x16xf32>
  }
}

// CHECK-LABEL: func.func @ep_decode(
// CHECK-SAME: %[[CTX:[^:]*]]: !llvm.ptr
// CHECK: %[[RANK:.*]] = call @ttrt_tp_rank(%[[CTX]]) : (!llvm.ptr) -> i64
// Expert 0: rank 0's first.
// CHECK: %[[USED0:.*]] = tensor.extract %{{.*}}[%c0{{.*}}] : tensor<4xf32>
// CHECK: %[[ANY0:.*]] = arith.cmpf ogt, %[[USED0]]
// CHECK: %[[MINE0:.*]] = arith.cmpi eq, %[[RANK]], %c0_i64
// CHECK: %[[RUN0:.*]] = arith.andi %[[ANY0]], %[[MINE0]] : i1
// CHECK: scf.if %[[RUN0]]
// CHECK: %[[OFF0:.*]] = arith.muli %{{.*}}, %c0_i64
// CHECK: llvm.getelementptr %{{.*}}[%[[OFF0]]]
// Expert 3: rank 1's second, rows 6.. of the piece.
// CHECK: %[[USED3:.*]] = tensor.extract %{{.*}}[%c3{{.*}}] : tensor<4xf32>
// CHECK: %[[ANY3:.*]] = arith.cmpf ogt, %[[USED3]]
// CHECK: %[[MINE3:.*]] = arith.cmpi eq, %[[RANK]], %c1_i64
// CHECK: %[[RUN3:.*]] = arith.andi %[[ANY3]], %[[MINE3]] : i1
// CHECK: scf.if %[[RUN3]]
// CHECK: %[[OFF3:.*]] = arith.muli %{{.*}}, %c6_i64
// CHECK: llvm.getelementptr %{{.*}}[%[[OFF3]]]
// CHECK: call @ttrt_all_reduce_sum(%[[CTX]]
// CHECK: func.func private @ttrt_tp_rank(!llvm.ptr) -> i64

// Expert parallelism over one tensor per expert is rejected (by the
// lowering's up-front checks).

// -----

module {
  shard.grid @tt_tp(shape = 2)
  func.func @named(%tokens: tensor<?x?xi32>) -> tensor<?x?x16xf32> {
    %emb = tt.weight "embed" : tensor<16x8xf32>
    %x = tt.embedding %tokens table(%emb : tensor<16x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
    %y = tt.layer 0 (%h = %x) : tensor<?x?x8xf32> {
      %r = tt.weight "router" : tensor<4x8xf32>
      // expected-error @+1 {{weight "experts.{e}.up" splits per-expert tensors across devices (expert parallelism), which the CPU lowering does not handle yet}}
      %u = tt.weight "experts.{e}.up" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<2x6x8xf32>
      %d = tt.weight "down" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<2x8x6xf32>
      %m = tt.moe silu %h experts(4) top_k(2) softmax router(%r : tensor<4x8xf32>) up(%u : tensor<2x6x8xf32>) down(%d : tensor<2x8x6xf32>) {tt.experts_per_device = 2 : i64} : tensor<?x?x8xf32>
      %s = shard.all_reduce %m on @tt_tp grid_axes = [0] : tensor<?x?x8xf32> -> tensor<?x?x8xf32>
      tt.yield %s : tensor<?x?x8xf32>
    }
    %hw = tt.weight "head" : tensor<16x8xf32>
    %l = tt.lm_head %y weight(%hw : tensor<16x8xf32>) : tensor<?x?x8xf32> -> tensor<?x?x16xf32>
    return %l : tensor<?x?x16xf32>
  }
}
