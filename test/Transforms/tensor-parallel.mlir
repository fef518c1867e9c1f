// tt-tensor-parallel on the small model (Inputs/parallel-small.mlir: vocab
// 256, hidden 64, 4 heads / 2 KV heads of 16, MLP intermediate 128, a MoE of
// 4 experts of 32 with a shared expert of 32, biases everywhere).
//
// RUN: tt-opt %S/Inputs/parallel-small.mlir --tt-tensor-parallel=tp=2 | FileCheck %s --check-prefix=TP2
// RUN: tt-opt %S/Inputs/parallel-small.mlir --tt-tensor-parallel=tp=4 | FileCheck %s --check-prefix=TP4
// tp=1 changes nothing: no grid, no collective, the same weights.
// RUN: tt-opt %S/Inputs/parallel-small.mlir --tt-tensor-parallel=tp=1 | FileCheck %s --check-prefix=TP1
// The size defaults to tt.hardware's tensor_parallel.
// RUN: sed 's/^module {/module attributes {tt.hardware = #tt.hardware<tensor_parallel = 2>} {/' %S/Inputs/parallel-small.mlir | tt-opt --tt-tensor-parallel | FileCheck %s --check-prefix=HW
// tt.hardware's divisibility rules hold for the whole model, not for the
// per-device sizes the pass leaves (1 head of 4 per device): the split
// module still verifies, and the pass records the size it used.
// RUN: sed 's/^module {/module attributes {tt.hardware = #tt.hardware<tensor_parallel = 2>} {/' %S/Inputs/parallel-small.mlir | tt-opt --tt-tensor-parallel=tp=4 | tt-opt | FileCheck %s --check-prefix=HW4
// The result round-trips through the parser and verifiers.
// RUN: tt-opt %S/Inputs/parallel-small.mlir --tt-tensor-parallel=tp=4 | tt-opt | FileCheck %s --check-prefix=TP4

// TP2-LABEL: module {
// TP2-NEXT:  shard.grid @tt_tp(shape = 2)
// Vocab-parallel embedding: 256/2 = 128 rows per device; the op knows its
// share, and the partial lookups are summed.
// TP2:       %[[EMB:.*]] = tt.weight "embed.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<128x64xf32>
// TP2-NEXT:  %[[X0:.*]] = tt.embedding %{{.*}} table(%[[EMB]] : tensor<128x64xf32>) {tt.vocab_per_device = 128 : i64}
// TP2-NEXT:  %[[X0R:.*]] = shard.all_reduce %[[X0]] on @tt_tp grid_axes = [0] : tensor<?x?x64xf32> -> tensor<?x?x64xf32>
// TP2-NEXT:  tt.layer 0 (%{{.*}} = %[[X0R]])
// Norms are replicated.
// TP2:       tt.weight "layers.0.attn_norm.weight" : tensor<64xf32>
// Q/K/V column split by heads (2 of 4 query heads, 1 of 2 KV heads), O row
// split, its bias partial; heads and head_dim become per-device numbers.
// TP2:       tt.weight "layers.0.q.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<32x64xf32>
// TP2-NEXT:  tt.weight "layers.0.k.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16x64xf32>
// TP2-NEXT:  tt.weight "layers.0.v.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16x64xf32>
// TP2-NEXT:  tt.weight "layers.0.o.weight" {shard_dim = 1 : i64, shard_parts = 2 : i64} : tensor<64x32xf32>
// TP2-NEXT:  tt.weight "layers.0.q.bias" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<32xf32>
// TP2-NEXT:  tt.weight "layers.0.k.bias" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16xf32>
// TP2-NEXT:  tt.weight "layers.0.v.bias" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16xf32>
// TP2-NEXT:  tt.weight "layers.0.o.bias" {partial} : tensor<64xf32>
// TP2-NEXT:  %[[A:.*]] = tt.attention %{{.*}} heads(2) kv_heads(1) head_dim(16) rope<theta = 10000.0> q(%{{.*}} : tensor<32x64xf32>) k(%{{.*}} : tensor<16x64xf32>) v(%{{.*}} : tensor<16x64xf32>) o(%{{.*}} : tensor<64x32xf32>)
// TP2-NEXT:  %[[AR:.*]] = shard.all_reduce %[[A]] on @tt_tp grid_axes = [0] : tensor<?x?x64xf32> -> tensor<?x?x64xf32>
// TP2-NEXT:  tt.add %{{.*}}, %[[AR]]
// MLP: gate/up (and their biases) column, down row with a partial bias.
// TP2:       tt.weight "layers.0.gate.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<64x64xf32>
// TP2-NEXT:  tt.weight "layers.0.up.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<64x64xf32>
// TP2-NEXT:  tt.weight "layers.0.down.weight" {shard_dim = 1 : i64, shard_parts = 2 : i64} : tensor<64x64xf32>
// TP2-NEXT:  tt.weight "layers.0.gate.bias" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<64xf32>
// TP2-NEXT:  tt.weight "layers.0.up.bias" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<64xf32>
// TP2-NEXT:  tt.weight "layers.0.down.bias" {partial} : tensor<64xf32>
// TP2-NEXT:  %[[M:.*]] = tt.mlp silu
// TP2-NEXT:  %[[MR:.*]] = shard.all_reduce %[[M]] on @tt_tp grid_axes = [0]
// TP2-NEXT:  tt.add %{{.*}}, %[[MR]]
// MoE: expert parallelism, 2 of the 4 experts per device; the router is
// replicated and num_experts stays global; the shared expert splits like an
// MLP; the partial expert sums are all-reduced.
// TP2-LABEL: tt.layer 1
// TP2:       tt.weight "layers.1.router.weight" : tensor<4x64xf32>
// TP2-NEXT:  tt.weight "layers.1.experts.{e}.gate.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<2x32x64xf32>
// TP2-NEXT:  tt.weight "layers.1.experts.{e}.up.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<2x32x64xf32>
// TP2-NEXT:  tt.weight "layers.1.experts.{e}.down.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<2x64x32xf32>
// TP2-NEXT:  tt.weight "layers.1.shared.gate.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16x64xf32>
// TP2-NEXT:  tt.weight "layers.1.shared.up.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16x64xf32>
// TP2-NEXT:  tt.weight "layers.1.shared.down.weight" {shard_dim = 1 : i64, shard_parts = 2 : i64} : tensor<64x16xf32>
// TP2-NEXT:  %[[E:.*]] = tt.moe silu %{{.*}} experts(4) top_k(2) shared_experts(1) softmax_renorm router(%{{.*}} : tensor<4x64xf32>) gate(%{{.*}} : tensor<2x32x64xf32>) {{.*}} {tt.experts_per_device = 2 : i64}
// TP2-NEXT:  %[[ER:.*]] = shard.all_reduce %[[E]] on @tt_tp grid_axes = [0]
// TP2-NEXT:  tt.add %{{.*}}, %[[ER]]
// Final norm replicated; vocab-parallel lm_head: 128 logits per device,
// gathered on the last axis back to 256.
// TP2:       tt.weight "final_norm.weight" : tensor<64xf32>
// TP2:       %[[H:.*]] = tt.weight "lm_head.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<128x64xf32>
// TP2-NEXT:  %[[L:.*]] = tt.lm_head %{{.*}} weight(%[[H]] : tensor<128x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
// TP2-NEXT:  %[[G:.*]] = shard.all_gather %[[L]] on @tt_tp grid_axes = [0] gather_axis = 2 : tensor<?x?x128xf32> -> tensor<?x?x256xf32>
// TP2-NEXT:  return %[[G]] : tensor<?x?x256xf32>

// tp=4 exceeds the 2 KV heads: each KV head (16 rows) is one of 2 pieces,
// replicated on 2 devices (shard_parts 2 < 4); 1 query head per device.
// TP4:       shard.grid @tt_tp(shape = 4)
// TP4:       tt.weight "embed.weight" {shard_dim = 0 : i64, shard_parts = 4 : i64} : tensor<64x64xf32>
// TP4:       tt.embedding {{.*}} {tt.vocab_per_device = 64 : i64}
// TP4:       tt.weight "layers.0.q.weight" {shard_dim = 0 : i64, shard_parts = 4 : i64} : tensor<16x64xf32>
// TP4-NEXT:  tt.weight "layers.0.k.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16x64xf32>
// TP4-NEXT:  tt.weight "layers.0.v.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16x64xf32>
// TP4-NEXT:  tt.weight "layers.0.o.weight" {shard_dim = 1 : i64, shard_parts = 4 : i64} : tensor<64x16xf32>
// TP4-NEXT:  tt.weight "layers.0.q.bias" {shard_dim = 0 : i64, shard_parts = 4 : i64} : tensor<16xf32>
// TP4-NEXT:  tt.weight "layers.0.k.bias" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<16xf32>
// TP4:       tt.attention %{{.*}} heads(1) kv_heads(1) head_dim(16)
// TP4:       tt.weight "layers.0.down.weight" {shard_dim = 1 : i64, shard_parts = 4 : i64} : tensor<64x32xf32>
// TP4:       tt.weight "layers.1.experts.{e}.up.weight" {shard_dim = 0 : i64, shard_parts = 4 : i64} : tensor<1x32x64xf32>
// TP4:       tt.moe {{.*}} {tt.experts_per_device = 1 : i64}
// TP4:       tt.lm_head {{.*}} -> tensor<?x?x64xf32>
// TP4-NEXT:  shard.all_gather {{.*}} gather_axis = 2 : tensor<?x?x64xf32> -> tensor<?x?x256xf32>

// TP1-NOT:   shard.
// TP1-NOT:   shard_dim
// TP1:       tt.weight "layers.0.q.weight" : tensor<64x64xf32>
// TP1:       tt.attention %{{.*}} heads(4) kv_heads(2) rope

// HW:        module attributes {tt.hardware = #tt.hardware<tensor_parallel = 2>} {
// HW-NEXT:   shard.grid @tt_tp(shape = 2)
// HW:        tt.attention %{{.*}} heads(2) kv_heads(1) head_dim(16)

// HW4:       module attributes {tt.hardware = #tt.hardware<tensor_parallel = 4>} {
// HW4-NEXT:  shard.grid @tt_tp(shape = 4)
// HW4:       tt.attention %{{.*}} heads(1) kv_heads(1) head_dim(16)
