// RUN: tt-opt %s | tt-opt | FileCheck %s
// RUN: tt-opt %s -mlir-print-op-generic | tt-opt | FileCheck %s

// Round trip of every tt op and attribute, in custom and generic form. The
// module carries a #tt.hardware with every parameter away from its default,
// and every layer below satisfies it (tensor_parallel 2 divides every head
// count, intermediate size and expert intermediate size; pipeline_parallel 2
// is at most the 3 layers of @layers).

// CHECK: module attributes {tt.hardware = #tt.hardware<device = "h100", tensor_parallel = 2, pipeline_parallel = 2, weight_dtype = bf16, quantize_weights = true, quantize_activations = true, kv_cache_dtype = f8E4M3FN, flash_attention = false, fused_kernels = false, activation_checkpointing = true, optimize_for_inference = false>} {
module attributes {tt.hardware = #tt.hardware<device = "h100", tensor_parallel = 2, pipeline_parallel = 2, weight_dtype = bf16, quantize_weights = true, quantize_activations = true, kv_cache_dtype = f8E4M3FN, flash_attention = false, fused_kernels = false, activation_checkpointing = true, optimize_for_inference = false>} {

//===----------------------------------------------------------------------===//
// tt.weight
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @weights(
// CHECK-SAME: ) {
func.func @weights() {
  // CHECK: %[[V0:[a-z0-9]+]] = tt.weight "model.embed_tokens.weight" : tensor<128x64xbf16>
  %0 = tt.weight "model.embed_tokens.weight" : tensor<128x64xbf16>
  // GPT-2 Conv1D: stored [in, out], typed [out, in].
  // CHECK: %[[V1:[a-z0-9]+]] = tt.weight "h.0.attn.c_attn.weight" transposed : tensor<192x64xf32>
  %1 = tt.weight "h.0.attn.c_attn.weight" transposed : tensor<192x64xf32>
  // One tensor per expert, stacked along the leading dimension.
  // CHECK: %[[V2:[a-z0-9]+]] = tt.weight "model.layers.0.mlp.experts.{e}.w1.weight" : tensor<4x32x64xbf16>
  %2 = tt.weight "model.layers.0.mlp.experts.{e}.w1.weight" : tensor<4x32x64xbf16>
  // Block-quantised weights: the last dimension is a multiple of the block.
  // CHECK: %[[V3:[a-z0-9]+]] = tt.weight "blk.0.ffn_down.weight" : tensor<64x256x!tt.quant<q4_k>>
  %3 = tt.weight "blk.0.ffn_down.weight" : tensor<64x256x!tt.quant<q4_k>>
  // CHECK: %[[V4:[a-z0-9]+]] = tt.weight "blk.0.attn_q.weight" : tensor<64x64x!tt.quant<q8_0>>
  %4 = tt.weight "blk.0.attn_q.weight" : tensor<64x64x!tt.quant<q8_0>>
  // CHECK: %[[V5:[a-z0-9]+]] = tt.weight "blk.0.attn_norm.weight" : tensor<64xf16>
  %5 = tt.weight "blk.0.attn_norm.weight" : tensor<64xf16>
  // CHECK: %[[V6:[a-z0-9]+]] = tt.weight "packed.weight" : tensor<64x32xi8>
  %6 = tt.weight "packed.weight" : tensor<64x32xi8>
  // What passes derive from a stored tensor: quantised from f16, one
  // device's half of the rows, a bias held by one device of the group.
  // CHECK: %[[V7:[a-z0-9]+]] = tt.weight "blk.1.attn_q.weight" {stored_type = f16} : tensor<64x64x!tt.quant<q8_0>>
  %7 = tt.weight "blk.1.attn_q.weight" {stored_type = f16} : tensor<64x64x!tt.quant<q8_0>>
  // CHECK: %[[V8:[a-z0-9]+]] = tt.weight "blk.1.attn_k.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<32x64xf32>
  %8 = tt.weight "blk.1.attn_k.weight" {shard_dim = 0 : i64, shard_parts = 2 : i64} : tensor<32x64xf32>
  // CHECK: %[[V9:[a-z0-9]+]] = tt.weight "blk.1.attn_output.bias" {partial} : tensor<64xf32>
  %9 = tt.weight "blk.1.attn_output.bias" {partial} : tensor<64xf32>
  return
}

//===----------------------------------------------------------------------===//
// tt.embedding
//===----------------------------------------------------------------------===//

// GPT-2 style: scaled, with learned positions as long as max_position_embeddings.
// CHECK-LABEL: func.func @embedding(
// CHECK-SAME: %[[TOKENS:[a-z0-9]+]]: tensor<?x?xi32>) -> tensor<?x?x64xf32> attributes {tt.max_position_embeddings = 256 : i64} {
func.func @embedding(%tokens: tensor<?x?xi32>) -> tensor<?x?x64xf32> attributes {tt.max_position_embeddings = 256 : i64} {
  // CHECK: %[[TABLE:[a-z0-9]+]] = tt.weight "wte.weight" : tensor<128x64xf32>
  %table = tt.weight "wte.weight" : tensor<128x64xf32>
  // CHECK: %[[POS:[a-z0-9]+]] = tt.weight "wpe.weight" : tensor<256x64xf32>
  %pos = tt.weight "wpe.weight" : tensor<256x64xf32>
  // CHECK: %[[V0:[a-z0-9]+]] = tt.embedding %[[TOKENS]] scale(8.0) table(%[[TABLE]] : tensor<128x64xf32>) positions(%[[POS]] : tensor<256x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  %0 = tt.embedding %tokens scale(8.0) table(%table : tensor<128x64xf32>) positions(%pos : tensor<256x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// CHECK-LABEL: func.func @embedding_static(
// CHECK-SAME: %[[TOKENS:[a-z0-9]+]]: tensor<2x16xi64>) -> tensor<2x16x64xf32> {
func.func @embedding_static(%tokens: tensor<2x16xi64>) -> tensor<2x16x64xf32> {
  // CHECK: %[[TABLE:[a-z0-9]+]] = tt.weight "embed.weight" : tensor<128x64xbf16>
  %table = tt.weight "embed.weight" : tensor<128x64xbf16>
  // CHECK: %[[V0:[a-z0-9]+]] = tt.embedding %[[TOKENS]] table(%[[TABLE]] : tensor<128x64xbf16>) : tensor<2x16xi64> -> tensor<2x16x64xf32>
  %0 = tt.embedding %tokens table(%table : tensor<128x64xbf16>) : tensor<2x16xi64> -> tensor<2x16x64xf32>
  return %0 : tensor<2x16x64xf32>
}

//===----------------------------------------------------------------------===//
// tt.norm, with tt.add and tt.lm_head around it
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @norms(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x?x64xf32>) -> tensor<?x?x128xf32> {
func.func @norms(%x: tensor<?x?x64xf32>) -> tensor<?x?x128xf32> {
  // CHECK: %[[W:[a-z0-9]+]] = tt.weight "ln.weight" : tensor<64xf32>
  %w = tt.weight "ln.weight" : tensor<64xf32>
  // CHECK: %[[B:[a-z0-9]+]] = tt.weight "ln.bias" : tensor<64xf32>
  %b = tt.weight "ln.bias" : tensor<64xf32>
  // Pre-norms: each feeds only sublayers.
  // CHECK: %[[N0:[a-z0-9]+]] = tt.norm rms pre %[[X]] eps(1.0e-05) weight(%[[W]] : tensor<64xf32>) : tensor<?x?x64xf32>
  %n0 = tt.norm rms pre %x eps(1.0e-05) weight(%w : tensor<64xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[N1:[a-z0-9]+]] = tt.norm layer pre %[[X]] eps(1.0e-05) weight(%[[W]] : tensor<64xf32>) bias(%[[B]] : tensor<64xf32>) : tensor<?x?x64xf32>
  %n1 = tt.norm layer pre %x eps(1.0e-05) weight(%w : tensor<64xf32>) bias(%b : tensor<64xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[N2:[a-z0-9]+]] = tt.norm rms pre %[[X]] eps(1.0e-06) zero_centered weight(%[[W]] : tensor<64xf32>) : tensor<?x?x64xf32>
  %n2 = tt.norm rms pre %x eps(1.0e-06) zero_centered weight(%w : tensor<64xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[N3:[a-z0-9]+]] = tt.norm layer pre %[[X]] eps(1.0e-05) : tensor<?x?x64xf32>
  %n3 = tt.norm layer pre %x eps(1.0e-05) : tensor<?x?x64xf32>
  // CHECK: %[[WQ:[a-z0-9]+]] = tt.weight "q.weight" : tensor<64x64xf32>
  %wq = tt.weight "q.weight" : tensor<64x64xf32>
  // CHECK: %[[WK:[a-z0-9]+]] = tt.weight "k.weight" : tensor<64x64xf32>
  %wk = tt.weight "k.weight" : tensor<64x64xf32>
  // CHECK: %[[WV:[a-z0-9]+]] = tt.weight "v.weight" : tensor<64x64xf32>
  %wv = tt.weight "v.weight" : tensor<64x64xf32>
  // CHECK: %[[WO:[a-z0-9]+]] = tt.weight "o.weight" : tensor<64x64xf32>
  %wo = tt.weight "o.weight" : tensor<64x64xf32>
  // CHECK: %[[A:[a-z0-9]+]] = tt.attention %[[N0]] heads(8) kv_heads(8) q(%[[WQ]] : tensor<64x64xf32>) k(%[[WK]] : tensor<64x64xf32>) v(%[[WV]] : tensor<64x64xf32>) o(%[[WO]] : tensor<64x64xf32>) : tensor<?x?x64xf32>
  %a = tt.attention %n0 heads(8) kv_heads(8) q(%wq : tensor<64x64xf32>) k(%wk : tensor<64x64xf32>) v(%wv : tensor<64x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[UP:[a-z0-9]+]] = tt.weight "up.weight" : tensor<128x64xf32>
  %up = tt.weight "up.weight" : tensor<128x64xf32>
  // CHECK: %[[DOWN:[a-z0-9]+]] = tt.weight "down.weight" : tensor<64x128xf32>
  %down = tt.weight "down.weight" : tensor<64x128xf32>
  // CHECK: %[[M1:[a-z0-9]+]] = tt.mlp gelu %[[N1]] up(%[[UP]] : tensor<128x64xf32>) down(%[[DOWN]] : tensor<64x128xf32>) : tensor<?x?x64xf32>
  %m1 = tt.mlp gelu %n1 up(%up : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[M2:[a-z0-9]+]] = tt.mlp relu %[[N2]] up(%[[UP]] : tensor<128x64xf32>) down(%[[DOWN]] : tensor<64x128xf32>) : tensor<?x?x64xf32>
  %m2 = tt.mlp relu %n2 up(%up : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[U:[a-z0-9]+]] = tt.unsupported "mamba_mixer"(%[[N3]] : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  %u = tt.unsupported "mamba_mixer" (%n3 : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  // Post-norms: each reads a sublayer's output.
  // CHECK: %[[P0:[a-z0-9]+]] = tt.norm rms post %[[A]] eps(1.0e-06) weight(%[[W]] : tensor<64xf32>) : tensor<?x?x64xf32>
  %p0 = tt.norm rms post %a eps(1.0e-06) weight(%w : tensor<64xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[P1:[a-z0-9]+]] = tt.norm layer post %[[M1]] eps(1.0e-05) weight(%[[W]] : tensor<64xf32>) bias(%[[B]] : tensor<64xf32>) : tensor<?x?x64xf32>
  %p1 = tt.norm layer post %m1 eps(1.0e-05) weight(%w : tensor<64xf32>) bias(%b : tensor<64xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[P2:[a-z0-9]+]] = tt.norm rms post %[[U]] eps(1.0e-05) : tensor<?x?x64xf32>
  %p2 = tt.norm rms post %u eps(1.0e-05) : tensor<?x?x64xf32>
  // CHECK: %[[S0:[a-z0-9]+]] = tt.add %[[P0]], %[[P1]] : tensor<?x?x64xf32>
  %s0 = tt.add %p0, %p1 : tensor<?x?x64xf32>
  // CHECK: %[[S1:[a-z0-9]+]] = tt.add %[[S0]], %[[P2]] : tensor<?x?x64xf32>
  %s1 = tt.add %s0, %p2 : tensor<?x?x64xf32>
  // CHECK: %[[S2:[a-z0-9]+]] = tt.add %[[S1]], %[[M2]] : tensor<?x?x64xf32>
  %s2 = tt.add %s1, %m2 : tensor<?x?x64xf32>
  // The final norm feeds only the lm_head.
  // CHECK: %[[F:[a-z0-9]+]] = tt.norm rms final %[[S2]] eps(1.0e-05) zero_centered weight(%[[W]] : tensor<64xf32>) : tensor<?x?x64xf32>
  %f = tt.norm rms final %s2 eps(1.0e-05) zero_centered weight(%w : tensor<64xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[HEAD:[a-z0-9]+]] = tt.weight "lm_head.weight" : tensor<128x64xf32>
  %head = tt.weight "lm_head.weight" : tensor<128x64xf32>
  // CHECK: %[[LOGITS:[a-z0-9]+]] = tt.lm_head %[[F]] weight(%[[HEAD]] : tensor<128x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  %logits = tt.lm_head %f weight(%head : tensor<128x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  return %logits : tensor<?x?x128xf32>
}

//===----------------------------------------------------------------------===//
// tt.attention
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @attention(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> attributes {tt.max_position_embeddings = 4096 : i64} {
func.func @attention(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> attributes {tt.max_position_embeddings = 4096 : i64} {
  // CHECK: %[[WQ:[a-z0-9]+]] = tt.weight "q.weight" : tensor<64x64xbf16>
  %wq = tt.weight "q.weight" : tensor<64x64xbf16>
  // CHECK: %[[WKV:[a-z0-9]+]] = tt.weight "kv.weight" : tensor<64x64xbf16>
  %wkv = tt.weight "kv.weight" : tensor<64x64xbf16>
  // CHECK: %[[WO:[a-z0-9]+]] = tt.weight "o.weight" : tensor<64x64xbf16>
  %wo = tt.weight "o.weight" : tensor<64x64xbf16>
  // CHECK: %[[BQ:[a-z0-9]+]] = tt.weight "q.bias" : tensor<64xbf16>
  %bq = tt.weight "q.bias" : tensor<64xbf16>
  // CHECK: %[[BKV:[a-z0-9]+]] = tt.weight "kv.bias" : tensor<64xbf16>
  %bkv = tt.weight "kv.bias" : tensor<64xbf16>
  // CHECK: %[[BO:[a-z0-9]+]] = tt.weight "o.bias" : tensor<64xbf16>
  %bo = tt.weight "o.bias" : tensor<64xbf16>
  // MHA with every bias and linear rope scaling.
  // CHECK: %[[MHA:[a-z0-9]+]] = tt.attention %[[X]] heads(8) kv_heads(8) rope<theta = 10000.0, scaling = linear, factor = 2.0> q(%[[WQ]] : tensor<64x64xbf16>) k(%[[WKV]] : tensor<64x64xbf16>) v(%[[WKV]] : tensor<64x64xbf16>) o(%[[WO]] : tensor<64x64xbf16>) q_bias(%[[BQ]] : tensor<64xbf16>) k_bias(%[[BKV]] : tensor<64xbf16>) v_bias(%[[BKV]] : tensor<64xbf16>) o_bias(%[[BO]] : tensor<64xbf16>) : tensor<?x?x64xf32>
  %mha = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, scaling = linear, factor = 2.0> q(%wq : tensor<64x64xbf16>) k(%wkv : tensor<64x64xbf16>) v(%wkv : tensor<64x64xbf16>) o(%wo : tensor<64x64xbf16>) q_bias(%bq : tensor<64xbf16>) k_bias(%bkv : tensor<64xbf16>) v_bias(%bkv : tensor<64xbf16>) o_bias(%bo : tensor<64xbf16>) : tensor<?x?x64xf32>
  // GQA with head_dim, window, softcap, scale, YaRN and per-head qk norms.
  // CHECK: %[[GQ:[a-z0-9]+]] = tt.weight "gqa.q.weight" : tensor<128x64xbf16>
  %gq = tt.weight "gqa.q.weight" : tensor<128x64xbf16>
  // CHECK: %[[GK:[a-z0-9]+]] = tt.weight "gqa.k.weight" : tensor<32x64xbf16>
  %gk = tt.weight "gqa.k.weight" : tensor<32x64xbf16>
  // CHECK: %[[GV:[a-z0-9]+]] = tt.weight "gqa.v.weight" : tensor<32x64xbf16>
  %gv = tt.weight "gqa.v.weight" : tensor<32x64xbf16>
  // CHECK: %[[GO:[a-z0-9]+]] = tt.weight "gqa.o.weight" : tensor<64x128xbf16>
  %go = tt.weight "gqa.o.weight" : tensor<64x128xbf16>
  // CHECK: %[[HN:[a-z0-9]+]] = tt.weight "gqa.qk_norm.weight" : tensor<16xbf16>
  %hn = tt.weight "gqa.qk_norm.weight" : tensor<16xbf16>
  // CHECK: %[[GQA:[a-z0-9]+]] = tt.attention %[[MHA]] heads(8) kv_heads(2) head_dim(16) window(1024) softcap(50.0) scale(0.0625) rope<theta = 1000000.0, scaling = yarn, factor = 4.0, original_max_position = 1024, beta_fast = 16.0, beta_slow = 2.0, attention_factor = 1.5> q(%[[GQ]] : tensor<128x64xbf16>) k(%[[GK]] : tensor<32x64xbf16>) v(%[[GV]] : tensor<32x64xbf16>) o(%[[GO]] : tensor<64x128xbf16>) q_norm(%[[HN]] : tensor<16xbf16>) k_norm(%[[HN]] : tensor<16xbf16>) qk_norm_eps(1.0e-06) : tensor<?x?x64xf32>
  %gqa = tt.attention %mha heads(8) kv_heads(2) head_dim(16) window(1024) softcap(50.0) scale(0.0625) rope<theta = 1000000.0, scaling = yarn, factor = 4.0, original_max_position = 1024, beta_fast = 16.0, beta_slow = 2.0, attention_factor = 1.5> q(%gq : tensor<128x64xbf16>) k(%gk : tensor<32x64xbf16>) v(%gv : tensor<32x64xbf16>) o(%go : tensor<64x128xbf16>) q_norm(%hn : tensor<16xbf16>) k_norm(%hn : tensor<16xbf16>) qk_norm_eps(1.0e-06) : tensor<?x?x64xf32>
  // MQA, non-causal, ALiBi, qk norms over the whole projections.
  // CHECK: %[[MK:[a-z0-9]+]] = tt.weight "mqa.k.weight" : tensor<8x64xbf16>
  %mk = tt.weight "mqa.k.weight" : tensor<8x64xbf16>
  // CHECK: %[[QN:[a-z0-9]+]] = tt.weight "mqa.q_norm.weight" : tensor<64xbf16>
  %qn = tt.weight "mqa.q_norm.weight" : tensor<64xbf16>
  // CHECK: %[[KN:[a-z0-9]+]] = tt.weight "mqa.k_norm.weight" : tensor<8xbf16>
  %kn = tt.weight "mqa.k_norm.weight" : tensor<8xbf16>
  // CHECK: %[[MQA:[a-z0-9]+]] = tt.attention %[[GQA]] heads(8) kv_heads(1) noncausal alibi q(%[[WQ]] : tensor<64x64xbf16>) k(%[[MK]] : tensor<8x64xbf16>) v(%[[MK]] : tensor<8x64xbf16>) o(%[[WO]] : tensor<64x64xbf16>) q_norm(%[[QN]] : tensor<64xbf16>) k_norm(%[[KN]] : tensor<8xbf16>) : tensor<?x?x64xf32>
  %mqa = tt.attention %gqa heads(8) kv_heads(1) noncausal alibi q(%wq : tensor<64x64xbf16>) k(%mk : tensor<8x64xbf16>) v(%mk : tensor<8x64xbf16>) o(%wo : tensor<64x64xbf16>) q_norm(%qn : tensor<64xbf16>) k_norm(%kn : tensor<8xbf16>) : tensor<?x?x64xf32>
  // Dynamic NTK rope scaling (4 heads of 16).
  // CHECK: %[[WKV32:[a-z0-9]+]] = tt.weight "kv32.weight" : tensor<32x64xbf16>
  %wkv32 = tt.weight "kv32.weight" : tensor<32x64xbf16>
  // CHECK: %[[DYN:[a-z0-9]+]] = tt.attention %[[MQA]] heads(4) kv_heads(2) rope<theta = 10000.0, scaling = dynamic, factor = 2.0, original_max_position = 2048> q(%[[WQ]] : tensor<64x64xbf16>) k(%[[WKV32]] : tensor<32x64xbf16>) v(%[[WKV32]] : tensor<32x64xbf16>) o(%[[WO]] : tensor<64x64xbf16>) : tensor<?x?x64xf32>
  %dyn = tt.attention %mqa heads(4) kv_heads(2) rope<theta = 10000.0, scaling = dynamic, factor = 2.0, original_max_position = 2048> q(%wq : tensor<64x64xbf16>) k(%wkv32 : tensor<32x64xbf16>) v(%wkv32 : tensor<32x64xbf16>) o(%wo : tensor<64x64xbf16>) : tensor<?x?x64xf32>
  // Llama 3.1 frequency-band scaling.
  // CHECK: %[[L3:[a-z0-9]+]] = tt.attention %[[DYN]] heads(8) kv_heads(4) rope<theta = 500000.0, scaling = llama3, factor = 8.0, original_max_position = 8192, low_freq_factor = 2.0, high_freq_factor = 8.0> q(%[[WQ]] : tensor<64x64xbf16>) k(%[[WKV32]] : tensor<32x64xbf16>) v(%[[WKV32]] : tensor<32x64xbf16>) o(%[[WO]] : tensor<64x64xbf16>) : tensor<?x?x64xf32>
  %l3 = tt.attention %dyn heads(8) kv_heads(4) rope<theta = 500000.0, scaling = llama3, factor = 8.0, original_max_position = 8192, low_freq_factor = 2.0, high_freq_factor = 8.0> q(%wq : tensor<64x64xbf16>) k(%wkv32 : tensor<32x64xbf16>) v(%wkv32 : tensor<32x64xbf16>) o(%wo : tensor<64x64xbf16>) : tensor<?x?x64xf32>
  // Partial rotary (Phi, GPT-NeoX): 4 of 8 dimensions rotate.
  // CHECK: %[[PART:[a-z0-9]+]] = tt.attention %[[L3]] heads(8) kv_heads(8) rope<theta = 10000.0, partial = 0.5> q(%[[WQ]] : tensor<64x64xbf16>) k(%[[WKV]] : tensor<64x64xbf16>) v(%[[WKV]] : tensor<64x64xbf16>) o(%[[WO]] : tensor<64x64xbf16>) : tensor<?x?x64xf32>
  %part = tt.attention %l3 heads(8) kv_heads(8) rope<theta = 10000.0, partial = 0.5> q(%wq : tensor<64x64xbf16>) k(%wkv : tensor<64x64xbf16>) v(%wkv : tensor<64x64xbf16>) o(%wo : tensor<64x64xbf16>) : tensor<?x?x64xf32>
  return %part : tensor<?x?x64xf32>
}

//===----------------------------------------------------------------------===//
// tt.mlp
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @mlp(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
func.func @mlp(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // CHECK: %[[UP:[a-z0-9]+]] = tt.weight "mlp.up.weight" : tensor<128x64xbf16>
  %up = tt.weight "mlp.up.weight" : tensor<128x64xbf16>
  // CHECK: %[[GATE:[a-z0-9]+]] = tt.weight "mlp.gate.weight" : tensor<128x64xbf16>
  %gate = tt.weight "mlp.gate.weight" : tensor<128x64xbf16>
  // CHECK: %[[DOWN:[a-z0-9]+]] = tt.weight "mlp.down.weight" : tensor<64x128xbf16>
  %down = tt.weight "mlp.down.weight" : tensor<64x128xbf16>
  // CHECK: %[[UB:[a-z0-9]+]] = tt.weight "mlp.up.bias" : tensor<128xbf16>
  %ub = tt.weight "mlp.up.bias" : tensor<128xbf16>
  // CHECK: %[[GB:[a-z0-9]+]] = tt.weight "mlp.gate.bias" : tensor<128xbf16>
  %gb = tt.weight "mlp.gate.bias" : tensor<128xbf16>
  // CHECK: %[[DB:[a-z0-9]+]] = tt.weight "mlp.down.bias" : tensor<64xbf16>
  %db = tt.weight "mlp.down.bias" : tensor<64xbf16>
  // Gated (SwiGLU) with every bias.
  // CHECK: %[[V0:[a-z0-9]+]] = tt.mlp silu %[[X]] up(%[[UP]] : tensor<128x64xbf16>) gate(%[[GATE]] : tensor<128x64xbf16>) down(%[[DOWN]] : tensor<64x128xbf16>) up_bias(%[[UB]] : tensor<128xbf16>) gate_bias(%[[GB]] : tensor<128xbf16>) down_bias(%[[DB]] : tensor<64xbf16>) : tensor<?x?x64xf32>
  %0 = tt.mlp silu %x up(%up : tensor<128x64xbf16>) gate(%gate : tensor<128x64xbf16>) down(%down : tensor<64x128xbf16>) up_bias(%ub : tensor<128xbf16>) gate_bias(%gb : tensor<128xbf16>) down_bias(%db : tensor<64xbf16>) : tensor<?x?x64xf32>
  // Ungated (GPT-2) with up and down biases.
  // CHECK: %[[V1:[a-z0-9]+]] = tt.mlp gelu %[[V0]] up(%[[UP]] : tensor<128x64xbf16>) down(%[[DOWN]] : tensor<64x128xbf16>) up_bias(%[[UB]] : tensor<128xbf16>) down_bias(%[[DB]] : tensor<64xbf16>) : tensor<?x?x64xf32>
  %1 = tt.mlp gelu %0 up(%up : tensor<128x64xbf16>) down(%down : tensor<64x128xbf16>) up_bias(%ub : tensor<128xbf16>) down_bias(%db : tensor<64xbf16>) : tensor<?x?x64xf32>
  // CHECK: %[[V2:[a-z0-9]+]] = tt.mlp gelu_tanh %[[V1]] up(%[[UP]] : tensor<128x64xbf16>) gate(%[[GATE]] : tensor<128x64xbf16>) down(%[[DOWN]] : tensor<64x128xbf16>) : tensor<?x?x64xf32>
  %2 = tt.mlp gelu_tanh %1 up(%up : tensor<128x64xbf16>) gate(%gate : tensor<128x64xbf16>) down(%down : tensor<64x128xbf16>) : tensor<?x?x64xf32>
  // CHECK: %[[V3:[a-z0-9]+]] = tt.mlp relu %[[V2]] up(%[[UP]] : tensor<128x64xbf16>) down(%[[DOWN]] : tensor<64x128xbf16>) : tensor<?x?x64xf32>
  %3 = tt.mlp relu %2 up(%up : tensor<128x64xbf16>) down(%down : tensor<64x128xbf16>) : tensor<?x?x64xf32>
  // CHECK: %[[V4:[a-z0-9]+]] = tt.mlp swish %[[V3]] up(%[[UP]] : tensor<128x64xbf16>) gate(%[[GATE]] : tensor<128x64xbf16>) down(%[[DOWN]] : tensor<64x128xbf16>) : tensor<?x?x64xf32>
  %4 = tt.mlp swish %3 up(%up : tensor<128x64xbf16>) gate(%gate : tensor<128x64xbf16>) down(%down : tensor<64x128xbf16>) : tensor<?x?x64xf32>
  return %4 : tensor<?x?x64xf32>
}

//===----------------------------------------------------------------------===//
// tt.moe
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @moe(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
func.func @moe(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // CHECK: %[[ROUTER:[a-z0-9]+]] = tt.weight "moe.gate.weight" : tensor<4x64xbf16>
  %router = tt.weight "moe.gate.weight" : tensor<4x64xbf16>
  // CHECK: %[[RBIAS:[a-z0-9]+]] = tt.weight "moe.gate.e_score_correction_bias" : tensor<4xf32>
  %rbias = tt.weight "moe.gate.e_score_correction_bias" : tensor<4xf32>
  // CHECK: %[[GATE:[a-z0-9]+]] = tt.weight "moe.experts.{e}.gate_proj.weight" : tensor<4x32x64xbf16>
  %gate = tt.weight "moe.experts.{e}.gate_proj.weight" : tensor<4x32x64xbf16>
  // CHECK: %[[UP:[a-z0-9]+]] = tt.weight "moe.experts.{e}.up_proj.weight" : tensor<4x32x64xbf16>
  %up = tt.weight "moe.experts.{e}.up_proj.weight" : tensor<4x32x64xbf16>
  // CHECK: %[[DOWN:[a-z0-9]+]] = tt.weight "moe.experts.{e}.down_proj.weight" : tensor<4x64x32xbf16>
  %down = tt.weight "moe.experts.{e}.down_proj.weight" : tensor<4x64x32xbf16>
  // CHECK: %[[SG:[a-z0-9]+]] = tt.weight "moe.shared_experts.gate_proj.weight" : tensor<96x64xbf16>
  %sg = tt.weight "moe.shared_experts.gate_proj.weight" : tensor<96x64xbf16>
  // CHECK: %[[SU:[a-z0-9]+]] = tt.weight "moe.shared_experts.up_proj.weight" : tensor<96x64xbf16>
  %su = tt.weight "moe.shared_experts.up_proj.weight" : tensor<96x64xbf16>
  // CHECK: %[[SD:[a-z0-9]+]] = tt.weight "moe.shared_experts.down_proj.weight" : tensor<64x96xbf16>
  %sd = tt.weight "moe.shared_experts.down_proj.weight" : tensor<64x96xbf16>
  // CHECK: %[[SR:[a-z0-9]+]] = tt.weight "moe.shared_expert_gate.weight" : tensor<1x64xbf16>
  %sr = tt.weight "moe.shared_expert_gate.weight" : tensor<1x64xbf16>
  // Mixtral: softmax_renorm over gated experts.
  // CHECK: %[[V0:[a-z0-9]+]] = tt.moe silu %[[X]] experts(4) top_k(2) softmax_renorm router(%[[ROUTER]] : tensor<4x64xbf16>) gate(%[[GATE]] : tensor<4x32x64xbf16>) up(%[[UP]] : tensor<4x32x64xbf16>) down(%[[DOWN]] : tensor<4x64x32xbf16>) : tensor<?x?x64xf32>
  %0 = tt.moe silu %x experts(4) top_k(2) softmax_renorm router(%router : tensor<4x64xbf16>) gate(%gate : tensor<4x32x64xbf16>) up(%up : tensor<4x32x64xbf16>) down(%down : tensor<4x64x32xbf16>) : tensor<?x?x64xf32>
  // DeepSeek-V3: sigmoid_renorm, router bias, 3 shared experts.
  // CHECK: %[[V1:[a-z0-9]+]] = tt.moe silu %[[V0]] experts(4) top_k(2) shared_experts(3) sigmoid_renorm router(%[[ROUTER]] : tensor<4x64xbf16>) router_bias(%[[RBIAS]] : tensor<4xf32>) gate(%[[GATE]] : tensor<4x32x64xbf16>) up(%[[UP]] : tensor<4x32x64xbf16>) down(%[[DOWN]] : tensor<4x64x32xbf16>) shared_gate(%[[SG]] : tensor<96x64xbf16>) shared_up(%[[SU]] : tensor<96x64xbf16>) shared_down(%[[SD]] : tensor<64x96xbf16>) : tensor<?x?x64xf32>
  %1 = tt.moe silu %0 experts(4) top_k(2) shared_experts(3) sigmoid_renorm router(%router : tensor<4x64xbf16>) router_bias(%rbias : tensor<4xf32>) gate(%gate : tensor<4x32x64xbf16>) up(%up : tensor<4x32x64xbf16>) down(%down : tensor<4x64x32xbf16>) shared_gate(%sg : tensor<96x64xbf16>) shared_up(%su : tensor<96x64xbf16>) shared_down(%sd : tensor<64x96xbf16>) : tensor<?x?x64xf32>
  // Qwen2-MoE: softmax, one shared expert behind a sigmoid gate.
  // CHECK: %[[V2:[a-z0-9]+]] = tt.moe silu %[[V1]] experts(4) top_k(4) shared_experts(1) softmax router(%[[ROUTER]] : tensor<4x64xbf16>) gate(%[[GATE]] : tensor<4x32x64xbf16>) up(%[[UP]] : tensor<4x32x64xbf16>) down(%[[DOWN]] : tensor<4x64x32xbf16>) shared_gate(%[[SG]] : tensor<96x64xbf16>) shared_up(%[[SU]] : tensor<96x64xbf16>) shared_down(%[[SD]] : tensor<64x96xbf16>) shared_router(%[[SR]] : tensor<1x64xbf16>) : tensor<?x?x64xf32>
  %2 = tt.moe silu %1 experts(4) top_k(4) shared_experts(1) softmax router(%router : tensor<4x64xbf16>) gate(%gate : tensor<4x32x64xbf16>) up(%up : tensor<4x32x64xbf16>) down(%down : tensor<4x64x32xbf16>) shared_gate(%sg : tensor<96x64xbf16>) shared_up(%su : tensor<96x64xbf16>) shared_down(%sd : tensor<64x96xbf16>) shared_router(%sr : tensor<1x64xbf16>) : tensor<?x?x64xf32>
  // Ungated experts with plain sigmoid scores.
  // CHECK: %[[V3:[a-z0-9]+]] = tt.moe gelu %[[V2]] experts(4) top_k(1) sigmoid router(%[[ROUTER]] : tensor<4x64xbf16>) up(%[[UP]] : tensor<4x32x64xbf16>) down(%[[DOWN]] : tensor<4x64x32xbf16>) : tensor<?x?x64xf32>
  %3 = tt.moe gelu %2 experts(4) top_k(1) sigmoid router(%router : tensor<4x64xbf16>) up(%up : tensor<4x32x64xbf16>) down(%down : tensor<4x64x32xbf16>) : tensor<?x?x64xf32>
  return %3 : tensor<?x?x64xf32>
}

//===----------------------------------------------------------------------===//
// tt.lm_head
//===----------------------------------------------------------------------===//

// Tied: the head reads the embedding table's own tt.weight value.
// CHECK-LABEL: func.func @lm_head_tied(
// CHECK-SAME: %[[TOKENS:[a-z0-9]+]]: tensor<?x?xi32>) -> tensor<?x?x128xf32> {
func.func @lm_head_tied(%tokens: tensor<?x?xi32>) -> tensor<?x?x128xf32> {
  // CHECK: %[[EMB:[a-z0-9]+]] = tt.weight "model.embed_tokens.weight" : tensor<128x64xbf16>
  %emb = tt.weight "model.embed_tokens.weight" : tensor<128x64xbf16>
  // CHECK: %[[H:[a-z0-9]+]] = tt.embedding %[[TOKENS]] table(%[[EMB]] : tensor<128x64xbf16>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  %h = tt.embedding %tokens table(%emb : tensor<128x64xbf16>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  // CHECK: %[[LOGITS:[a-z0-9]+]] = tt.lm_head %[[H]] weight(%[[EMB]] : tensor<128x64xbf16>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  %logits = tt.lm_head %h weight(%emb : tensor<128x64xbf16>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  return %logits : tensor<?x?x128xf32>
}

// Untied, with a final logit softcap and a bias.
// CHECK-LABEL: func.func @lm_head_untied(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x8x64xf32>) -> tensor<2x8x128xf32> {
func.func @lm_head_untied(%x: tensor<2x8x64xf32>) -> tensor<2x8x128xf32> {
  // CHECK: %[[W:[a-z0-9]+]] = tt.weight "lm_head.weight" : tensor<128x64xbf16>
  %w = tt.weight "lm_head.weight" : tensor<128x64xbf16>
  // CHECK: %[[B:[a-z0-9]+]] = tt.weight "lm_head.bias" : tensor<128xbf16>
  %b = tt.weight "lm_head.bias" : tensor<128xbf16>
  // CHECK: %[[LOGITS:[a-z0-9]+]] = tt.lm_head %[[X]] softcap(30.0) weight(%[[W]] : tensor<128x64xbf16>) bias(%[[B]] : tensor<128xbf16>) : tensor<2x8x64xf32> -> tensor<2x8x128xf32>
  %logits = tt.lm_head %x softcap(30.0) weight(%w : tensor<128x64xbf16>) bias(%b : tensor<128xbf16>) : tensor<2x8x64xf32> -> tensor<2x8x128xf32>
  return %logits : tensor<2x8x128xf32>
}

//===----------------------------------------------------------------------===//
// tt.unsupported
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unsupported(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x?x64xf32>, %[[MASK:[a-z0-9]+]]: tensor<?x?xi1>) -> (tensor<?x?x64xf32>, tensor<?x?x64xf32>) {
func.func @unsupported(%x: tensor<?x?x64xf32>, %mask: tensor<?x?xi1>) -> (tensor<?x?x64xf32>, tensor<?x?x64xf32>) {
  // CHECK: %[[A:[a-z0-9]+]] = tt.weight "mla.kv_a_proj.weight" : tensor<32x64xbf16>
  %a = tt.weight "mla.kv_a_proj.weight" : tensor<32x64xbf16>
  // CHECK: %[[B:[a-z0-9]+]] = tt.weight "mla.kv_a_norm.weight" : tensor<32xbf16>
  %b = tt.weight "mla.kv_a_norm.weight" : tensor<32xbf16>
  // CHECK: %[[V0:[a-z0-9]+]] = tt.unsupported "multi_head_latent_attention"(%[[X]] : tensor<?x?x64xf32>) weights(%[[A]], %[[B]] : tensor<32x64xbf16>, tensor<32xbf16>) {kv_lora_rank = 32 : i64, note = "mla"} -> tensor<?x?x64xf32>
  %0 = tt.unsupported "multi_head_latent_attention" (%x : tensor<?x?x64xf32>) weights(%a, %b : tensor<32x64xbf16>, tensor<32xbf16>) {kv_lora_rank = 32 : i64, note = "mla"} -> tensor<?x?x64xf32>
  // CHECK: %[[V1:[a-z0-9]+]]:2 = tt.unsupported "two_stream"(%[[X]], %[[MASK]] : tensor<?x?x64xf32>, tensor<?x?xi1>) weights() -> tensor<?x?x64xf32>, tensor<?x?x64xf32>
  %1:2 = tt.unsupported "two_stream" (%x, %mask : tensor<?x?x64xf32>, tensor<?x?xi1>) weights() -> tensor<?x?x64xf32>, tensor<?x?x64xf32>
  // CHECK: %[[V2:[a-z0-9]+]] = tt.unsupported "constant_stream"() weights(%[[A]] : tensor<32x64xbf16>) -> tensor<4x64xf32>
  %2 = tt.unsupported "constant_stream" () weights(%a : tensor<32x64xbf16>) -> tensor<4x64xf32>
  return %0, %1#1 : tensor<?x?x64xf32>, tensor<?x?x64xf32>
}

//===----------------------------------------------------------------------===//
// tt.layer / tt.yield
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @layers(
// CHECK-SAME: %[[TOKENS:[a-z0-9]+]]: tensor<?x?xi32>) -> tensor<?x?x128xf32> attributes {tt.max_position_embeddings = 2048 : i64} {
func.func @layers(%tokens: tensor<?x?xi32>) -> tensor<?x?x128xf32> attributes {tt.max_position_embeddings = 2048 : i64} {
  // CHECK: %[[EMB:[a-z0-9]+]] = tt.weight "embed.weight" : tensor<128x64xf32>
  %emb = tt.weight "embed.weight" : tensor<128x64xf32>
  // CHECK: %[[X:[a-z0-9]+]] = tt.embedding %[[TOKENS]] table(%[[EMB]] : tensor<128x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  %x = tt.embedding %tokens table(%emb : tensor<128x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  // CHECK: %[[Y0:[a-z0-9]+]] = tt.layer 0 (%[[H:[a-z0-9]+]] = %[[X]]) : tensor<?x?x64xf32> {
  %y0 = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
    // CHECK: %[[NW:[a-z0-9]+]] = tt.weight "layers.0.norm.weight" : tensor<64xf32>
    %nw = tt.weight "layers.0.norm.weight" : tensor<64xf32>
    // CHECK: %[[N:[a-z0-9]+]] = tt.norm rms pre %[[H]] eps(1.0e-05) weight(%[[NW]] : tensor<64xf32>) : tensor<?x?x64xf32>
    %n = tt.norm rms pre %h eps(1.0e-05) weight(%nw : tensor<64xf32>) : tensor<?x?x64xf32>
    // CHECK: %[[WQ:[a-z0-9]+]] = tt.weight "layers.0.q.weight" : tensor<64x64xf32>
    %wq = tt.weight "layers.0.q.weight" : tensor<64x64xf32>
    // CHECK: %[[WK:[a-z0-9]+]] = tt.weight "layers.0.k.weight" : tensor<32x64xf32>
    %wk = tt.weight "layers.0.k.weight" : tensor<32x64xf32>
    // CHECK: %[[WV:[a-z0-9]+]] = tt.weight "layers.0.v.weight" : tensor<32x64xf32>
    %wv = tt.weight "layers.0.v.weight" : tensor<32x64xf32>
    // CHECK: %[[WO:[a-z0-9]+]] = tt.weight "layers.0.o.weight" : tensor<64x64xf32>
    %wo = tt.weight "layers.0.o.weight" : tensor<64x64xf32>
    // Rope parameters written at their defaults are elided.
    // CHECK: %[[A:[a-z0-9]+]] = tt.attention %[[N]] heads(8) kv_heads(4) rope<theta = 10000.0> q(%[[WQ]] : tensor<64x64xf32>) k(%[[WK]] : tensor<32x64xf32>) v(%[[WV]] : tensor<32x64xf32>) o(%[[WO]] : tensor<64x64xf32>) : tensor<?x?x64xf32>
    %a = tt.attention %n heads(8) kv_heads(4) rope<theta = 10000.0, partial = 1.0, scaling = none, factor = 1.0, original_max_position = 0, beta_fast = 32.0> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
    // CHECK: %[[R:[a-z0-9]+]] = tt.add %[[H]], %[[A]] : tensor<?x?x64xf32>
    %r = tt.add %h, %a : tensor<?x?x64xf32>
    // CHECK: tt.yield %[[R]] : tensor<?x?x64xf32>
    tt.yield %r : tensor<?x?x64xf32>
  }
  // CHECK: %[[Y1:[a-z0-9]+]] = tt.layer 1 (%[[H:[a-z0-9]+]] = %[[Y0]]) : tensor<?x?x64xf32> {
  %y1 = tt.layer 1 (%h = %y0) : tensor<?x?x64xf32> {
    // CHECK: %[[NW:[a-z0-9]+]] = tt.weight "layers.1.norm.weight" : tensor<64xf32>
    %nw = tt.weight "layers.1.norm.weight" : tensor<64xf32>
    // CHECK: %[[N:[a-z0-9]+]] = tt.norm rms pre %[[H]] eps(1.0e-05) weight(%[[NW]] : tensor<64xf32>) : tensor<?x?x64xf32>
    %n = tt.norm rms pre %h eps(1.0e-05) weight(%nw : tensor<64xf32>) : tensor<?x?x64xf32>
    // CHECK: %[[UP:[a-z0-9]+]] = tt.weight "layers.1.up.weight" : tensor<128x64xf32>
    %up = tt.weight "layers.1.up.weight" : tensor<128x64xf32>
    // CHECK: %[[GATE:[a-z0-9]+]] = tt.weight "layers.1.gate.weight" : tensor<128x64xf32>
    %gate = tt.weight "layers.1.gate.weight" : tensor<128x64xf32>
    // CHECK: %[[DOWN:[a-z0-9]+]] = tt.weight "layers.1.down.weight" : tensor<64x128xf32>
    %down = tt.weight "layers.1.down.weight" : tensor<64x128xf32>
    // CHECK: %[[M:[a-z0-9]+]] = tt.mlp silu %[[N]] up(%[[UP]] : tensor<128x64xf32>) gate(%[[GATE]] : tensor<128x64xf32>) down(%[[DOWN]] : tensor<64x128xf32>) : tensor<?x?x64xf32>
    %m = tt.mlp silu %n up(%up : tensor<128x64xf32>) gate(%gate : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) : tensor<?x?x64xf32>
    // CHECK: %[[R:[a-z0-9]+]] = tt.add %[[H]], %[[M]] : tensor<?x?x64xf32>
    %r = tt.add %h, %m : tensor<?x?x64xf32>
    // CHECK: tt.yield %[[R]] : tensor<?x?x64xf32>
    tt.yield %r : tensor<?x?x64xf32>
  }
  // Discardable attributes on a layer survive the round trip.
  // CHECK: %[[Y2:[a-z0-9]+]] = tt.layer 2 (%[[H:[a-z0-9]+]] = %[[Y1]]) : tensor<?x?x64xf32> attributes {note = "identity"} {
  %y2 = tt.layer 2 (%h = %y1) : tensor<?x?x64xf32> attributes {note = "identity"} {
    // CHECK: tt.yield %[[H]] : tensor<?x?x64xf32>
    tt.yield %h : tensor<?x?x64xf32>
  }
  // CHECK: %[[FW:[a-z0-9]+]] = tt.weight "norm.weight" : tensor<64xf32>
  %fw = tt.weight "norm.weight" : tensor<64xf32>
  // CHECK: %[[F:[a-z0-9]+]] = tt.norm rms final %[[Y2]] eps(1.0e-05) weight(%[[FW]] : tensor<64xf32>) : tensor<?x?x64xf32>
  %f = tt.norm rms final %y2 eps(1.0e-05) weight(%fw : tensor<64xf32>) : tensor<?x?x64xf32>
  // CHECK: %[[LOGITS:[a-z0-9]+]] = tt.lm_head %[[F]] weight(%[[EMB]] : tensor<128x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  %logits = tt.lm_head %f weight(%emb : tensor<128x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  return %logits : tensor<?x?x128xf32>
}

}
