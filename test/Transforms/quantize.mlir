// tt-quantize re-types the quantisable weight matrices and records their
// source type; norms stay f32.
//
// RUN: tt-opt %s --tt-quantize="format=q8_0" | FileCheck %s --check-prefix=Q8
// RUN: tt-opt %s --tt-quantize="format=q4_0" | FileCheck %s --check-prefix=Q4
// RUN: tt-opt %s --tt-quantize="format=int8 group-size=32" | FileCheck %s --check-prefix=I8
// RUN: tt-opt %s --tt-quantize="format=int4 group-size=64 symmetric=false" | FileCheck %s --check-prefix=I4A
// RUN: tt-opt %s --tt-quantize="format=mxint8" | FileCheck %s --check-prefix=MXI8
// RUN: tt-opt %s --tt-quantize="format=mxfp4" | FileCheck %s --check-prefix=MXFP4
// RUN: tt-opt %s --tt-quantize="format=fp8" | FileCheck %s --check-prefix=FP8
// RUN: tt-opt %s --tt-quantize="format=q8_0 exclude=lm_head" | FileCheck %s --check-prefix=NOHEAD
// RUN: tt-opt %s --tt-quantize="format=q4_0 exclude=attention,blk.0.ffn_*" | FileCheck %s --check-prefix=GLOB
// The printed IR parses back and quantising again changes nothing.
// RUN: tt-opt %s --tt-quantize="format=int4 group-size=32" | tt-opt --tt-quantize="format=int4 group-size=32" 2>/dev/null | FileCheck %s --check-prefix=TWICE

module {
  func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
    %emb = tt.weight "token_embd.weight" : tensor<96x64xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
      %n1w = tt.weight "blk.0.attn_norm.weight" : tensor<64xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "blk.0.attn_q.weight" : tensor<64x64xf32>
      %wk = tt.weight "blk.0.attn_k.weight" : tensor<32x64xf32>
      %wv = tt.weight "blk.0.attn_v.weight" : tensor<32x64xf32>
      %wo = tt.weight "blk.0.attn_output.weight" : tensor<64x64xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) rope<theta = 10000.0, interleaved = true> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      %r1 = tt.add %h, %a : tensor<?x?x64xf32>
      %n2w = tt.weight "blk.0.ffn_norm.weight" : tensor<64xf32>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wg = tt.weight "blk.0.ffn_gate.weight" : tensor<128x64xf32>
      %wu = tt.weight "blk.0.ffn_up.weight" : tensor<128x64xf32>
      %wd = tt.weight "blk.0.ffn_down.weight" : tensor<64x128xf32>
      %m = tt.mlp silu %n2 up(%wu : tensor<128x64xf32>) gate(%wg : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    %nw = tt.weight "output_norm.weight" : tensor<64xf32>
    %n = tt.norm rms final %x1 eps(1.0e-05) weight(%nw : tensor<64xf32>) : tensor<?x?x64xf32>
    %hw = tt.weight "output.weight" : tensor<96x64xf32>
    %logits = tt.lm_head %n weight(%hw : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
    return %logits : tensor<?x?x96xf32>
  }
}

// Q8: tt.weight "token_embd.weight" {stored_type = f32} : tensor<96x64x!tt.quant<q8_0>>
// Q8: tt.embedding %{{.*}} table(%{{.*}} : tensor<96x64x!tt.quant<q8_0>>)
// Q8: tt.weight "blk.0.attn_norm.weight" : tensor<64xf32>
// Q8: tt.weight "blk.0.attn_q.weight" {stored_type = f32} : tensor<64x64x!tt.quant<q8_0>>
// Q8: tt.weight "blk.0.attn_k.weight" {stored_type = f32} : tensor<32x64x!tt.quant<q8_0>>
// Q8: tt.weight "blk.0.attn_v.weight" {stored_type = f32} : tensor<32x64x!tt.quant<q8_0>>
// Q8: tt.weight "blk.0.attn_output.weight" {stored_type = f32} : tensor<64x64x!tt.quant<q8_0>>
// Q8: tt.weight "blk.0.ffn_norm.weight" : tensor<64xf32>
// Q8: tt.weight "blk.0.ffn_gate.weight" {stored_type = f32} : tensor<128x64x!tt.quant<q8_0>>
// Q8: tt.weight "blk.0.ffn_up.weight" {stored_type = f32} : tensor<128x64x!tt.quant<q8_0>>
// Q8: tt.weight "blk.0.ffn_down.weight" {stored_type = f32} : tensor<64x128x!tt.quant<q8_0>>
// Q8: tt.weight "output_norm.weight" : tensor<64xf32>
// Q8: tt.weight "output.weight" {stored_type = f32} : tensor<96x64x!tt.quant<q8_0>>
// Q8: tt.lm_head %{{.*}} weight(%{{.*}} : tensor<96x64x!tt.quant<q8_0>>)

// Q4: tt.weight "blk.0.attn_q.weight" {stored_type = f32} : tensor<64x64x!tt.quant<q4_0>>

// I8: tt.weight "blk.0.ffn_down.weight" {stored_type = f32} : tensor<64x128x!tt.quant<int8, group = 32>>

// I4A: tt.weight "blk.0.ffn_down.weight" {stored_type = f32} : tensor<64x128x!tt.quant<int4, group = 64, asym>>

// MXI8: tt.weight "blk.0.attn_k.weight" {stored_type = f32} : tensor<32x64x!tt.quant<mxint8>>

// MXFP4: tt.weight "blk.0.attn_k.weight" {stored_type = f32} : tensor<32x64x!tt.quant<mxfp4>>

// FP8: tt.weight "output.weight" {stored_type = f32} : tensor<96x64x!tt.quant<fp8_e4m3>>

// NOHEAD: tt.weight "token_embd.weight" {stored_type = f32} : tensor<96x64x!tt.quant<q8_0>>
// NOHEAD: tt.weight "output.weight" : tensor<96x64xf32>

// GLOB: tt.weight "token_embd.weight" {stored_type = f32} : tensor<96x64x!tt.quant<q4_0>>
// GLOB: tt.weight "blk.0.attn_q.weight" : tensor<64x64xf32>
// GLOB: tt.weight "blk.0.attn_output.weight" : tensor<64x64xf32>
// GLOB: tt.weight "blk.0.ffn_gate.weight" : tensor<128x64xf32>
// GLOB: tt.weight "blk.0.ffn_down.weight" : tensor<64x128xf32>
// GLOB: tt.weight "output.weight" {stored_type = f32} : tensor<96x64x!tt.quant<q4_0>>

// TWICE: tt.weight "blk.0.attn_q.weight" {stored_type = f32} : tensor<64x64x!tt.quant<int4, group = 32>>
