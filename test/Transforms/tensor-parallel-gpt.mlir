// GPT-2-style weights under tt-tensor-parallel: Conv1D weights stored
// [in, out] (`transposed`) name the split dimension of the STORED tensor,
// learned positions are added once (partial), and a tied embedding/lm_head
// weight is split once by vocabulary for both ops.
//
// RUN: tt-opt %s --tt-tensor-parallel=tp=2 | tt-opt | FileCheck %s

// CHECK:      shard.grid @tt_tp(shape = 2)
// CHECK:      %[[WTE:.*]] = tt.weight "wte" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<64x32xf32>
// CHECK-NEXT: %[[WPE:.*]] = tt.weight "wpe" {partial} : tensor<64x32xf32>
// CHECK-NEXT: tt.embedding %{{.*}} table(%[[WTE]] : tensor<64x32xf32>) positions(%[[WPE]] : tensor<64x32xf32>) {tt.vocab_per_device = 64 : i64}
// CHECK-NEXT: shard.all_reduce
// The up projection [128, 32] (stored [32, 128]) is column split: logical
// dimension 0, stored dimension 1; down [32, 128] (stored [128, 32]) is row
// split: logical 1, stored 0.
// CHECK:      tt.weight "h.0.mlp.c_fc.weight" transposed {shard_dim = 1 : i64, shard_parts = 2 : i64} : tensor<64x32xf32>
// CHECK-NEXT: tt.weight "h.0.mlp.c_fc.bias" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<64xf32>
// CHECK-NEXT: tt.weight "h.0.mlp.c_proj.weight" transposed {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<32x64xf32>
// CHECK-NEXT: tt.weight "h.0.mlp.c_proj.bias" {partial} : tensor<32xf32>
// CHECK:      tt.lm_head %{{.*}} weight(%[[WTE]] : tensor<64x32xf32>) : tensor<?x?x32xf32> -> tensor<?x?x64xf32>
// CHECK-NEXT: shard.all_gather %{{.*}} on @tt_tp grid_axes = [0] gather_axis = 2 : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
module {
  func.func @gpt(%tokens: tensor<?x?xi32>) -> tensor<?x?x128xf32> {
    %emb = tt.weight "wte" : tensor<128x32xf32>
    %pos = tt.weight "wpe" : tensor<64x32xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<128x32xf32>) positions(%pos : tensor<64x32xf32>) : tensor<?x?xi32> -> tensor<?x?x32xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x32xf32> {
      %u = tt.weight "h.0.mlp.c_fc.weight" transposed : tensor<128x32xf32>
      %ub = tt.weight "h.0.mlp.c_fc.bias" : tensor<128xf32>
      %d = tt.weight "h.0.mlp.c_proj.weight" transposed : tensor<32x128xf32>
      %db = tt.weight "h.0.mlp.c_proj.bias" : tensor<32xf32>
      %m = tt.mlp gelu_tanh %h up(%u : tensor<128x32xf32>) down(%d : tensor<32x128xf32>) up_bias(%ub : tensor<128xf32>) down_bias(%db : tensor<32xf32>) : tensor<?x?x32xf32>
      %r = tt.add %h, %m : tensor<?x?x32xf32>
      tt.yield %r : tensor<?x?x32xf32>
    }
    %logits = tt.lm_head %x1 weight(%emb : tensor<128x32xf32>) : tensor<?x?x32xf32> -> tensor<?x?x128xf32>
    return %logits : tensor<?x?x128xf32>
  }
}
