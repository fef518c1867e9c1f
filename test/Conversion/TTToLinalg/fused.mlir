// What tt-fuse and tt-kv-cache change in the CPU lowering: fewer, larger
// runtime calls, and the cache type passed to the runtime.
//
// RUN: tt-opt %s --convert-tt-to-linalg | FileCheck %s --check-prefix=PLAIN
// RUN: tt-opt %s --tt-fuse --tt-kv-cache=dtype=f16 --convert-tt-to-linalg | FileCheck %s
// RUN: tt-opt %s --tt-kv-cache=dtype=i8 --convert-tt-to-linalg | FileCheck %s --check-prefix=I8
// RUN: tt-opt %s --tt-fuse="norm=false residual=false rope=false" --convert-tt-to-linalg | FileCheck %s --check-prefix=PROJ
// The whole CPU pipeline takes the fused calls to LLVM.
// RUN: tt-opt %s --tt-fuse --tt-kv-cache=dtype=i8 --tt-to-cpu-pipeline | FileCheck %s --check-prefix=LLVM

module {
  func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
    %emb = tt.weight "emb" : tensor<96x64xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
      %n1w = tt.weight "attn_norm" : tensor<64xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "q" : tensor<64x64xf32>
      %wk = tt.weight "k" : tensor<32x64xf32>
      %wv = tt.weight "v" : tensor<32x64xf32>
      %wo = tt.weight "o" : tensor<64x64xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) rope<theta = 10000.0, partial = 0.5> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      %r1 = tt.add %h, %a : tensor<?x?x64xf32>
      %n2w = tt.weight "ffn_norm" : tensor<64xf32>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wg = tt.weight "gate" : tensor<128x64xf32>
      %wu = tt.weight "up" : tensor<128x64xf32>
      %wd = tt.weight "down" : tensor<64x128xf32>
      %m = tt.mlp silu %n2 up(%wu : tensor<128x64xf32>) gate(%wg : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    %logits = tt.lm_head %x1 weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
    return %logits : tensor<?x?x96xf32>
  }
}

// Unfused: eight products (the lm_head's included), the f32 cache appended
// with ttrt_to_f32.
// PLAIN-LABEL: func.func @m_prefill(
// PLAIN-COUNT-3: call @ttrt_matmul(
// PLAIN: call @ttrt_attention(
// PLAIN-COUNT-5: call @ttrt_matmul(
// PLAIN-NOT: ttrt_matmul_fused
// PLAIN-NOT: ttrt_attention_kv
// PLAIN-LABEL: func.func @m_decode(

// Fused: the norm and the three projections in one call (RMS = 1, count 3),
// the rope, cache append (f16 = 1) and attention in one call (rot = 8 of
// head_dim 16), O adding the residual (count 1), the norm with gate and up
// (count 2), down adding the residual; only the lm_head stays a matmul.
// CHECK-LABEL: func.func @m_prefill(
// CHECK-NOT: linalg.generic
// CHECK: call @ttrt_matmul_fused(%{{[0-9]+}}, %arg2, %c64_i64{{[_0-9]*}}, %c1_i32{{[_0-9]*}}, %cst{{[_0-9]*}}, %{{[0-9]+}}, %{{[0-9]+}}, %c0_i32{{[_0-9]*}}, %{{[0-9]+}}, %c3_i32,
// CHECK-NOT: linalg.generic
// CHECK: call @ttrt_attention_kv(%{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %c1_i32{{[_0-9]*}}, %arg2, %arg3, %c4_i64, %c2_i64, %c16_i64, %c0_i64{{[_0-9]*}}, %cst{{[_0-9]*}}, %cst{{[_0-9]*}}, %{{[0-9]+}}, %c8_i64{{[_0-9]*}}, %c0_i32
// CHECK-NOT: linalg.generic
// CHECK: call @ttrt_matmul_fused(%{{[0-9]+}}, %arg2, %c64_i64{{[_0-9]*}}, %c0_i32{{[_0-9]*}}, %cst{{[_0-9]*}}, %{{[0-9]+}}, %{{[0-9]+}}, %c0_i32{{[_0-9]*}}, %{{[0-9]+}}, %c1_i32
// CHECK-NOT: linalg.generic
// CHECK: call @ttrt_matmul_fused(%{{[0-9]+}}, %arg2, %c64_i64{{[_0-9]*}}, %c1_i32{{[_0-9]*}}, %cst{{[_0-9]*}}, %{{[0-9]+}}, %{{[0-9]+}}, %c0_i32{{[_0-9]*}}, %{{[0-9]+}}, %c2_i32,
// The SwiGLU product stays in generated code.
// CHECK: linalg.generic
// CHECK: call @ttrt_matmul_fused(%{{[0-9]+}}, %arg2, %c128_i64{{[_0-9]*}}, %c0_i32{{[_0-9]*}}, %cst{{[_0-9]*}}, %{{[0-9]+}}, %{{[0-9]+}}, %c0_i32{{[_0-9]*}}, %{{[0-9]+}}, %c1_i32
// CHECK-NOT: call @ttrt_attention(
// CHECK: call @ttrt_matmul(
// CHECK-NOT: call @ttrt_matmul(
// CHECK-LABEL: func.func @m_decode(
// CHECK: call @ttrt_matmul_fused(%{{[0-9]+}}, %c1_i64
// CHECK: call @ttrt_attention_kv(
// CHECK-DAG: func.func private @ttrt_attention_kv(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, i64, i64, i64, i64, i64, i64, f32, f32, !llvm.ptr, i64, i32, !llvm.ptr)
// CHECK-DAG: func.func private @ttrt_matmul_fused(!llvm.ptr, i64, i64, i32, f32, !llvm.ptr, !llvm.ptr, i32, !llvm.ptr, i32, !llvm.ptr, i32, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, i64, !llvm.ptr, !llvm.ptr)

// A typed cache alone: the rope stays in generated code, the runtime
// appends in int8 (TTRT_KV_I8 = 3) with no rotation (null table, rot 0).
// I8-LABEL: func.func @m_prefill(
// I8: call @ttrt_kv_cache
// I8: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// I8-NOT: llvm.mlir.zero
// I8: call @ttrt_attention_kv(%{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %c3_i32{{[_0-9]*}}, %arg2, %arg3, %c4_i64, %c2_i64, %c16_i64, %c0_i64{{[_0-9]*}}, %cst{{[_0-9]*}}, %cst{{[_0-9]*}}, %[[NULL]], %c0_i64
// I8-NOT: ttrt_matmul_fused

// Projections only: no norm (kind 0) and no residual (null).
// PROJ-LABEL: func.func @m_prefill(
// PROJ: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// PROJ-NOT: llvm.mlir.zero
// PROJ: call @ttrt_matmul_fused(%{{[0-9]+}}, %arg2, %c64_i64{{[_0-9]*}}, %c0_i32{{[_0-9]*}}, %cst{{[_0-9]*}}, %[[NULL]], %[[NULL]], %c0_i32{{[_0-9]*}}, %[[NULL]], %c3_i32,
// PROJ: call @ttrt_attention(
// PROJ: call @ttrt_matmul(
// PROJ: call @ttrt_matmul_fused({{.*}}, %c2_i32,
// PROJ: call @ttrt_matmul(

// LLVM: llvm.call @ttrt_matmul_fused
// LLVM: llvm.call @ttrt_attention_kv
