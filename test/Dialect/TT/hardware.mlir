// RUN: tt-opt %s -split-input-file | FileCheck %s
// RUN: tt-opt %s -split-input-file | tt-opt -split-input-file | FileCheck %s
// RUN: tt-opt %s -split-input-file -mlir-print-op-generic | tt-opt -split-input-file | FileCheck %s

// #tt.hardware parses and prints; parameters equal to their defaults are
// elided, the others print in declaration order whatever order they were
// written in; and tensor-parallel configurations that split or replicate KV
// heads verify against the model.

// Every parameter written out, each away from its default.
// CHECK: module attributes {tt.hardware = #tt.hardware<device = "h100", tensor_parallel = 2, pipeline_parallel = 2, weight_dtype = bf16, quantize_weights = true, quantize_activations = true, kv_cache_dtype = f16, flash_attention = false, fused_kernels = false, activation_checkpointing = true, optimize_for_inference = false>}
module attributes {tt.hardware = #tt.hardware<device = "h100", tensor_parallel = 2, pipeline_parallel = 2, weight_dtype = bf16, quantize_weights = true, quantize_activations = true, kv_cache_dtype = f16, flash_attention = false, fused_kernels = false, activation_checkpointing = true, optimize_for_inference = false>} {}

// -----

// Every parameter written out at its default: all of them are elided.
// CHECK: module attributes {tt.hardware = #tt.hardware<>}
module attributes {tt.hardware = #tt.hardware<device = "cpu", tensor_parallel = 1, pipeline_parallel = 1, quantize_weights = false, quantize_activations = false, flash_attention = true, fused_kernels = true, activation_checkpointing = false, optimize_for_inference = true>} {}

// -----

// CHECK: module attributes {tt.hardware = #tt.hardware<>}
module attributes {tt.hardware = #tt.hardware<>} {}

// -----

// Defaults mixed with other values; parameters written out of order.
// CHECK: module attributes {tt.hardware = #tt.hardware<device = "wormhole_b0", tensor_parallel = 4, kv_cache_dtype = i8>}
module attributes {tt.hardware = #tt.hardware<kv_cache_dtype = i8, flash_attention = true, tensor_parallel = 4, pipeline_parallel = 1, device = "wormhole_b0">} {}

// -----

// An attribute alias is printed inline.
#hw = #tt.hardware<device = "cpu", activation_checkpointing = true>
// CHECK: module attributes {tt.hardware = #tt.hardware<activation_checkpointing = true>}
module attributes {tt.hardware = #hw} {}

// -----

// Storage types: quantised and integer weights; every allowed KV-cache type.
// The attribute is not verified against a model when it is not `tt.hardware`.
// CHECK-LABEL: func.func @dtypes()
// CHECK-SAME: bf16_kv = #tt.hardware<kv_cache_dtype = bf16>
// CHECK-SAME: f32_kv = #tt.hardware<kv_cache_dtype = f32>
// CHECK-SAME: f8e4m3 = #tt.hardware<weight_dtype = f8E4M3FN, kv_cache_dtype = f8E4M3FN>
// CHECK-SAME: f8e5m2 = #tt.hardware<kv_cache_dtype = f8E5M2>
// CHECK-SAME: int4 = #tt.hardware<weight_dtype = i4, quantize_weights = true>
// CHECK-SAME: q4_k = #tt.hardware<weight_dtype = !tt.quant<q4_k>, quantize_weights = true, kv_cache_dtype = f16>
// CHECK-SAME: q8_0 = #tt.hardware<weight_dtype = !tt.quant<q8_0>, quantize_weights = true, quantize_activations = true, kv_cache_dtype = i8>
func.func @dtypes() attributes {
    q4_k = #tt.hardware<weight_dtype = !tt.quant<q4_k>, quantize_weights = true, kv_cache_dtype = f16>,
    q8_0 = #tt.hardware<quantize_activations = true, weight_dtype = !tt.quant<q8_0>, quantize_weights = true, kv_cache_dtype = i8>,
    int4 = #tt.hardware<weight_dtype = i4, quantize_weights = true>,
    f32_kv = #tt.hardware<kv_cache_dtype = f32>,
    bf16_kv = #tt.hardware<kv_cache_dtype = bf16>,
    f8e4m3 = #tt.hardware<weight_dtype = f8E4M3FN, kv_cache_dtype = f8E4M3FN>,
    f8e5m2 = #tt.hardware<kv_cache_dtype = f8E5M2>} {
  return
}

// -----

// TP = 8 over 8 KV heads: each device holds one KV head and 4 query heads;
// the MLP intermediate (1024) and the expert intermediate (64) split by 8.
// CHECK: module attributes {tt.hardware = #tt.hardware<device = "h100", tensor_parallel = 8, kv_cache_dtype = bf16>}
// CHECK-LABEL: func.func @tp8_kv8(
// CHECK: tt.attention %{{.*}} heads(32) kv_heads(8) rope<theta = 500000.0>
// CHECK: tt.mlp silu
// CHECK: tt.moe silu %{{.*}} experts(8) top_k(2) softmax_renorm
module attributes {tt.hardware = #tt.hardware<device = "h100", tensor_parallel = 8, kv_cache_dtype = bf16>} {
  func.func @tp8_kv8(%x: tensor<?x?x256xf32>) -> tensor<?x?x256xf32> {
    %wq = tt.weight "q" : tensor<256x256xbf16>
    %wk = tt.weight "k" : tensor<64x256xbf16>
    %wv = tt.weight "v" : tensor<64x256xbf16>
    %wo = tt.weight "o" : tensor<256x256xbf16>
    %a = tt.attention %x heads(32) kv_heads(8) rope<theta = 500000.0> q(%wq : tensor<256x256xbf16>) k(%wk : tensor<64x256xbf16>) v(%wv : tensor<64x256xbf16>) o(%wo : tensor<256x256xbf16>) : tensor<?x?x256xf32>
    %up = tt.weight "up" : tensor<1024x256xbf16>
    %gate = tt.weight "gate" : tensor<1024x256xbf16>
    %down = tt.weight "down" : tensor<256x1024xbf16>
    %m = tt.mlp silu %a up(%up : tensor<1024x256xbf16>) gate(%gate : tensor<1024x256xbf16>) down(%down : tensor<256x1024xbf16>) : tensor<?x?x256xf32>
    %r = tt.weight "router" : tensor<8x256xbf16>
    %eu = tt.weight "experts.{e}.up" : tensor<8x64x256xbf16>
    %ed = tt.weight "experts.{e}.down" : tensor<8x256x64xbf16>
    %e = tt.moe silu %m experts(8) top_k(2) softmax_renorm router(%r : tensor<8x256xbf16>) gate(%eu : tensor<8x64x256xbf16>) up(%eu : tensor<8x64x256xbf16>) down(%ed : tensor<8x256x64xbf16>) : tensor<?x?x256xf32>
    return %e : tensor<?x?x256xf32>
  }
}

// -----

// TP = 8 over 2 KV heads: each KV head is replicated on 4 devices (2 | 8).
// CHECK: module attributes {tt.hardware = #tt.hardware<tensor_parallel = 8>}
// CHECK-LABEL: func.func @tp8_kv2(
// CHECK: tt.attention %{{.*}} heads(16) kv_heads(2)
module attributes {tt.hardware = #tt.hardware<tensor_parallel = 8>} {
  func.func @tp8_kv2(%x: tensor<?x?x128xf32>) -> tensor<?x?x128xf32> {
    %wq = tt.weight "q" : tensor<128x128xbf16>
    %wkv = tt.weight "kv" : tensor<16x128xbf16>
    %a = tt.attention %x heads(16) kv_heads(2) q(%wq : tensor<128x128xbf16>) k(%wkv : tensor<16x128xbf16>) v(%wkv : tensor<16x128xbf16>) o(%wq : tensor<128x128xbf16>) : tensor<?x?x128xf32>
    return %a : tensor<?x?x128xf32>
  }
}

// -----

// TP = 8 with multi-query attention: the one KV head is on every device.
// CHECK: module attributes {tt.hardware = #tt.hardware<tensor_parallel = 8>}
// CHECK-LABEL: func.func @tp8_mqa(
// CHECK: tt.attention %{{.*}} heads(8) kv_heads(1)
module attributes {tt.hardware = #tt.hardware<tensor_parallel = 8>} {
  func.func @tp8_mqa(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
    %wq = tt.weight "q" : tensor<64x64xbf16>
    %wkv = tt.weight "kv" : tensor<8x64xbf16>
    %a = tt.attention %x heads(8) kv_heads(1) q(%wq : tensor<64x64xbf16>) k(%wkv : tensor<8x64xbf16>) v(%wkv : tensor<8x64xbf16>) o(%wq : tensor<64x64xbf16>) : tensor<?x?x64xf32>
    return %a : tensor<?x?x64xf32>
  }
}

// -----

// TP = 2 over 8 KV heads: 4 KV heads per device (8 is a multiple of 2).
// CHECK: module attributes {tt.hardware = #tt.hardware<tensor_parallel = 2>}
// CHECK-LABEL: func.func @tp2_kv8(
// CHECK: tt.attention %{{.*}} heads(8) kv_heads(8)
module attributes {tt.hardware = #tt.hardware<tensor_parallel = 2>} {
  func.func @tp2_kv8(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
    %w = tt.weight "w" : tensor<64x64xbf16>
    %a = tt.attention %x heads(8) kv_heads(8) q(%w : tensor<64x64xbf16>) k(%w : tensor<64x64xbf16>) v(%w : tensor<64x64xbf16>) o(%w : tensor<64x64xbf16>) : tensor<?x?x64xf32>
    return %a : tensor<?x?x64xf32>
  }
}

// -----

// Pipeline parallel as large as the number of layers; a function without
// layers is not constrained.
// CHECK: module attributes {tt.hardware = #tt.hardware<pipeline_parallel = 2>}
// CHECK-LABEL: func.func @pp2(
// CHECK: tt.layer 0
// CHECK: tt.layer 1
// CHECK-LABEL: func.func @no_layers(
module attributes {tt.hardware = #tt.hardware<pipeline_parallel = 2>} {
  func.func @pp2(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
    %0 = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
      tt.yield %h : tensor<?x?x64xf32>
    }
    %1 = tt.layer 1 (%h = %0) : tensor<?x?x64xf32> {
      tt.yield %h : tensor<?x?x64xf32>
    }
    return %1 : tensor<?x?x64xf32>
  }
  func.func @no_layers(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
    return %x : tensor<?x?x64xf32>
  }
}
