// Fusion attributes the lowering cannot honour are errors at the op.
// RUN: tt-opt %s --split-input-file --convert-tt-to-linalg --verify-diagnostics

func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
  %emb = tt.weight "emb" : tensor<96x64xf32>
  %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
    %nw = tt.weight "n" : tensor<64xf32>
    // expected-error @+1 {{'tt.norm' is marked tt.fused but no op computes it (run tt-fuse again or drop the attribute)}}
    %n = tt.norm rms pre %h eps(1.0e-05) weight(%nw : tensor<64xf32>) {tt.fused} : tensor<?x?x64xf32>
    %wu = tt.weight "up" : tensor<128x64xf32>
    %wd = tt.weight "down" : tensor<64x128xf32>
    %m = tt.mlp silu %n up(%wu : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) : tensor<?x?x64xf32>
    tt.yield %m : tensor<?x?x64xf32>
  }
  %logits = tt.lm_head %x1 weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
  return %logits : tensor<?x?x96xf32>
}

// -----

func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
  %emb = tt.weight "emb" : tensor<96x64xf32>
  %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
    %wu = tt.weight "up" : tensor<128x64xf32>
    %wd = tt.weight "down" : tensor<64x128xf32>
    // expected-error @+1 {{tt.fuse lists "norm" but the input is not a tt.norm marked tt.fused used only here}}
    %m = tt.mlp silu %h up(%wu : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) {tt.fuse = ["norm"]} : tensor<?x?x64xf32>
    tt.yield %m : tensor<?x?x64xf32>
  }
  %logits = tt.lm_head %x1 weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
  return %logits : tensor<?x?x96xf32>
}

// -----

func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
  %emb = tt.weight "emb" : tensor<96x64xf32>
  %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
    %wu = tt.weight "up" : tensor<128x64xf32>
    %wd = tt.weight "down" : tensor<64x128xf32>
    // expected-error @+1 {{tt.fuse lists "residual" but the result's only use is not a tt.add marked tt.fused}}
    %m = tt.mlp silu %h up(%wu : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) {tt.fuse = ["residual"]} : tensor<?x?x64xf32>
    %r = tt.add %h, %m : tensor<?x?x64xf32>
    tt.yield %r : tensor<?x?x64xf32>
  }
  %logits = tt.lm_head %x1 weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
  return %logits : tensor<?x?x96xf32>
}

// -----

func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
  %emb = tt.weight "emb" : tensor<96x64xf32>
  %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
    %wq = tt.weight "q" : tensor<64x64xf32>
    %wk = tt.weight "k" : tensor<32x64xf32>
    %wv = tt.weight "v" : tensor<32x64xf32>
    %wo = tt.weight "o" : tensor<64x64xf32>
    // expected-error @+1 {{tt.fuse lists "rope" but the attention has no rope}}
    %a = tt.attention %h heads(4) kv_heads(2) q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) {tt.fuse = ["rope"]} : tensor<?x?x64xf32>
    tt.yield %a : tensor<?x?x64xf32>
  }
  %logits = tt.lm_head %x1 weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
  return %logits : tensor<?x?x96xf32>
}
