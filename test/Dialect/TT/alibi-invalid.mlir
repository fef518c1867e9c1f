// RUN: tt-opt %s -split-input-file -verify-diagnostics

// tt.alibi_max_bias (the importers' ALiBi maximum bias when it is not 8)
// belongs on an alibi attention and must be positive.
func.func @not_alibi(%x: tensor<?x?x8xf32>, %w: tensor<8x8xf32>) -> tensor<?x?x8xf32> {
  // expected-error @+1 {{'tt.alibi_max_bias' must be a positive float on an alibi tt.attention}}
  %a = tt.attention %x heads(2) kv_heads(2) q(%w : tensor<8x8xf32>) k(%w : tensor<8x8xf32>) v(%w : tensor<8x8xf32>) o(%w : tensor<8x8xf32>) {tt.alibi_max_bias = 16.0 : f64} : tensor<?x?x8xf32>
  return %a : tensor<?x?x8xf32>
}

// -----

func.func @negative(%x: tensor<?x?x8xf32>, %w: tensor<8x8xf32>) -> tensor<?x?x8xf32> {
  // expected-error @+1 {{'tt.alibi_max_bias' must be a positive float on an alibi tt.attention}}
  %a = tt.attention %x heads(2) kv_heads(2) alibi q(%w : tensor<8x8xf32>) k(%w : tensor<8x8xf32>) v(%w : tensor<8x8xf32>) o(%w : tensor<8x8xf32>) {tt.alibi_max_bias = -1.0 : f64} : tensor<?x?x8xf32>
  return %a : tensor<?x?x8xf32>
}

// -----

// An embedding norm normalises tt.embedding's output.
func.func @embedding_norm(%x: tensor<?x?x8xf32>, %w: tensor<8xf32>) -> tensor<?x?x8xf32> {
  // expected-error @+1 {{'tt.norm' op is an embedding norm, so its input must come from tt.embedding, but it comes from a block argument}}
  %n = tt.norm layer embedding %x eps(1.0e-05) weight(%w : tensor<8xf32>) : tensor<?x?x8xf32>
  return %n : tensor<?x?x8xf32>
}
