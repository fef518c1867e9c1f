// RUN: tt-opt %s -split-input-file -verify-diagnostics --tt-pipeline-parallel=pp=3

// expected-error @+1 {{'func.func' op cannot be split into 3 pipeline stages: it has 2 tt.layer ops and every stage needs at least one}}
func.func @few_layers(%x: tensor<?x?x32xf32>) -> tensor<?x?x32xf32> {
  %x1 = tt.layer 0 (%h = %x) : tensor<?x?x32xf32> {
    tt.yield %h : tensor<?x?x32xf32>
  }
  %x2 = tt.layer 1 (%h = %x1) : tensor<?x?x32xf32> {
    tt.yield %h : tensor<?x?x32xf32>
  }
  return %x2 : tensor<?x?x32xf32>
}

// -----

// Only the residual stream between consecutive layers may cross stages: the
// embedding's output read again after the last layer would need its own
// transfer.
func.func @skip(%t: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
  %e = tt.weight "embed" : tensor<64x32xf32>
  // expected-note @+1 {{defined here}}
  %x0 = tt.embedding %t table(%e : tensor<64x32xf32>) : tensor<?x?xi32> -> tensor<?x?x32xf32>
  %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x32xf32> {
    tt.yield %h : tensor<?x?x32xf32>
  }
  %x2 = tt.layer 1 (%h = %x1) : tensor<?x?x32xf32> {
    tt.yield %h : tensor<?x?x32xf32>
  }
  %x3 = tt.layer 2 (%h = %x2) : tensor<?x?x32xf32> {
    tt.yield %h : tensor<?x?x32xf32>
  }
  // expected-error @+1 {{'tt.add' op on pipeline stage 2 uses a value of stage 0; only the residual stream between consecutive layers may cross a stage boundary}}
  %y = tt.add %x3, %x0 : tensor<?x?x32xf32>
  return %y : tensor<?x?x32xf32>
}

// -----

// expected-error @+1 {{tt-pipeline-parallel: the module is already pipelined (it has shard.grid @tt_pp)}}
module {
  shard.grid @tt_pp(shape = 3)
}

// -----

// expected-error @+1 {{tt-pipeline-parallel: pp=3 needs a function with tt.layer ops to cut into stages}}
module {
  func.func @none(%x: tensor<?x?x32xf32>) -> tensor<?x?x32xf32> {
    return %x : tensor<?x?x32xf32>
  }
}

// -----

// The dialect checks tt.stage against the grid.
module {
  shard.grid @tt_pp(shape = 2)
  func.func @bad_stage(%x: tensor<?x?x32xf32>) -> tensor<?x?x32xf32> {
    // expected-error @+1 {{'tt.stage' is 2 but @tt_pp has 2 stages}}
    %y = tt.add %x, %x {tt.stage = 2 : i64} : tensor<?x?x32xf32>
    return %y : tensor<?x?x32xf32>
  }
}

// -----

func.func @no_grid(%x: tensor<?x?x32xf32>) -> tensor<?x?x32xf32> {
  // expected-error @+1 {{'tt.stage' needs a shard.grid @tt_pp in the module}}
  %y = tt.add %x, %x {tt.stage = 0 : i64} : tensor<?x?x32xf32>
  return %y : tensor<?x?x32xf32>
}

// -----

func.func @misplaced(%x: tensor<?x?x32xf32>) -> tensor<?x?x32xf32> {
  // expected-error @+1 {{'tt.vocab_per_device' belongs on tt.embedding}}
  %y = tt.add %x, %x {tt.vocab_per_device = 4 : i64} : tensor<?x?x32xf32>
  return %y : tensor<?x?x32xf32>
}
