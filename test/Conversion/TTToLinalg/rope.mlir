// RUN: tt-opt %s --convert-tt-to-linalg -split-input-file | FileCheck %s

// The rotary tables: 1/theta^(2i/rot), scaled as the scheme says, and the
// pairing (rotate-half or interleaved).

// Linear scaling by 2: [1, 1/100] / 2. Rotate-half pairs d with d + 2.
// CHECK-LABEL: func.func @linear_decode(
// CHECK: arith.constant dense<[5.000000e-01, 5.000000e-03]> : tensor<2xf32>
// CHECK: linalg.generic
// CHECK: arith.cmpi ult, %{{.*}}, %c4
// CHECK: arith.cmpi ult, %{{.*}}, %c2
func.func @linear(%tokens: tensor<?x?xi32>) -> tensor<?x?x8xf32> {
  %emb = tt.weight "embed" : tensor<16x8xf32>
  %x = tt.embedding %tokens table(%emb : tensor<16x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
  %y = tt.layer 0 (%h = %x) : tensor<?x?x8xf32> {
    %wq = tt.weight "q" : tensor<8x8xf32>
    %wk = tt.weight "k" : tensor<8x8xf32>
    %wv = tt.weight "v" : tensor<8x8xf32>
    %wo = tt.weight "o" : tensor<8x8xf32>
    %a = tt.attention %h heads(2) kv_heads(2) rope<theta = 10000.0, scaling = linear, factor = 2.0> q(%wq : tensor<8x8xf32>) k(%wk : tensor<8x8xf32>) v(%wv : tensor<8x8xf32>) o(%wo : tensor<8x8xf32>) : tensor<?x?x8xf32>
    tt.yield %a : tensor<?x?x8xf32>
  }
  %h = tt.weight "head" : tensor<8x8xf32>
  %l = tt.lm_head %y weight(%h : tensor<8x8xf32>) : tensor<?x?x8xf32> -> tensor<?x?x8xf32>
  return %l : tensor<?x?x8xf32>
}

// -----

// Llama 3 with factor 8, original context 8, low/high frequency factors 1
// and 4: wavelength 2*pi lies between 8/4 and 8/1, so it is interpolated
// ((1 - s) / 8 + s with s = (8 / 2pi - 1) / 3); wavelength 200*pi is beyond
// 8, so 1/100 is divided by 8. Interleaved pairs d with d ^ 1.
// CHECK-LABEL: func.func @llama3_decode(
// CHECK: arith.constant dense<[0.204{{[0-9]+}}, 1.250000e-03]> : tensor<2xf32>
// CHECK: linalg.generic
// CHECK: arith.remui %{{.*}}, %c2
// CHECK: arith.divui %{{.*}}, %c2
func.func @llama3(%tokens: tensor<?x?xi32>) -> tensor<?x?x8xf32> {
  %emb = tt.weight "embed" : tensor<16x8xf32>
  %x = tt.embedding %tokens table(%emb : tensor<16x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
  %y = tt.layer 0 (%h = %x) : tensor<?x?x8xf32> {
    %wq = tt.weight "q" : tensor<8x8xf32>
    %wk = tt.weight "k" : tensor<8x8xf32>
    %wv = tt.weight "v" : tensor<8x8xf32>
    %wo = tt.weight "o" : tensor<8x8xf32>
    %a = tt.attention %h heads(2) kv_heads(2) rope<theta = 10000.0, scaling = llama3, factor = 8.0, original_max_position = 8, low_freq_factor = 1.0, high_freq_factor = 4.0, interleaved = true> q(%wq : tensor<8x8xf32>) k(%wk : tensor<8x8xf32>) v(%wv : tensor<8x8xf32>) o(%wo : tensor<8x8xf32>) : tensor<?x?x8xf32>
    tt.yield %a : tensor<?x?x8xf32>
  }
  %h = tt.weight "head" : tensor<8x8xf32>
  %l = tt.lm_head %y weight(%h : tensor<8x8xf32>) : tensor<?x?x8xf32> -> tensor<?x?x8xf32>
  return %l : tensor<?x?x8xf32>
}
