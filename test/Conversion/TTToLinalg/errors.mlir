// RUN: tt-opt %s --convert-tt-to-linalg -split-input-file -verify-diagnostics

// What the CPU lowering does not handle is rejected at the op, by name.

func.func @unsupported(%tokens: tensor<?x?xi32>) -> tensor<?x?x8xf32> {
  %emb = tt.weight "embed" : tensor<16x8xf32>
  %x = tt.embedding %tokens table(%emb : tensor<16x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
  %w = tt.weight "mixer" : tensor<8x8xf32>
  // expected-error @+1 {{tt.unsupported "mamba_mixer" cannot be compiled: tt has no lowering for this layer}}
  %y = tt.unsupported "mamba_mixer" (%x : tensor<?x?x8xf32>) weights(%w : tensor<8x8xf32>) -> tensor<?x?x8xf32>
  return %y : tensor<?x?x8xf32>
}

// -----

func.func @dynamic(%tokens: tensor<?x?xi32>) -> tensor<?x?x8xf32> {
  %emb = tt.weight "embed" : tensor<16x8xf32>
  %x = tt.embedding %tokens table(%emb : tensor<16x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
  %y = tt.layer 0 (%h = %x) : tensor<?x?x8xf32> {
    %wq = tt.weight "q" : tensor<8x8xf32>
    %wk = tt.weight "k" : tensor<8x8xf32>
    %wv = tt.weight "v" : tensor<8x8xf32>
    %wo = tt.weight "o" : tensor<8x8xf32>
    // expected-error @+1 {{rope scaling 'dynamic' needs original_max_position}}
    %a = tt.attention %h heads(2) kv_heads(2) rope<theta = 10000.0, scaling = dynamic, factor = 2.0> q(%wq : tensor<8x8xf32>) k(%wk : tensor<8x8xf32>) v(%wv : tensor<8x8xf32>) o(%wo : tensor<8x8xf32>) : tensor<?x?x8xf32>
    tt.yield %a : tensor<?x?x8xf32>
  }
  return %y : tensor<?x?x8xf32>
}

// -----

// expected-error @+1 {{model function @no_tokens must take tokens (tensor<?x?xi32>) and return f32 logits (tensor<?x?xVxf32>), but has type '(tensor<?x?x8xf32>) -> tensor<?x?x8xf32>'}}
func.func @no_tokens(%x: tensor<?x?x8xf32>) -> tensor<?x?x8xf32> {
  %y = tt.add %x, %x : tensor<?x?x8xf32>
  return %y : tensor<?x?x8xf32>
}

// -----

func.func @f16_activations(%tokens: tensor<?x?xi32>) -> tensor<?x?x8xf32> {
  %emb = tt.weight "embed" : tensor<16x8xf32>
  // expected-error @+1 {{the CPU lowering needs f32 activations of shape [batch (1 or ?), ?, hidden], got 'tensor<?x?x8xf16>'}}
  %x = tt.embedding %tokens table(%emb : tensor<16x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf16>
  %w = tt.weight "norm" : tensor<8xf32>
  %n = tt.norm rms final %x eps(1.0e-05) weight(%w : tensor<8xf32>) : tensor<?x?x8xf16>
  %h = tt.weight "head" : tensor<8x8xf32>
  %l = tt.lm_head %n weight(%h : tensor<8x8xf32>) : tensor<?x?x8xf16> -> tensor<?x?x8xf32>
  return %l : tensor<?x?x8xf32>
}
