// tt-pipeline-parallel on the small model (Inputs/parallel-small.mlir) and,
// below, on a tied two-layer model.
//
// RUN: tt-opt %S/Inputs/parallel-small.mlir --tt-pipeline-parallel=pp=2 | FileCheck %s --check-prefix=PP2
// RUN: tt-opt %S/Inputs/parallel-small.mlir --tt-pipeline-parallel=pp=3 | FileCheck %s --check-prefix=PP3
// RUN: tt-opt %S/Inputs/parallel-small.mlir --tt-pipeline-parallel=pp=1 | FileCheck %s --check-prefix=PP1
// RUN: sed 's/^module {/module attributes {tt.hardware = #tt.hardware<pipeline_parallel = 3>} {/' %S/Inputs/parallel-small.mlir | tt-opt --tt-pipeline-parallel | FileCheck %s --check-prefix=PP3
// Tensor and pipeline parallelism together (the module keeps both grids).
// RUN: tt-opt %S/Inputs/parallel-small.mlir --tt-tensor-parallel=tp=2 --tt-pipeline-parallel=pp=2 | tt-opt | FileCheck %s --check-prefix=BOTH
// RUN: tt-opt %s --tt-pipeline-parallel=pp=2 | tt-opt | FileCheck %s --check-prefix=TIED
// RUN: tt-opt %s --tt-pipeline-parallel=pp=2 | tt-opt --tt-report=pretty=1 -o /dev/null | FileCheck %s --check-prefix=TIEDR

// Stage loads are decode bytes per token at context 2048 (f32, KV f16):
//   layers 0 and 2 (attention + MLP): weights (64*64*2 + 32*64*2 + 128*64*3
//     + biases 64+32+32+64 + 128*2+64 + norms 128 = 37,504) * 4 B
//     = 150,016 B, KV 2*2*16*2 B = 128 B per position * (2048 + 1)
//     = 262,272 B: 412,288 B;
//   layer 1 (attention + MoE): attention, biases and norms 12,608 * 4 B
//     = 50,432 B, router 1,024 B, the shared expert 24,576 B and the 2 of 4
//     experts a token reads 2*6,144*4 = 49,152 B, KV 262,272 B: 387,456 B;
//   embedding: one row, 256 B; final norm + lm_head: 256 + 65,536 B.
// pp=2: {0,1 | 2} loads 800,000 | 478,080 against {0 | 1,2} 412,544 |
// 865,536: layers 0-1 on stage 0. pp=3: one layer per stage.

// PP2-LABEL: module {
// PP2-NEXT:  shard.grid @tt_pp(shape = 2)
// PP2:       tt.weight "embed.weight" {tt.stage = 0 : i64}
// PP2-NEXT:  tt.embedding {{.*}} {tt.stage = 0 : i64}
// Every op, nested ones too, carries its stage.
// PP2-NEXT:  tt.layer 0 ({{.*}}) : tensor<?x?x64xf32> attributes {tt.stage = 0 : i64} {
// PP2-NEXT:    tt.weight "layers.0.attn_norm.weight" {tt.stage = 0 : i64}
// PP2-NEXT:    tt.norm rms pre {{.*}} {tt.stage = 0 : i64}
// PP2:         tt.attention {{.*}} {tt.stage = 0 : i64}
// PP2:         tt.yield {{.*}} {tt.stage = 0 : i64}
// PP2:       %[[L1:.*]] = tt.layer 1 ({{.*}}) : tensor<?x?x64xf32> attributes {tt.stage = 0 : i64} {
// PP2:         tt.moe {{.*}} {tt.stage = 0 : i64}
// PP2:         tt.yield {{.*}} {tt.stage = 0 : i64}
// PP2-NEXT:  }
// PP2-NEXT:  %[[S:.*]] = shard.send %[[L1]] on @tt_pp grid_axes = [0] destination = [1] {tt.stage = 0 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
// PP2-NEXT:  %[[R:.*]] = shard.recv %[[S]] on @tt_pp grid_axes = [0] source = [0] {tt.stage = 1 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
// PP2-NEXT:  tt.layer 2 ({{.*}} = %[[R]]) : tensor<?x?x64xf32> attributes {tt.stage = 1 : i64} {
// PP2:         tt.mlp {{.*}} {tt.stage = 1 : i64}
// PP2:       tt.weight "final_norm.weight" {tt.stage = 1 : i64}
// PP2-NEXT:  tt.norm rms final {{.*}} {tt.stage = 1 : i64}
// PP2-NEXT:  tt.weight "lm_head.weight" {tt.stage = 1 : i64}
// PP2-NEXT:  tt.lm_head {{.*}} {tt.stage = 1 : i64}
// PP2-NEXT:  return {tt.stage = 1 : i64}

// PP3:       shard.grid @tt_pp(shape = 3)
// PP3:       tt.layer 0 ({{.*}}) : tensor<?x?x64xf32> attributes {tt.stage = 0 : i64}
// PP3:       shard.send {{.*}} destination = [1] {tt.stage = 0 : i64}
// PP3-NEXT:  shard.recv {{.*}} source = [0] {tt.stage = 1 : i64}
// PP3-NEXT:  tt.layer 1 ({{.*}}) : tensor<?x?x64xf32> attributes {tt.stage = 1 : i64}
// PP3:       shard.send {{.*}} destination = [2] {tt.stage = 1 : i64}
// PP3-NEXT:  shard.recv {{.*}} source = [1] {tt.stage = 2 : i64}
// PP3-NEXT:  tt.layer 2 ({{.*}}) : tensor<?x?x64xf32> attributes {tt.stage = 2 : i64}
// PP3:       tt.lm_head {{.*}} {tt.stage = 2 : i64}

// PP1-NOT:   shard.
// PP1-NOT:   tt.stage

// BOTH:      shard.grid @tt_pp(shape = 2)
// BOTH-NEXT: shard.grid @tt_tp(shape = 2)
// BOTH:      shard.all_reduce {{.*}} on @tt_tp grid_axes = [0] {tt.stage = 0 : i64}
// BOTH:      shard.send {{.*}} on @tt_pp grid_axes = [0] destination = [1] {tt.stage = 0 : i64}
// BOTH:      shard.all_gather {{.*}} on @tt_tp grid_axes = [0] gather_axis = 2 {tt.stage = 1 : i64}

// A tied embedding/lm_head weight is used on both stages: each stage gets its
// own tt.weight of the same name.
// TIED:      %[[E0:.*]] = tt.weight "embed" {tt.stage = 0 : i64} : tensor<128x32xf32>
// TIED-NEXT: %[[E1:.*]] = tt.weight "embed" {tt.stage = 1 : i64} : tensor<128x32xf32>
// TIED-NEXT: tt.embedding %{{.*}} table(%[[E0]] : tensor<128x32xf32>) {tt.stage = 0 : i64}
// TIED:      tt.lm_head %{{.*}} weight(%[[E1]] : tensor<128x32xf32>) {tt.stage = 1 : i64}
// The model has 128*32 + 2 * (64*32 + 32*64) = 12,288 parameters; each
// stage holds one layer (4,096) and a copy of the table (4,096): 8,192 and
// 8,192, so the stages hold the model plus the cloned table.
// TIEDR:      "model_params": 12288,
// TIEDR-NEXT: "params_all_devices": 16384,
// TIEDR-NEXT: "params_per_device": 8192,
// TIEDR-NEXT: "pipeline_parallel": 2,
// TIEDR-NEXT: "replicated_extra_params": 4096,
// TIEDR:      "total_params": 12288,
module {
  func.func @tied(%tokens: tensor<?x?xi32>) -> tensor<?x?x128xf32> {
    %emb = tt.weight "embed" : tensor<128x32xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<128x32xf32>) : tensor<?x?xi32> -> tensor<?x?x32xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x32xf32> {
      %u = tt.weight "l0.up" : tensor<64x32xf32>
      %d = tt.weight "l0.down" : tensor<32x64xf32>
      %m = tt.mlp gelu %h up(%u : tensor<64x32xf32>) down(%d : tensor<32x64xf32>) : tensor<?x?x32xf32>
      tt.yield %m : tensor<?x?x32xf32>
    }
    %x2 = tt.layer 1 (%h = %x1) : tensor<?x?x32xf32> {
      %u = tt.weight "l1.up" : tensor<64x32xf32>
      %d = tt.weight "l1.down" : tensor<32x64xf32>
      %m = tt.mlp gelu %h up(%u : tensor<64x32xf32>) down(%d : tensor<32x64xf32>) : tensor<?x?x32xf32>
      tt.yield %m : tensor<?x?x32xf32>
    }
    %logits = tt.lm_head %x2 weight(%emb : tensor<128x32xf32>) : tensor<?x?x32xf32> -> tensor<?x?x128xf32>
    return %logits : tensor<?x?x128xf32>
  }
}
