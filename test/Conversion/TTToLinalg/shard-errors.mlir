// RUN: tt-opt %s --split-input-file --convert-tt-to-linalg -verify-diagnostics
// RUN: not tt-opt %S/select-stage.mlir --tt-select-stage=stage=2 -o /dev/null 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not tt-opt %S/convert-tt-to-linalg.mlir --tt-select-stage=stage=0 -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOSTAGE

// RANGE: error: tt-select-stage: stage 2 is not a stage of @pp, which has 2 (0 .. 1)
// NOSTAGE: error: model @tiny has no tt.stage attributes: run tt-pipeline-parallel before tt-select-stage

// Collectives the CPU lowering does not run are rejected at the op (which
// the conversion then reports as not legalized).

module {
  shard.grid @tt_tp(shape = 2)
  func.func @max(%tokens: tensor<?x?xi32>) -> tensor<?x?x16xf32> {
    %emb = tt.weight "embed" : tensor<16x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<16x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    // expected-error @+2 {{failed to legalize operation 'shard.all_reduce'}}
    // expected-error @+1 {{reduction 'max' is not lowered (only sum is)}}
    %s = shard.all_reduce %x0 on @tt_tp grid_axes = [0] reduction = max : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    %l = tt.lm_head %s weight(%emb : tensor<16x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    return %l : tensor<?x?x16xf32>
  }
}

// -----

module {
  shard.grid @other(shape = 2)
  func.func @grid(%tokens: tensor<?x?xi32>) -> tensor<?x?x16xf32> {
    %emb = tt.weight "embed" : tensor<16x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<16x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    // expected-error @+2 {{failed to legalize operation 'shard.all_reduce'}}
    // expected-error @+1 {{on grid @other: the CPU lowering runs this collective over @tt_tp}}
    %s = shard.all_reduce %x0 on @other grid_axes = [0] : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    %l = tt.lm_head %s weight(%emb : tensor<16x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    return %l : tensor<?x?x16xf32>
  }
}

// -----

module {
  shard.grid @tt_tp(shape = 2)
  func.func @axis(%tokens: tensor<?x?xi32>) -> tensor<?x?x16xf32> {
    %emb = tt.weight "embed" : tensor<16x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<16x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %head = tt.weight "head" : tensor<16x16xf32>
    %l = tt.lm_head %x0 weight(%head : tensor<16x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    // expected-error @+2 {{failed to legalize operation 'shard.all_gather'}}
    // expected-error @+1 {{gathers along axis 1; the CPU lowering gathers the last axis (2) only}}
    %g = shard.all_gather %l on @tt_tp grid_axes = [0] gather_axis = 1 : tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    return %g : tensor<?x?x16xf32>
  }
}
