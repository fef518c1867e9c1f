// What tt-quantize leaves as it is, and says why.
// RUN: tt-opt %s -split-input-file -verify-diagnostics --tt-quantize="format=int4 group-size=64 exclude=lm_head" | FileCheck %s

// A tied embedding/lm_head is one tensor: excluding lm_head keeps it for
// the embedding too.
// CHECK-LABEL: func.func @tied
// CHECK: tt.weight "token_embd.weight" : tensor<96x64xf32>
// CHECK: tt.weight "blk.0.ffn_down.weight" {stored_type = f16} : tensor<64x128x!tt.quant<int4, group = 64>>
func.func @tied(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
  // expected-remark @below {{tt-quantize: weight "token_embd.weight" kept as it is: its user tt.lm_head is excluded (exclude=lm_head); the 2 ops sharing it keep it too}}
  %emb = tt.weight "token_embd.weight" : tensor<96x64xf32>
  %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  // expected-remark @below {{tt-quantize: weight "blk.0.ffn_gate.weight" kept as it is: it is already stored as !tt.quant<q8_0>}}
  %wg = tt.weight "blk.0.ffn_gate.weight" : tensor<128x64x!tt.quant<q8_0>>
  // expected-remark @below {{tt-quantize: weight "blk.0.ffn_up.weight" kept as it is: its element type f8E4M3FN is not f32, f16 or bf16}}
  %wu = tt.weight "blk.0.ffn_up.weight" : tensor<128x64xf8E4M3FN>
  %wd = tt.weight "blk.0.ffn_down.weight" : tensor<64x128xf16>
  %m = tt.mlp silu %x0 up(%wu : tensor<128x64xf8E4M3FN>) gate(%wg : tensor<128x64x!tt.quant<q8_0>>) down(%wd : tensor<64x128xf16>) : tensor<?x?x64xf32>
  %logits = tt.lm_head %m weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
  return %logits : tensor<?x?x96xf32>
}

// -----

// The hidden size 96 is not a whole number of groups of 64: the matrices
// whose rows are 96 long stay f32, with a warning.
// CHECK-LABEL: func.func @odd
// CHECK: tt.weight "blk.0.ffn_up.weight" : tensor<128x96xf32>
// CHECK: tt.weight "blk.0.ffn_down.weight" {stored_type = f32} : tensor<96x128x!tt.quant<int4, group = 64>>
// CHECK: tt.weight "output.weight" : tensor<32x96xf32>
func.func @odd(%x: tensor<?x?x96xf32>) -> tensor<?x?x32xf32> {
  // expected-warning @below {{tt-quantize: weight "blk.0.ffn_up.weight" kept as it is: its last dimension 96 is not a whole number of int4_g64 blocks of 64}}
  %wu = tt.weight "blk.0.ffn_up.weight" : tensor<128x96xf32>
  %wd = tt.weight "blk.0.ffn_down.weight" : tensor<96x128xf32>
  %m = tt.mlp gelu %x up(%wu : tensor<128x96xf32>) down(%wd : tensor<96x128xf32>) : tensor<?x?x96xf32>
  // expected-remark @below {{tt-quantize: weight "output.weight" kept as it is: its user tt.lm_head is excluded (exclude=lm_head)}}
  %hw = tt.weight "output.weight" : tensor<32x96xf32>
  %logits = tt.lm_head %m weight(%hw : tensor<32x96xf32>) : tensor<?x?x96xf32> -> tensor<?x?x32xf32>
  return %logits : tensor<?x?x32xf32>
}

// -----

// A tied weight cloned per pipeline stage is one stored tensor: when one
// copy is kept, so is the other.
// CHECK-LABEL: func.func @cloned
// CHECK: tt.weight "token_embd.weight" : tensor<96x64xf32>
// CHECK: tt.weight "token_embd.weight" : tensor<96x64xf32>
func.func @cloned(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
  // expected-remark @below {{tt-quantize: weight "token_embd.weight" kept as it is: another tt.weight of the same tensor is kept}}
  %emb = tt.weight "token_embd.weight" : tensor<96x64xf32>
  %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  // expected-remark @below {{tt-quantize: weight "token_embd.weight" kept as it is: its user tt.lm_head is excluded (exclude=lm_head)}}
  // expected-note @below {{the copy that is kept}}
  %head = tt.weight "token_embd.weight" : tensor<96x64xf32>
  %logits = tt.lm_head %x0 weight(%head : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
  return %logits : tensor<?x?x96xf32>
}
