// RUN: tt-opt %s --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext -split-input-file -verify-diagnostics

func.func @kernel_mismatch(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "conv.weight" : tensor<64x3xf32>
  // expected-error @+1 {{'ttx.short_conv' op weight has shape [64, 3] but the spec needs [64, 4] (hidden 64, kernel 4)}}
  %y = ttx.short_conv %x kernel(4) weight(%w : tensor<64x3xf32>) : tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----

func.func @hidden_mismatch(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "conv.weight" : tensor<32x4xf32>
  // expected-error @+1 {{'ttx.short_conv' op weight has shape [32, 4] but the spec needs [64, 4] (hidden 64, kernel 4)}}
  %y = ttx.short_conv %x kernel(4) weight(%w : tensor<32x4xf32>) : tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----

func.func @weight_rank(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "conv.weight" : tensor<256xf32>
  // expected-error @+1 {{'ttx.short_conv' op weight has shape [256] but the spec needs [64, 4] (hidden 64, kernel 4)}}
  %y = ttx.short_conv %x kernel(4) weight(%w : tensor<256xf32>) : tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----

func.func @bias_mismatch(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "conv.weight" : tensor<64x4xf32>
  %b = tt.weight "conv.bias" : tensor<4xf32>
  // expected-error @+1 {{'ttx.short_conv' op bias has shape [4] but the spec needs [64] (hidden 64)}}
  %y = ttx.short_conv %x kernel(4) weight(%w : tensor<64x4xf32>) bias(%b : tensor<4xf32>) : tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----

func.func @kernel_zero(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "conv.weight" : tensor<64x1xf32>
  // expected-error @+1 {{'ttx.short_conv' op kernel size must be at least 1, got 0}}
  %y = ttx.short_conv %x kernel(0) weight(%w : tensor<64x1xf32>) : tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----

func.func @dynamic_hidden(%x: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %w = tt.weight "conv.weight" : tensor<64x4xf32>
  // expected-error @+1 {{'ttx.short_conv' op hidden size (the last dimension of the input type 'tensor<?x?x?xf32>') must be static}}
  %y = ttx.short_conv %x kernel(4) weight(%w : tensor<64x4xf32>) : tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}

// -----

func.func @rank_zero(%x: tensor<f32>) -> tensor<f32> {
  %w = tt.weight "conv.weight" : tensor<64x4xf32>
  // expected-error @+1 {{'ttx.short_conv' op input must have rank at least 1 (its last dimension is the hidden size)}}
  %y = ttx.short_conv %x kernel(4) weight(%w : tensor<64x4xf32>) : tensor<f32>
  return %y : tensor<f32>
}

// -----

func.func @weight_dynamic(%x: tensor<?x?x64xf32>, %w: tensor<?x4xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'ttx.short_conv' op operand #1 must be statically shaped tensor}}
  %y = ttx.short_conv %x kernel(4) weight(%w : tensor<?x4xf32>) : tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----

// The core's pre-norm rule still holds for plugin ops: ttx.short_conv is a
// sublayer, tt.add is not.
func.func @prenorm_feeds_non_sublayer(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %nw = tt.weight "norm.weight" : tensor<64xf32>
  // expected-error @+1 {{'tt.norm' op is a pre-norm, so it must feed sublayers (attention, mlp, moe), but it feeds 'tt.add'}}
  %n = tt.norm rms pre %x eps(1.0e-05) weight(%nw : tensor<64xf32>) : tensor<?x?x64xf32>
  %r = tt.add %x, %n : tensor<?x?x64xf32>
  return %r : tensor<?x?x64xf32>
}
