// RUN: tt-opt %s -split-input-file -verify-diagnostics --tt-tensor-parallel=tp=3

// Every error names the op, the dimension and both numbers, at the op.

func.func @heads(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %wq = tt.weight "q" : tensor<64x64xf32>
  %wk = tt.weight "k" : tensor<64x64xf32>
  %wv = tt.weight "v" : tensor<64x64xf32>
  %wo = tt.weight "o" : tensor<64x64xf32>
  // expected-error @+1 {{'tt.attention' op cannot be split over tensor-parallel size 3: num_heads 4 is not divisible by 3}}
  %a = tt.attention %x heads(4) kv_heads(4) q(%wq : tensor<64x64xf32>) k(%wk : tensor<64x64xf32>) v(%wv : tensor<64x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %a : tensor<?x?x64xf32>
}

// -----

func.func @kv_heads(%x: tensor<?x?x48xf32>) -> tensor<?x?x48xf32> {
  %wq = tt.weight "q" : tensor<48x48xf32>
  %wk = tt.weight "k" : tensor<16x48xf32>
  %wv = tt.weight "v" : tensor<16x48xf32>
  %wo = tt.weight "o" : tensor<48x48xf32>
  // 6 query heads split over 3, but 2 KV heads can be neither split nor
  // replicated evenly.
  // expected-error @+1 {{'tt.attention' op cannot be split over tensor-parallel size 3: num_kv_heads 2 is smaller than 3 and does not divide it, so KV heads cannot be replicated evenly}}
  %a = tt.attention %x heads(6) kv_heads(2) q(%wq : tensor<48x48xf32>) k(%wk : tensor<16x48xf32>) v(%wv : tensor<16x48xf32>) o(%wo : tensor<48x48xf32>) : tensor<?x?x48xf32>
  return %a : tensor<?x?x48xf32>
}

// -----

func.func @intermediate(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %u = tt.weight "up" : tensor<100x64xf32>
  %d = tt.weight "down" : tensor<64x100xf32>
  // expected-error @+1 {{'tt.mlp' op cannot be split over tensor-parallel size 3: intermediate size 100 is not divisible by 3}}
  %m = tt.mlp gelu %x up(%u : tensor<100x64xf32>) down(%d : tensor<64x100xf32>) : tensor<?x?x64xf32>
  return %m : tensor<?x?x64xf32>
}

// -----

func.func @vocab(%t: tensor<?x?xi32>) -> tensor<?x?x64xf32> {
  %e = tt.weight "embed" : tensor<1000x64xf32>
  // expected-error @+1 {{'tt.embedding' op cannot be split over tensor-parallel size 3: vocab size 1000 is not divisible by 3}}
  %x = tt.embedding %t table(%e : tensor<1000x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %x : tensor<?x?x64xf32>
}

// -----

func.func @lm_head(%x: tensor<?x?x64xf32>) -> tensor<?x?x1000xf32> {
  %w = tt.weight "head" : tensor<1000x64xf32>
  // expected-error @+1 {{'tt.lm_head' op cannot be split over tensor-parallel size 3: vocab size 1000 is not divisible by 3}}
  %l = tt.lm_head %x weight(%w : tensor<1000x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x1000xf32>
  return %l : tensor<?x?x1000xf32>
}

// -----

func.func @experts(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %r = tt.weight "router" : tensor<8x64xf32>
  %u = tt.weight "up" : tensor<8x30x64xf32>
  %d = tt.weight "down" : tensor<8x64x30xf32>
  // expected-error @+1 {{'tt.moe' op cannot be split over tensor-parallel size 3: num_experts 8 is not divisible by 3 (experts are placed whole on devices)}}
  %m = tt.moe gelu %x experts(8) top_k(2) softmax router(%r : tensor<8x64xf32>) up(%u : tensor<8x30x64xf32>) down(%d : tensor<8x64x30xf32>) : tensor<?x?x64xf32>
  return %m : tensor<?x?x64xf32>
}

// -----

func.func @alibi(%x: tensor<?x?x48xf32>) -> tensor<?x?x48xf32> {
  %wq = tt.weight "q" : tensor<48x48xf32>
  %wo = tt.weight "o" : tensor<48x48xf32>
  // expected-error @+1 {{'tt.attention' op cannot be split over tensor-parallel size 3: ALiBi slopes depend on the global head index}}
  %a = tt.attention %x heads(3) kv_heads(3) alibi q(%wq : tensor<48x48xf32>) k(%wq : tensor<48x48xf32>) v(%wq : tensor<48x48xf32>) o(%wo : tensor<48x48xf32>) : tensor<?x?x48xf32>
  return %a : tensor<?x?x48xf32>
}

// -----

// expected-error @+1 {{tt-tensor-parallel: the module is already tensor-parallel (it has shard.grid @tt_tp)}}
module {
  shard.grid @tt_tp(shape = 3)
}

// -----

// A weight read by an op that does not implement ShardingOpInterface stays
// whole, so it cannot also be split for another op.
func.func @conflict(%t: tensor<?x?xi32>) -> tensor<?x?x64xf32> {
  %e = tt.weight "embed" : tensor<96x64xf32>
  // expected-note @+1 {{the other use}}
  %x = tt.embedding %t table(%e : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  // expected-error @+1 {{'tt.unsupported' op uses weight 'embed' replicated, but another op uses it split in 3 along dimension 0}}
  %y = tt.unsupported "mixer" (%x : tensor<?x?x64xf32>) weights(%e : tensor<96x64xf32>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}
