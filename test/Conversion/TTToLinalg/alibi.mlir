// RUN: tt-opt %s --convert-tt-to-linalg | FileCheck %s

// ALiBi attention calls ttrt_attention_alibi, which appends this step's keys
// and values to the cache (f32 here: type 0) and adds the per-head bias:
// heads 3, KV heads 3, head_dim 4, no window, scale 1/sqrt(4), no softcap,
// maximum bias 8 by default, 16 where tt.alibi_max_bias says so.
// CHECK-LABEL: func.func @alibi_prefill(
// CHECK: %[[H:.*]] = arith.constant 3 : i64
// CHECK-NEXT: %[[KVH:.*]] = arith.constant 3 : i64
// CHECK-NEXT: %[[D:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[W:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %[[C:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[B8:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: call @ttrt_attention_alibi(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c0_i32{{.*}}, %arg2, %arg3, %[[H]], %[[KVH]], %[[D]], %[[W]], %[[S]], %[[C]], %[[B8]], %{{.*}})
// CHECK: %[[B16:.*]] = arith.constant 1.600000e+01 : f32
// CHECK: call @ttrt_attention_alibi({{.*}}, %[[B16]], %{{.*}})
// CHECK-NOT: call @ttrt_attention(
// CHECK-LABEL: func.func @alibi_decode(
// CHECK: call @ttrt_attention_alibi(
// CHECK: call @ttrt_attention_alibi(
// CHECK: func.func private @ttrt_attention_alibi(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, i64, i64, i64, i64, i64, i64, f32, f32, f32, !llvm.ptr)
func.func @alibi(%tokens: tensor<?x?xi32>) -> tensor<?x?x16xf32> {
  %emb = tt.weight "embed" : tensor<16x12xf32>
  %x = tt.embedding %tokens table(%emb : tensor<16x12xf32>) : tensor<?x?xi32> -> tensor<?x?x12xf32>
  %y = tt.layer 0 (%h = %x) : tensor<?x?x12xf32> {
    %w = tt.weight "w0" : tensor<12x12xf32>
    %a = tt.attention %h heads(3) kv_heads(3) alibi q(%w : tensor<12x12xf32>) k(%w : tensor<12x12xf32>) v(%w : tensor<12x12xf32>) o(%w : tensor<12x12xf32>) : tensor<?x?x12xf32>
    tt.yield %a : tensor<?x?x12xf32>
  }
  %z = tt.layer 1 (%h = %y) : tensor<?x?x12xf32> {
    %w = tt.weight "w1" : tensor<12x12xf32>
    %a = tt.attention %h heads(3) kv_heads(3) alibi q(%w : tensor<12x12xf32>) k(%w : tensor<12x12xf32>) v(%w : tensor<12x12xf32>) o(%w : tensor<12x12xf32>) {tt.alibi_max_bias = 16.0 : f64} : tensor<?x?x12xf32>
    tt.yield %a : tensor<?x?x12xf32>
  }
  %hw = tt.weight "head" : tensor<16x12xf32>
  %l = tt.lm_head %z weight(%hw : tensor<16x12xf32>) : tensor<?x?x12xf32> -> tensor<?x?x16xf32>
  return %l : tensor<?x?x16xf32>
}
