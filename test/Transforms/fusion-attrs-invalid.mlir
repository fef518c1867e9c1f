// The dialect verifies what tt-fuse and tt-kv-cache record.
// RUN: tt-opt %s --split-input-file --verify-diagnostics

func.func @f(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "n" : tensor<64xf32>
  // expected-error @+1 {{'tt.fuse' must be an array of fusion names on tt.attention or tt.mlp}}
  %n = tt.norm rms pre %x eps(1.0e-05) weight(%w : tensor<64xf32>) {tt.fuse = ["norm"]} : tensor<?x?x64xf32>
  return %n : tensor<?x?x64xf32>
}

// -----

func.func @f(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %wu = tt.weight "up" : tensor<128x64xf32>
  %wd = tt.weight "down" : tensor<64x128xf32>
  // expected-error @+1 {{'tt.fuse' entry "qkv" is not a fusion of tt.mlp (expected norm, gate_up, residual)}}
  %m = tt.mlp silu %x up(%wu : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) {tt.fuse = ["qkv"]} : tensor<?x?x64xf32>
  return %m : tensor<?x?x64xf32>
}

// -----

func.func @f(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %wu = tt.weight "up" : tensor<128x64xf32>
  %wd = tt.weight "down" : tensor<64x128xf32>
  // expected-error @+1 {{'tt.fused' is a unit attribute of tt.norm or tt.add}}
  %m = tt.mlp silu %x up(%wu : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) {tt.fused} : tensor<?x?x64xf32>
  return %m : tensor<?x?x64xf32>
}

// -----

func.func @f(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %wq = tt.weight "q" : tensor<64x64xf32>
  %wk = tt.weight "k" : tensor<32x64xf32>
  %wv = tt.weight "v" : tensor<32x64xf32>
  %wo = tt.weight "o" : tensor<64x64xf32>
  // expected-error @+1 {{'tt.kv_cache_dtype' must be one of f32, f16, bf16, i8, f8E4M3FN, f8E5M2}}
  %a = tt.attention %x heads(4) kv_heads(2) q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) {tt.kv_cache_dtype = i4} : tensor<?x?x64xf32>
  return %a : tensor<?x?x64xf32>
}

// -----

func.func @f(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.kv_cache_dtype' belongs on an op with a KV cache (tt.attention)}}
  %s = tt.add %x, %x {tt.kv_cache_dtype = f16} : tensor<?x?x64xf32>
  return %s : tensor<?x?x64xf32>
}
