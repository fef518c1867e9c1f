// RUN: tt-opt %s -split-input-file -verify-diagnostics

// Every rule of the tt verifiers (TTOps.cpp, TTAttributes.cpp, TTDialect.cpp),
// one case each, with the exact message and the numbers that disagree.

//===----------------------------------------------------------------------===//
// tt.weight
//===----------------------------------------------------------------------===//

func.func @weight_empty_name() {
  // expected-error @+1 {{'tt.weight' op weight name must not be empty}}
  %0 = tt.weight "" : tensor<4x4xf32>
  return
}

// -----

func.func @weight_rank0() {
  // expected-error @+1 {{'tt.weight' op weight must have rank at least 1}}
  %0 = tt.weight "scalar" : tensor<f32>
  return
}

// -----

func.func @weight_transposed_vector() {
  // expected-error @+1 {{'tt.weight' op only a matrix can be stored transposed, but the weight has rank 1}}
  %0 = tt.weight "bias" transposed : tensor<64xf32>
  return
}

// -----

func.func @weight_shard_dim_alone() {
  // expected-error @+1 {{'tt.weight' op 'shard_dim' and 'shard_parts' go together}}
  %0 = tt.weight "w" {shard_dim = 0 : i64} : tensor<4x64xf32>
  return
}

// -----

func.func @weight_shard_dim_out_of_range() {
  // expected-error @+1 {{'tt.weight' op shard_dim 2 is not a dimension of a rank-2 weight}}
  %0 = tt.weight "w" {shard_dim = 2 : i64, shard_parts = 2 : i64} : tensor<4x64xf32>
  return
}

// -----

func.func @weight_shard_parts_zero() {
  // expected-error @+1 {{'tt.weight' op shard_parts must be positive, but is 0}}
  %0 = tt.weight "w" {shard_dim = 0 : i64, shard_parts = 0 : i64} : tensor<4x64xf32>
  return
}

// -----

func.func @weight_stored_type_not_element() {
  // expected-error @+1 {{'tt.weight' op stored_type must be a float, integer or !tt.quant element type, but is 'tensor<4xf32>'}}
  %0 = tt.weight "w" {stored_type = tensor<4xf32>} : tensor<4x64xf32>
  return
}

// -----

func.func @weight_transposed_3d() {
  // expected-error @+1 {{'tt.weight' op only a matrix can be stored transposed, but the weight has rank 3}}
  %0 = tt.weight "experts.{e}.w1" transposed : tensor<4x32x64xf32>
  return
}

// -----

func.func @weight_quant_block_q4_0() {
  // expected-error @+1 {{'tt.weight' op last dimension 100 is not a multiple of the q4_0 block size 32}}
  %0 = tt.weight "blk.0.attn_q.weight" : tensor<64x100x!tt.quant<q4_0>>
  return
}

// -----

func.func @weight_quant_block_q4_k() {
  // expected-error @+1 {{'tt.weight' op last dimension 128 is not a multiple of the q4_k block size 256}}
  %0 = tt.weight "blk.0.ffn_up.weight" : tensor<64x128x!tt.quant<q4_k>>
  return
}

// -----

func.func @weight_per_expert_rank1() {
  // expected-error @+1 {{'tt.weight' op a per-expert weight ('{e}' in the name) must have a leading expert dimension, but has rank 1}}
  %0 = tt.weight "experts.{e}.bias" : tensor<64xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// tt.embedding
//===----------------------------------------------------------------------===//

func.func @embedding_table_rank(%t: tensor<?x?xi32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "embed" : tensor<4x128x64xf32>
  // expected-error @+1 {{'tt.embedding' op table must be [vocab, hidden], got rank 3}}
  %0 = tt.embedding %t table(%w : tensor<4x128x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @embedding_result_hidden(%t: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
  %w = tt.weight "embed" : tensor<128x64xf32>
  // expected-error @+1 {{'tt.embedding' op result shape [?, ?, 32] must be the token shape followed by hidden 64: [?, ?, 64]}}
  %0 = tt.embedding %t table(%w : tensor<128x64xf32>) : tensor<?x?xi32> -> tensor<?x?x32xf32>
  return %0 : tensor<?x?x32xf32>
}

// -----

func.func @embedding_result_rank(%t: tensor<2x8xi32>) -> tensor<16x64xf32> {
  %w = tt.weight "embed" : tensor<128x64xf32>
  // expected-error @+1 {{'tt.embedding' op result shape [16, 64] must be the token shape followed by hidden 64: [2, 8, 64]}}
  %0 = tt.embedding %t table(%w : tensor<128x64xf32>) : tensor<2x8xi32> -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

func.func @embedding_positions_shape(%t: tensor<?x?xi32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "wte" : tensor<128x64xf32>
  %p = tt.weight "wpe" : tensor<256x32xf32>
  // expected-error @+1 {{'tt.embedding' op positions weight has shape [256, 32] but the spec needs [256, 64] (max_positions 256, hidden 64)}}
  %0 = tt.embedding %t table(%w : tensor<128x64xf32>) positions(%p : tensor<256x32xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @embedding_positions_rows(%t: tensor<?x?xi32>) -> tensor<?x?x64xf32> attributes {tt.max_position_embeddings = 1024 : i64} {
  %w = tt.weight "wte" : tensor<128x64xf32>
  %p = tt.weight "wpe" : tensor<512x64xf32>
  // expected-error @+1 {{'tt.embedding' op learned position table has 512 rows but max_position_embeddings is 1024}}
  %0 = tt.embedding %t table(%w : tensor<128x64xf32>) positions(%p : tensor<512x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @embedding_scale_zero(%t: tensor<?x?xi32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "embed" : tensor<128x64xf32>
  // expected-error @+1 {{'tt.embedding' op embedding scale must be positive, got 0.000000e+00}}
  %0 = tt.embedding %t scale(0.0) table(%w : tensor<128x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @embedding_scale_negative(%t: tensor<?x?xi32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "embed" : tensor<128x64xf32>
  // expected-error @+1 {{'tt.embedding' op embedding scale must be positive, got -8.000000e+00}}
  %0 = tt.embedding %t scale(-8.0) table(%w : tensor<128x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// tt.norm
//===----------------------------------------------------------------------===//

func.func @norm_eps_zero(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.norm' op eps must be positive, got 0.000000e+00}}
  %0 = tt.norm rms pre %x eps(0.0) : tensor<?x?x64xf32>
  %1 = tt.unsupported "mixer"(%0 : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_eps_negative(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.norm' op eps must be positive, got -1.000000e-05}}
  %0 = tt.norm layer pre %x eps(-1.0e-05) : tensor<?x?x64xf32>
  %1 = tt.unsupported "mixer"(%0 : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_weight_shape(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "norm.weight" : tensor<32xf32>
  // expected-error @+1 {{'tt.norm' op scale weight has shape [32] but the spec needs [64] (hidden 64)}}
  %0 = tt.norm rms pre %x eps(1.0e-05) weight(%w : tensor<32xf32>) : tensor<?x?x64xf32>
  %1 = tt.unsupported "mixer"(%0 : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_weight_rank(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "norm.weight" : tensor<1x64xf32>
  // expected-error @+1 {{'tt.norm' op scale weight has shape [1, 64] but the spec needs [64] (hidden 64)}}
  %0 = tt.norm rms pre %x eps(1.0e-05) weight(%w : tensor<1x64xf32>) : tensor<?x?x64xf32>
  %1 = tt.unsupported "mixer"(%0 : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_bias_shape(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "ln.weight" : tensor<64xf32>
  %b = tt.weight "ln.bias" : tensor<63xf32>
  // expected-error @+1 {{'tt.norm' op bias weight has shape [63] but the spec needs [64] (hidden 64)}}
  %0 = tt.norm layer pre %x eps(1.0e-05) weight(%w : tensor<64xf32>) bias(%b : tensor<63xf32>) : tensor<?x?x64xf32>
  %1 = tt.unsupported "mixer"(%0 : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_rms_bias(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %w = tt.weight "norm.weight" : tensor<64xf32>
  %b = tt.weight "norm.bias" : tensor<64xf32>
  // expected-error @+1 {{'tt.norm' op only a layer norm has a bias; RMSNorm has none}}
  %0 = tt.norm rms pre %x eps(1.0e-05) weight(%w : tensor<64xf32>) bias(%b : tensor<64xf32>) : tensor<?x?x64xf32>
  %1 = tt.unsupported "mixer"(%0 : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_zero_centered_no_weight(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.norm' op zero_centered needs a scale weight}}
  %0 = tt.norm rms pre %x eps(1.0e-06) zero_centered : tensor<?x?x64xf32>
  %1 = tt.unsupported "mixer"(%0 : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_pre_feeds_add(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.norm' op is a pre-norm, so it must feed sublayers (attention, mlp, moe), but it feeds 'tt.add'}}
  %0 = tt.norm rms pre %x eps(1.0e-05) : tensor<?x?x64xf32>
  %1 = tt.add %x, %0 : tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_pre_feeds_return(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.norm' op is a pre-norm, so it must feed sublayers (attention, mlp, moe), but it feeds 'func.return'}}
  %0 = tt.norm rms pre %x eps(1.0e-05) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @norm_pre_feeds_sublayer_and_add(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %up = tt.weight "up" : tensor<128x64xf32>
  %down = tt.weight "down" : tensor<64x128xf32>
  // expected-error @+1 {{'tt.norm' op is a pre-norm, so it must feed sublayers (attention, mlp, moe), but it feeds 'tt.add'}}
  %0 = tt.norm rms pre %x eps(1.0e-05) : tensor<?x?x64xf32>
  %1 = tt.mlp gelu %0 up(%up : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) : tensor<?x?x64xf32>
  %2 = tt.add %0, %1 : tensor<?x?x64xf32>
  return %2 : tensor<?x?x64xf32>
}

// -----

func.func @norm_post_from_block_argument(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.norm' op is a post-norm, so its input must come from a sublayer (attention, mlp, moe), but it comes from a block argument}}
  %0 = tt.norm rms post %x eps(1.0e-05) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @norm_post_from_add(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %0 = tt.add %x, %x : tensor<?x?x64xf32>
  // expected-error @+1 {{'tt.norm' op is a post-norm, so its input must come from a sublayer (attention, mlp, moe), but it comes from 'tt.add'}}
  %1 = tt.norm rms post %0 eps(1.0e-05) : tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_final_feeds_mlp(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %up = tt.weight "up" : tensor<128x64xf32>
  %down = tt.weight "down" : tensor<64x128xf32>
  // expected-error @+1 {{'tt.norm' op is a final norm, so it must feed tt.lm_head, but it feeds 'tt.mlp'}}
  %0 = tt.norm rms final %x eps(1.0e-05) : tensor<?x?x64xf32>
  %1 = tt.mlp gelu %0 up(%up : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) : tensor<?x?x64xf32>
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @norm_final_feeds_return(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.norm' op is a final norm, so it must feed tt.lm_head, but it feeds 'func.return'}}
  %0 = tt.norm layer final %x eps(1.0e-05) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// tt.attention
//===----------------------------------------------------------------------===//

func.func @attention_heads_zero(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op num_heads must be at least 1, got 0}}
  %0 = tt.attention %x heads(0) kv_heads(1) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_kv_heads_zero(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op num_kv_heads must be at least 1, got 0}}
  %0 = tt.attention %x heads(8) kv_heads(0) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_kv_exceeds_heads(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op num_kv_heads (16) must not exceed num_heads (8)}}
  %0 = tt.attention %x heads(8) kv_heads(16) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_heads_not_multiple_of_kv(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op num_heads (8) must be a multiple of num_kv_heads (3) so that query heads share KV heads evenly}}
  %0 = tt.attention %x heads(8) kv_heads(3) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_head_dim_zero(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op head_dim must be at least 1, got 0}}
  %0 = tt.attention %x heads(8) kv_heads(8) head_dim(0) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_hidden_not_divisible(%x: tensor<?x?x60xf32>, %w: tensor<64x60xf32>) -> tensor<?x?x60xf32> {
  // expected-error @+1 {{'tt.attention' op hidden size 60 is not divisible by num_heads 8; give head_dim explicitly}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%w : tensor<64x60xf32>) k(%w : tensor<64x60xf32>) v(%w : tensor<64x60xf32>) o(%w : tensor<64x60xf32>) : tensor<?x?x60xf32>
  return %0 : tensor<?x?x60xf32>
}

// -----

func.func @attention_window_zero(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op sliding window must be at least 1, got 0}}
  %0 = tt.attention %x heads(8) kv_heads(8) window(0) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_window_exceeds_max_positions(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> attributes {tt.max_position_embeddings = 2048 : i64} {
  // expected-error @+1 {{'tt.attention' op sliding window 4096 exceeds max_position_embeddings 2048}}
  %0 = tt.attention %x heads(8) kv_heads(8) window(4096) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_softcap(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op attention logit softcap must be positive, got 0.000000e+00}}
  %0 = tt.attention %x heads(8) kv_heads(8) softcap(0.0) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_scale(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op attention scale must be positive, got -1.250000e-01}}
  %0 = tt.attention %x heads(8) kv_heads(8) scale(-0.125) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_rope_and_alibi(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op rope and alibi are exclusive position encodings}}
  %0 = tt.attention %x heads(8) kv_heads(8) alibi rope<theta = 10000.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_rotary_dims_odd(%x: tensor<?x?x48xf32>, %w: tensor<48x48xf32>) -> tensor<?x?x48xf32> {
  // head_dim 6 x partial 0.5 = 3 rotated dimensions.
  // expected-error @+1 {{'tt.attention' op rotary dims must be even and at least 2, but head_dim 6 x partial 5.000000e-01 gives 3}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, partial = 0.5> q(%w : tensor<48x48xf32>) k(%w : tensor<48x48xf32>) v(%w : tensor<48x48xf32>) o(%w : tensor<48x48xf32>) : tensor<?x?x48xf32>
  return %0 : tensor<?x?x48xf32>
}

// -----

func.func @attention_rotary_dims_too_few(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // head_dim 8 x partial 0.2 = 1.6, floored to 1.
  // expected-error @+1 {{'tt.attention' op rotary dims must be even and at least 2, but head_dim 8 x partial 2.000000e-01 gives 1}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, partial = 0.2> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_q_shape(%x: tensor<?x?x64xf32>, %wq: tensor<128x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op q weight has shape [128, 64] but the spec needs [64, 64] (heads 8 x head_dim 8, hidden 64)}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%wq : tensor<128x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_k_shape(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %wkv: tensor<16x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op k weight has shape [64, 64] but the spec needs [16, 64] (kv_heads 2 x head_dim 8, hidden 64)}}
  %0 = tt.attention %x heads(8) kv_heads(2) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%wkv : tensor<16x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_v_shape(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %wkv: tensor<16x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op v weight has shape [64, 64] but the spec needs [16, 64] (kv_heads 2 x head_dim 8, hidden 64)}}
  %0 = tt.attention %x heads(8) kv_heads(2) q(%w : tensor<64x64xf32>) k(%wkv : tensor<16x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_o_shape(%x: tensor<?x?x64xf32>, %wq: tensor<128x64xf32>, %wkv: tensor<32x64xf32>, %wo: tensor<128x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op o weight has shape [128, 64] but the spec needs [64, 128] (hidden 64, heads 8 x head_dim 16)}}
  %0 = tt.attention %x heads(8) kv_heads(2) head_dim(16) q(%wq : tensor<128x64xf32>) k(%wkv : tensor<32x64xf32>) v(%wkv : tensor<32x64xf32>) o(%wo : tensor<128x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_q_bias_shape(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %b: tensor<32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op q_bias weight has shape [32] but the spec needs [64] (heads 8 x head_dim 8)}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) q_bias(%b : tensor<32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_k_bias_shape(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %wkv: tensor<16x64xf32>, %b: tensor<64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op k_bias weight has shape [64] but the spec needs [16] (kv_heads 2 x head_dim 8)}}
  %0 = tt.attention %x heads(8) kv_heads(2) q(%w : tensor<64x64xf32>) k(%wkv : tensor<16x64xf32>) v(%wkv : tensor<16x64xf32>) o(%w : tensor<64x64xf32>) q_bias(%b : tensor<64xf32>) k_bias(%b : tensor<64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_v_bias_shape(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %wkv: tensor<16x64xf32>, %bkv: tensor<16xf32>, %b: tensor<64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op v_bias weight has shape [64] but the spec needs [16] (kv_heads 2 x head_dim 8)}}
  %0 = tt.attention %x heads(8) kv_heads(2) q(%w : tensor<64x64xf32>) k(%wkv : tensor<16x64xf32>) v(%wkv : tensor<16x64xf32>) o(%w : tensor<64x64xf32>) k_bias(%bkv : tensor<16xf32>) v_bias(%b : tensor<64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_o_bias_shape(%x: tensor<?x?x64xf32>, %wq: tensor<128x64xf32>, %wkv: tensor<32x64xf32>, %wo: tensor<64x128xf32>, %b: tensor<128xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op o_bias weight has shape [128] but the spec needs [64] (hidden 64)}}
  %0 = tt.attention %x heads(8) kv_heads(2) head_dim(16) q(%wq : tensor<128x64xf32>) k(%wkv : tensor<32x64xf32>) v(%wkv : tensor<32x64xf32>) o(%wo : tensor<64x128xf32>) o_bias(%b : tensor<128xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_q_norm_without_k_norm(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %n: tensor<8xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op q_norm and k_norm come together}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) q_norm(%n : tensor<8xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_k_norm_without_q_norm(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %n: tensor<8xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op q_norm and k_norm come together}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) k_norm(%n : tensor<8xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_q_norm_shape(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %wkv: tensor<16x64xf32>, %qn: tensor<16xf32>, %kn: tensor<8xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op q_norm weight has shape [16] but the spec needs [8] (per head) or [64] (heads 8 x head_dim 8)}}
  %0 = tt.attention %x heads(8) kv_heads(2) q(%w : tensor<64x64xf32>) k(%wkv : tensor<16x64xf32>) v(%wkv : tensor<16x64xf32>) o(%w : tensor<64x64xf32>) q_norm(%qn : tensor<16xf32>) k_norm(%kn : tensor<8xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_q_norm_rank(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %qn: tensor<8x8xf32>, %kn: tensor<8xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op q_norm weight has shape [8, 8] but the spec needs [8] (per head) or [64] (heads 8 x head_dim 8)}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) q_norm(%qn : tensor<8x8xf32>) k_norm(%kn : tensor<8xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_k_norm_shape(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %wkv: tensor<16x64xf32>, %qn: tensor<64xf32>) -> tensor<?x?x64xf32> {
  // The full-projection k_norm of 2 KV heads is [16], not q's [64].
  // expected-error @+1 {{'tt.attention' op k_norm weight has shape [64] but the spec needs [8] (per head) or [16] (kv_heads 2 x head_dim 8)}}
  %0 = tt.attention %x heads(8) kv_heads(2) q(%w : tensor<64x64xf32>) k(%wkv : tensor<16x64xf32>) v(%wkv : tensor<16x64xf32>) o(%w : tensor<64x64xf32>) q_norm(%qn : tensor<64xf32>) k_norm(%qn : tensor<64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_qk_norm_eps_without_norms(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op qk_norm_eps is given but there is no q_norm/k_norm}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) qk_norm_eps(1.0e-06) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @attention_qk_norm_eps_zero(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %n: tensor<8xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op qk_norm_eps must be positive, got 0.000000e+00}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) q_norm(%n : tensor<8xf32>) k_norm(%n : tensor<8xf32>) qk_norm_eps(0.0) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// tt.mlp
//===----------------------------------------------------------------------===//

func.func @mlp_up_rank(%x: tensor<?x?x64xf32>, %up: tensor<2x128x64xf32>, %down: tensor<64x128xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.mlp' op up weight must be [intermediate, hidden], got [2, 128, 64]}}
  %0 = tt.mlp silu %x up(%up : tensor<2x128x64xf32>) down(%down : tensor<64x128xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @mlp_up_shape(%x: tensor<?x?x64xf32>, %up: tensor<128x32xf32>, %down: tensor<64x128xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.mlp' op up weight has shape [128, 32] but the spec needs [128, 64] (intermediate 128, hidden 64)}}
  %0 = tt.mlp silu %x up(%up : tensor<128x32xf32>) down(%down : tensor<64x128xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @mlp_gate_shape(%x: tensor<?x?x64xf32>, %up: tensor<128x64xf32>, %gate: tensor<256x64xf32>, %down: tensor<64x128xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.mlp' op gate weight has shape [256, 64] but the spec needs [128, 64] (intermediate 128, hidden 64)}}
  %0 = tt.mlp silu %x up(%up : tensor<128x64xf32>) gate(%gate : tensor<256x64xf32>) down(%down : tensor<64x128xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @mlp_down_shape(%x: tensor<?x?x64xf32>, %up: tensor<128x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.mlp' op down weight has shape [128, 64] but the spec needs [64, 128] (hidden 64, intermediate 128)}}
  %0 = tt.mlp gelu %x up(%up : tensor<128x64xf32>) down(%up : tensor<128x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @mlp_up_bias_shape(%x: tensor<?x?x64xf32>, %up: tensor<128x64xf32>, %down: tensor<64x128xf32>, %b: tensor<64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.mlp' op up_bias weight has shape [64] but the spec needs [128] (intermediate 128)}}
  %0 = tt.mlp gelu %x up(%up : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) up_bias(%b : tensor<64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @mlp_gate_bias_shape(%x: tensor<?x?x64xf32>, %up: tensor<128x64xf32>, %down: tensor<64x128xf32>, %b: tensor<64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.mlp' op gate_bias weight has shape [64] but the spec needs [128] (intermediate 128)}}
  %0 = tt.mlp silu %x up(%up : tensor<128x64xf32>) gate(%up : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) gate_bias(%b : tensor<64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @mlp_down_bias_shape(%x: tensor<?x?x64xf32>, %up: tensor<128x64xf32>, %down: tensor<64x128xf32>, %b: tensor<128xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.mlp' op down_bias weight has shape [128] but the spec needs [64] (hidden 64)}}
  %0 = tt.mlp gelu %x up(%up : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) down_bias(%b : tensor<128xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @mlp_gate_bias_without_gate(%x: tensor<?x?x64xf32>, %up: tensor<128x64xf32>, %down: tensor<64x128xf32>, %b: tensor<128xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.mlp' op gate_bias needs a gate weight}}
  %0 = tt.mlp gelu %x up(%up : tensor<128x64xf32>) down(%down : tensor<64x128xf32>) gate_bias(%b : tensor<128xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// tt.moe
//===----------------------------------------------------------------------===//

func.func @moe_experts_zero(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op num_experts must be at least 1, got 0}}
  %0 = tt.moe silu %x experts(0) top_k(1) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_top_k_zero(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op top_k (0) must be between 1 and num_experts (4)}}
  %0 = tt.moe silu %x experts(4) top_k(0) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_top_k_exceeds_experts(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op top_k (5) must be between 1 and num_experts (4)}}
  %0 = tt.moe silu %x experts(4) top_k(5) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_up_rank(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<128x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op up weight must be [experts, intermediate, hidden], got [128, 64]}}
  %0 = tt.moe silu %x experts(4) top_k(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<128x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_router_shape(%x: tensor<?x?x64xf32>, %r: tensor<8x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op router weight has shape [8, 64] but the spec needs [4, 64] (experts 4, hidden 64)}}
  %0 = tt.moe silu %x experts(4) top_k(2) softmax router(%r : tensor<8x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_router_bias_shape(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %rb: tensor<8xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op router_bias weight has shape [8] but the spec needs [4] (experts 4)}}
  %0 = tt.moe silu %x experts(4) top_k(2) sigmoid_renorm router(%r : tensor<4x64xf32>) router_bias(%rb : tensor<8xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_up_experts(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<8x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op up weight has shape [8, 32, 64] but the spec needs [4, 32, 64] (experts 4, intermediate 32, hidden 64)}}
  %0 = tt.moe silu %x experts(4) top_k(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<8x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_gate_shape(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %g: tensor<4x16x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op gate weight has shape [4, 16, 64] but the spec needs [4, 32, 64] (experts 4, intermediate 32, hidden 64)}}
  %0 = tt.moe silu %x experts(4) top_k(2) softmax router(%r : tensor<4x64xf32>) gate(%g : tensor<4x16x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_down_shape(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op down weight has shape [4, 32, 64] but the spec needs [4, 64, 32] (experts 4, hidden 64, intermediate 32)}}
  %0 = tt.moe silu %x experts(4) top_k(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%u : tensor<4x32x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_experts_zero(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_experts must be at least 1, got 0}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(0) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_count_without_weights(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_experts(2) needs shared_up and shared_down weights}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_count_without_down(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %su: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_experts(1) needs shared_up and shared_down weights}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(1) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_up(%su : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_weights_without_count(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %su: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared expert weights are given but shared_experts is not set}}
  %0 = tt.moe silu %x experts(4) top_k(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_up(%su : tensor<64x64xf32>) shared_down(%su : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_router_without_count(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %sr: tensor<1x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared expert weights are given but shared_experts is not set}}
  %0 = tt.moe silu %x experts(4) top_k(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_router(%sr : tensor<1x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_up_not_multiple(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %su: tensor<100x64xf32>, %sd: tensor<64x100xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_up weight has shape [100, 64] but the spec needs [shared_experts 3 x intermediate, hidden 64]}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(3) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_up(%su : tensor<100x64xf32>) shared_down(%sd : tensor<64x100xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_up_rank(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %sd: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_up weight has shape [4, 32, 64] but the spec needs [shared_experts 2 x intermediate, hidden 64]}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_up(%u : tensor<4x32x64xf32>) shared_down(%sd : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_up_hidden(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %su: tensor<64x32xf32>, %sd: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_up weight has shape [64, 32] but the spec needs [64, 64] (shared intermediate 64, hidden 64)}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_up(%su : tensor<64x32xf32>) shared_down(%sd : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_gate_shape(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %sg: tensor<32x64xf32>, %su: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_gate weight has shape [32, 64] but the spec needs [64, 64] (shared intermediate 64, hidden 64)}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_gate(%sg : tensor<32x64xf32>) shared_up(%su : tensor<64x64xf32>) shared_down(%su : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_down_shape(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %su: tensor<128x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_down weight has shape [128, 64] but the spec needs [64, 128] (hidden 64, shared intermediate 128)}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(2) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_up(%su : tensor<128x64xf32>) shared_down(%su : tensor<128x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @moe_shared_router_shape(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x32x64xf32>, %d: tensor<4x64x32xf32>, %su: tensor<64x64xf32>, %sr: tensor<64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.moe' op shared_router weight has shape [64] but the spec needs [1, 64] (hidden 64)}}
  %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(1) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x32x64xf32>) down(%d : tensor<4x64x32xf32>) shared_up(%su : tensor<64x64xf32>) shared_down(%su : tensor<64x64xf32>) shared_router(%sr : tensor<64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// tt.lm_head
//===----------------------------------------------------------------------===//

func.func @lm_head_weight_rank(%x: tensor<?x?x64xf32>, %w: tensor<128xf32>) -> tensor<?x?x128xf32> {
  // expected-error @+1 {{'tt.lm_head' op weight must be [vocab, hidden], got [128]}}
  %0 = tt.lm_head %x weight(%w : tensor<128xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  return %0 : tensor<?x?x128xf32>
}

// -----

func.func @lm_head_weight_hidden(%x: tensor<?x?x64xf32>, %w: tensor<128x32xf32>) -> tensor<?x?x128xf32> {
  // expected-error @+1 {{'tt.lm_head' op lm_head weight has shape [128, 32] but the spec needs [128, 64] (vocab 128, hidden 64)}}
  %0 = tt.lm_head %x weight(%w : tensor<128x32xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  return %0 : tensor<?x?x128xf32>
}

// -----

func.func @lm_head_bias_shape(%x: tensor<?x?x64xf32>, %w: tensor<128x64xf32>, %b: tensor<64xf32>) -> tensor<?x?x128xf32> {
  // expected-error @+1 {{'tt.lm_head' op bias weight has shape [64] but the spec needs [128] (vocab 128)}}
  %0 = tt.lm_head %x weight(%w : tensor<128x64xf32>) bias(%b : tensor<64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  return %0 : tensor<?x?x128xf32>
}

// -----

func.func @lm_head_logits_vocab(%x: tensor<?x?x64xf32>, %w: tensor<128x64xf32>) -> tensor<?x?x100xf32> {
  // expected-error @+1 {{'tt.lm_head' op logits shape [?, ?, 100] must be the input shape with vocab 128 last: [?, ?, 128]}}
  %0 = tt.lm_head %x weight(%w : tensor<128x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x100xf32>
  return %0 : tensor<?x?x100xf32>
}

// -----

func.func @lm_head_logits_batch(%x: tensor<2x8x64xf32>, %w: tensor<128x64xf32>) -> tensor<4x8x128xf32> {
  // expected-error @+1 {{'tt.lm_head' op logits shape [4, 8, 128] must be the input shape with vocab 128 last: [2, 8, 128]}}
  %0 = tt.lm_head %x weight(%w : tensor<128x64xf32>) : tensor<2x8x64xf32> -> tensor<4x8x128xf32>
  return %0 : tensor<4x8x128xf32>
}

// -----

func.func @lm_head_softcap(%x: tensor<?x?x64xf32>, %w: tensor<128x64xf32>) -> tensor<?x?x128xf32> {
  // expected-error @+1 {{'tt.lm_head' op final logit softcap must be positive, got -3.000000e+01}}
  %0 = tt.lm_head %x softcap(-30.0) weight(%w : tensor<128x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x128xf32>
  return %0 : tensor<?x?x128xf32>
}

// -----

//===----------------------------------------------------------------------===//
// tt.unsupported
//===----------------------------------------------------------------------===//

func.func @unsupported_empty_kind(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.unsupported' op unsupported layer kind must not be empty}}
  %0 = tt.unsupported ""(%x : tensor<?x?x64xf32>) weights() -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// tt.layer / tt.yield
//===----------------------------------------------------------------------===//

func.func @layer_negative_index(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.layer' op layer index must not be negative, got -1}}
  %0 = tt.layer -1 (%h = %x) : tensor<?x?x64xf32> {
    tt.yield %h : tensor<?x?x64xf32>
  }
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @layer_first_index(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.layer' op the first layer must have index 0, got 1}}
  %0 = tt.layer 1 (%h = %x) : tensor<?x?x64xf32> {
    tt.yield %h : tensor<?x?x64xf32>
  }
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @layer_index_gap(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %0 = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
    tt.yield %h : tensor<?x?x64xf32>
  }
  // expected-error @+1 {{'tt.layer' op layer index 2 does not follow the previous layer's index 0}}
  %1 = tt.layer 2 (%h = %0) : tensor<?x?x64xf32> {
    tt.yield %h : tensor<?x?x64xf32>
  }
  return %1 : tensor<?x?x64xf32>
}

// -----

func.func @layer_index_repeated(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %0 = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
    tt.yield %h : tensor<?x?x64xf32>
  }
  %1 = tt.add %0, %0 : tensor<?x?x64xf32>
  // Ops between layers do not reset the numbering.
  // expected-error @+1 {{'tt.layer' op layer index 0 does not follow the previous layer's index 0}}
  %2 = tt.layer 0 (%h = %1) : tensor<?x?x64xf32> {
    tt.yield %h : tensor<?x?x64xf32>
  }
  return %2 : tensor<?x?x64xf32>
}

// -----

func.func @layer_yield_type(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %0 = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
    %y = tt.unsupported "narrowing"(%h : tensor<?x?x64xf32>) weights() -> tensor<?x?x32xf32>
    // expected-error @+1 {{'tt.yield' op yields 'tensor<?x?x32xf32>' but the layer carries 'tensor<?x?x64xf32>'}}
    tt.yield %y : tensor<?x?x32xf32>
  }
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @layer_block_argument_type(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.layer' op body must take one argument of type 'tensor<?x?x64xf32>'}}
  %0 = "tt.layer"(%x) <{index = 0 : i64}> ({
  ^bb0(%h: tensor<?x?x32xf32>):
    "tt.yield"(%h) : (tensor<?x?x32xf32>) -> ()
  }) : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @layer_block_argument_count(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.layer' op body must take one argument of type 'tensor<?x?x64xf32>'}}
  %0 = "tt.layer"(%x) <{index = 0 : i64}> ({
  ^bb0(%h: tensor<?x?x64xf32>, %g: tensor<?x?x64xf32>):
    "tt.yield"(%h) : (tensor<?x?x64xf32>) -> ()
  }) : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @layer_body_terminator(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.layer' op body must end in tt.yield}}
  %0 = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
    llvm.unreachable
  }
  return %0 : tensor<?x?x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// #tt.rope
//===----------------------------------------------------------------------===//

func.func @rope_theta(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{rope theta must be positive, got 0.000000e+00}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 0.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_partial_above_one(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{rope partial rotary fraction must be in (0, 1], got 1.500000e+00}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, partial = 1.5> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_partial_zero(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{rope partial rotary fraction must be in (0, 1], got 0.000000e+00}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, partial = 0.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_factor(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{rope scaling 'linear' needs factor >= 1, got 5.000000e-01}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, scaling = linear, factor = 0.5> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_original_max_position_negative(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{rope original_max_position must not be negative, got -1}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, scaling = dynamic, factor = 2.0, original_max_position = -1> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_llama3_original_max_position(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{rope scaling 'llama3' needs original_max_position}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 500000.0, scaling = llama3, factor = 8.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_yarn_original_max_position(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{rope scaling 'yarn' needs original_max_position}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, scaling = yarn, factor = 4.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_llama3_freq_factors(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{llama3 rope scaling needs low_freq_factor (4.000000e+00) < high_freq_factor (1.000000e+00)}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 500000.0, scaling = llama3, factor = 8.0, original_max_position = 8192, low_freq_factor = 4.0, high_freq_factor = 1.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_llama3_equal_freq_factors(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{llama3 rope scaling needs low_freq_factor (2.000000e+00) < high_freq_factor (2.000000e+00)}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 500000.0, scaling = llama3, factor = 8.0, original_max_position = 8192, low_freq_factor = 2.0, high_freq_factor = 2.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_yarn_betas(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{yarn rope scaling needs beta_slow (3.200000e+01) < beta_fast (1.000000e+00)}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, scaling = yarn, factor = 4.0, original_max_position = 4096, beta_fast = 1.0, beta_slow = 32.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @rope_attention_factor(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{rope attention_factor must not be negative, got -1.000000e+00}}
  %0 = tt.attention %x heads(8) kv_heads(8) rope<theta = 10000.0, scaling = yarn, factor = 4.0, original_max_position = 4096, attention_factor = -1.0> q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

// An attribute error points at the attribute, here on the line below the op.
func.func @rope_location(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  %0 = tt.attention %x heads(8) kv_heads(8)
      // expected-error @below {{rope theta must be positive, got -1.000000e+04}}
      rope<theta = -10000.0>
      q(%w : tensor<64x64xf32>) k(%w : tensor<64x64xf32>) v(%w : tensor<64x64xf32>) o(%w : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

//===----------------------------------------------------------------------===//
// #tt.hardware
//===----------------------------------------------------------------------===//

// expected-error @+1 {{hardware device must not be empty}}
module attributes {tt.hardware = #tt.hardware<device = "">} {}

// -----

// expected-error @+1 {{tensor_parallel must be at least 1, got 0}}
module attributes {tt.hardware = #tt.hardware<tensor_parallel = 0>} {}

// -----

// expected-error @+1 {{pipeline_parallel must be at least 1, got -2}}
module attributes {tt.hardware = #tt.hardware<pipeline_parallel = -2>} {}

// -----

// expected-error @+1 {{weight_dtype must be a float, integer or !tt.quant type, got 'index'}}
module attributes {tt.hardware = #tt.hardware<weight_dtype = index>} {}

// -----

// expected-error @+1 {{kv_cache_dtype must be one of f32, f16, bf16, i8, f8E4M3FN, f8E5M2; got 'f64'}}
module attributes {tt.hardware = #tt.hardware<kv_cache_dtype = f64>} {}

// -----

// expected-error @+1 {{kv_cache_dtype must be one of f32, f16, bf16, i8, f8E4M3FN, f8E5M2; got 'i4'}}
module attributes {tt.hardware = #tt.hardware<kv_cache_dtype = i4>} {}

// -----

module {
  // expected-error @+1 {{'tt.hardware' belongs on a builtin.module}}
  func.func @hardware_on_func() attributes {tt.hardware = #tt.hardware<device = "h100">} {
    return
  }
}

// -----

// expected-error @+1 {{'tt.hardware' must be a #tt.hardware attribute}}
module attributes {tt.hardware = "h100"} {}

// -----

module attributes {tt.hardware = #tt.hardware<tensor_parallel = 4>} {
  func.func @tp_heads(%x: tensor<?x?x48xf32>, %w: tensor<48x48xf32>) -> tensor<?x?x48xf32> {
    // expected-error @+1 {{'tt.attention' op tensor_parallel = 4 (from tt.hardware) does not divide num_heads = 6}}
    %0 = tt.attention %x heads(6) kv_heads(6) q(%w : tensor<48x48xf32>) k(%w : tensor<48x48xf32>) v(%w : tensor<48x48xf32>) o(%w : tensor<48x48xf32>) : tensor<?x?x48xf32>
    return %0 : tensor<?x?x48xf32>
  }
}

// -----

module attributes {tt.hardware = #tt.hardware<tensor_parallel = 4>} {
  func.func @tp_kv_heads(%x: tensor<?x?x96xf32>, %w: tensor<96x96xf32>, %wkv: tensor<48x96xf32>) -> tensor<?x?x96xf32> {
    // 6 KV heads over 4 devices: neither divides the other.
    // expected-error @+1 {{'tt.attention' op tensor_parallel = 4 (from tt.hardware) and num_kv_heads = 6 must divide one another (KV heads are split, or replicated when there are fewer than devices)}}
    %0 = tt.attention %x heads(12) kv_heads(6) q(%w : tensor<96x96xf32>) k(%wkv : tensor<48x96xf32>) v(%wkv : tensor<48x96xf32>) o(%w : tensor<96x96xf32>) : tensor<?x?x96xf32>
    return %0 : tensor<?x?x96xf32>
  }
}

// -----

module attributes {tt.hardware = #tt.hardware<tensor_parallel = 4>} {
  func.func @tp_intermediate(%x: tensor<?x?x64xf32>, %up: tensor<130x64xf32>, %down: tensor<64x130xf32>) -> tensor<?x?x64xf32> {
    // expected-error @+1 {{'tt.mlp' op tensor_parallel = 4 (from tt.hardware) does not divide intermediate size = 130}}
    %0 = tt.mlp gelu %x up(%up : tensor<130x64xf32>) down(%down : tensor<64x130xf32>) : tensor<?x?x64xf32>
    return %0 : tensor<?x?x64xf32>
  }
}

// -----

module attributes {tt.hardware = #tt.hardware<tensor_parallel = 4>} {
  func.func @tp_expert_intermediate(%x: tensor<?x?x64xf32>, %r: tensor<6x64xf32>, %u: tensor<6x34x64xf32>, %d: tensor<6x64x34xf32>) -> tensor<?x?x64xf32> {
    // expected-error @+1 {{'tt.moe' op tensor_parallel = 4 (from tt.hardware) divides neither num_experts = 6 (expert parallelism) nor the expert intermediate size = 34 (tensor-parallel experts)}}
    %0 = tt.moe silu %x experts(6) top_k(2) softmax router(%r : tensor<6x64xf32>) up(%u : tensor<6x34x64xf32>) down(%d : tensor<6x64x34xf32>) : tensor<?x?x64xf32>
    return %0 : tensor<?x?x64xf32>
  }
}

// -----

module attributes {tt.hardware = #tt.hardware<pipeline_parallel = 4>} {
  // expected-error @+1 {{'func.func' op pipeline_parallel = 4 (from tt.hardware) exceeds the model's 2 layers}}
  func.func @pp_layers(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
    %0 = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
      tt.yield %h : tensor<?x?x64xf32>
    }
    %1 = tt.layer 1 (%h = %0) : tensor<?x?x64xf32> {
      tt.yield %h : tensor<?x?x64xf32>
    }
    return %1 : tensor<?x?x64xf32>
  }
}

// -----

//===----------------------------------------------------------------------===//
// tt.max_position_embeddings and unknown tt.* attributes
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'tt.max_position_embeddings' must be a positive integer}}
func.func @max_positions_zero() attributes {tt.max_position_embeddings = 0 : i64} {
  return
}

// -----

// expected-error @+1 {{'tt.max_position_embeddings' must be a positive integer}}
func.func @max_positions_negative() attributes {tt.max_position_embeddings = -4096 : i64} {
  return
}

// -----

// expected-error @+1 {{'tt.max_position_embeddings' must be a positive integer}}
func.func @max_positions_not_integer() attributes {tt.max_position_embeddings = 4096.0 : f64} {
  return
}

// -----

// expected-error @+1 {{unknown tt attribute 'tt.max_positions'}}
func.func @unknown_attribute() attributes {tt.max_positions = 4096 : i64} {
  return
}

// -----

// Expert parallelism: 4 devices hold one of the 4 experts each, although
// the expert intermediate size (34) does not split 4 ways; the shared
// expert is split tensor-parallel and must divide.
module attributes {tt.hardware = #tt.hardware<tensor_parallel = 4>} {
  func.func @tp_shared_expert(%x: tensor<?x?x64xf32>, %r: tensor<4x64xf32>, %u: tensor<4x34x64xf32>, %d: tensor<4x64x34xf32>, %su: tensor<34x64xf32>, %sd: tensor<64x34xf32>) -> tensor<?x?x64xf32> {
    // expected-error @+1 {{'tt.moe' op tensor_parallel = 4 (from tt.hardware) does not divide shared expert intermediate size = 34}}
    %0 = tt.moe silu %x experts(4) top_k(2) shared_experts(1) softmax router(%r : tensor<4x64xf32>) up(%u : tensor<4x34x64xf32>) down(%d : tensor<4x64x34xf32>) shared_up(%su : tensor<34x64xf32>) shared_down(%sd : tensor<64x34xf32>) : tensor<?x?x64xf32>
    return %0 : tensor<?x?x64xf32>
  }
}

// -----

// The hardware check runs before the ops' own verifiers; a malformed weight
// must reach the op's diagnostic, not crash it.
module attributes {tt.hardware = #tt.hardware<tensor_parallel = 2>} {
  func.func @hardware_before_op_verifier(%x: tensor<?x?x64xf32>, %u: tensor<f32>, %d: tensor<64x128xf32>) -> tensor<?x?x64xf32> {
    // expected-error @+1 {{'tt.mlp' op up weight must be [intermediate, hidden], got []}}
    %0 = tt.mlp silu %x up(%u : tensor<f32>) down(%d : tensor<64x128xf32>) : tensor<?x?x64xf32>
    return %0 : tensor<?x?x64xf32>
  }
}

// -----

func.func @positions_rank(%t: tensor<?x?xi32>, %w: tensor<128x64xf32>, %p: tensor<f32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.embedding' op positions must be [max_positions, hidden], got []}}
  %0 = tt.embedding %t table(%w : tensor<128x64xf32>) positions(%p : tensor<f32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @window_negative(%x: tensor<?x?x64xf32>, %q: tensor<64x64xf32>, %o: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op sliding window must be at least 1, got -1}}
  %0 = tt.attention %x heads(8) kv_heads(8) window(-1) q(%q : tensor<64x64xf32>) k(%q : tensor<64x64xf32>) v(%q : tensor<64x64xf32>) o(%o : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @head_dim_negative(%x: tensor<?x?x64xf32>, %q: tensor<64x64xf32>, %o: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op head_dim must be at least 1, got -8}}
  %0 = tt.attention %x heads(8) kv_heads(8) head_dim(-8) q(%q : tensor<64x64xf32>) k(%q : tensor<64x64xf32>) v(%q : tensor<64x64xf32>) o(%o : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}

// -----

func.func @dynamic_hidden(%x: tensor<?x?x?xf32>, %q: tensor<64x64xf32>, %o: tensor<64x64xf32>) -> tensor<?x?x?xf32> {
  // expected-error @+1 {{'tt.attention' op hidden size (the input's last dimension) must be static}}
  %0 = tt.attention %x heads(8) kv_heads(8) q(%q : tensor<64x64xf32>) k(%q : tensor<64x64xf32>) v(%q : tensor<64x64xf32>) o(%o : tensor<64x64xf32>) : tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// -----

func.func @softcap_infinite(%x: tensor<?x?x64xf32>, %q: tensor<64x64xf32>, %o: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'tt.attention' op attention logit softcap must be positive, got INF}}
  %0 = tt.attention %x heads(8) kv_heads(8) softcap(0x7FF0000000000000) q(%q : tensor<64x64xf32>) k(%q : tensor<64x64xf32>) v(%q : tensor<64x64xf32>) o(%o : tensor<64x64xf32>) : tensor<?x?x64xf32>
  return %0 : tensor<?x?x64xf32>
}
