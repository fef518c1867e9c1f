// RUN: tt-opt %s --convert-tt-to-linalg -split-input-file -verify-diagnostics | FileCheck %s

// tt.decode_batch on the module: besides prefill and decode, the batched
// decode step @m_decode_batch(ctx, tokens, B, positions, logits). Row b is
// sequence slot b's next token at positions[b]: rope tables and learned
// positions read each row's own position, attention appends to and attends
// over each row's own KV-cache slot (ttrt_kv_cache_slots ->
// ttrt_attention_batch), and the lm_head keeps all B rows (no
// ttrt_logit_rows).

module attributes {tt.decode_batch} {
  func.func @tiny(%tokens: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
    %emb = tt.weight "embed" : tensor<32x16xf32>
    %pos = tt.weight "pos" : tensor<64x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<32x16xf32>) positions(%pos : tensor<64x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x16xf32> {
      %wq = tt.weight "q" : tensor<16x16xf32>
      %wk = tt.weight "k" : tensor<8x16xf32>
      %wv = tt.weight "v" : tensor<8x16xf32>
      %wo = tt.weight "o" : tensor<16x16xf32>
      %a = tt.attention %h heads(4) kv_heads(2) window(3) softcap(50.0) rope<theta = 10000.0> q(%wq : tensor<16x16xf32>) k(%wk : tensor<8x16xf32>) v(%wv : tensor<8x16xf32>) o(%wo : tensor<16x16xf32>) : tensor<?x?x16xf32>
      %r1 = tt.add %h, %a : tensor<?x?x16xf32>
      tt.yield %r1 : tensor<?x?x16xf32>
    }
    %head = tt.weight "head" : tensor<32x16xf32>
    %logits = tt.lm_head %x1 weight(%head : tensor<32x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x32xf32>
    return %logits : tensor<?x?x32xf32>
  }
}

// CHECK-LABEL: func.func @tiny_prefill(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr)
// CHECK-LABEL: func.func @tiny_decode(
// CHECK-LABEL: func.func @tiny_decode_batch(
// CHECK-SAME: %[[CTX:.*]]: !llvm.ptr, %[[TOK:.*]]: !llvm.ptr, %[[B:.*]]: i64, %[[POS:.*]]: !llvm.ptr, %[[LOGITS:.*]]: !llvm.ptr)
// CHECK-SAME: attributes {tt_step = "decode_batch"}

// The embedding of B tokens, then the learned positions of each row's own
// position: positions[i] as i32 ids.
// CHECK: call @ttrt_embedding(%{{.*}}, %{{.*}}, %c32_i64{{.*}}, %c16_i64{{.*}}, %[[TOK]], %[[B]], %{{.*}})
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[AT:.*]] = llvm.getelementptr %[[POS]][%[[I64]]] : (!llvm.ptr, i64) -> !llvm.ptr, i64
// CHECK: %[[P:.*]] = llvm.load %[[AT]] : !llvm.ptr -> i64
// CHECK: arith.trunci %[[P]] : i64 to i32
// CHECK: call @ttrt_embedding(%{{.*}}, %{{.*}}, %c64_i64{{.*}}, %c16_i64{{.*}}, %{{.*}}, %[[B]], %{{.*}})

// The rope tables: cos and sin of positions[s] * inv_freq[i].
// CHECK: linalg.generic
// CHECK: %[[S:.*]] = linalg.index 0 : index
// CHECK: %[[S64:.*]] = arith.index_cast %[[S]] : index to i64
// CHECK: %[[SAT:.*]] = llvm.getelementptr %[[POS]][%[[S64]]]
// CHECK: %[[SP:.*]] = llvm.load %[[SAT]] : !llvm.ptr -> i64
// CHECK: %[[SPF:.*]] = arith.sitofp %[[SP]] : i64 to f32
// CHECK: math.cos

// Attention: the layer's K and V caches of slots 0 .. B-1, the rows'
// positions, window 3, softcap 50, no fused rope.
// CHECK: %[[KS:.*]] = call @ttrt_kv_cache_slots(%[[CTX]], %c0_i64, %c0_i32, %[[B]]) : (!llvm.ptr, i64, i32, i64) -> !llvm.ptr
// CHECK: %[[VS:.*]] = call @ttrt_kv_cache_slots(%[[CTX]], %c0_i64, %c1_i32, %[[B]])
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: call @ttrt_attention_batch(%{{.*}}, %{{.*}}, %{{.*}}, %[[KS]], %[[VS]], %{{.*}}, %[[B]], %[[POS]], %c4_i64{{.*}}, %c2_i64{{.*}}, %c4_i64{{.*}}, %c3_i64{{.*}}, %{{.*}}, %{{.*}}, %[[NULL]], %c0_i64{{.*}}, %c0_i32{{.*}}, %{{.*}})
// CHECK-NOT: ttrt_attention(
// CHECK-NOT: ttrt_kv_cache(

// The lm_head over all B rows, B x 32 logits copied out.
// CHECK-NOT: ttrt_logit_rows
// CHECK: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c32_i64{{.*}}, %c16_i64{{.*}}, %{{.*}}, %[[B]],
// CHECK: %[[COUNT:.*]] = arith.muli
// CHECK: call @ttrt_to_f32(%{{.*}}, %{{.*}}, %[[COUNT]], %[[LOGITS]])
// CHECK-LABEL: func.func @tiny_weight_names
// CHECK: func.func private @ttrt_kv_cache_slots(!llvm.ptr, i64, i32, i64) -> !llvm.ptr
// CHECK: func.func private @ttrt_attention_batch(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, i64, !llvm.ptr, i64, i64, i64, i64, f32, f32, !llvm.ptr, i64, i32, !llvm.ptr)

// -----

// Without the attribute: prefill and decode only.
// CHECK-LABEL: func.func @plain_prefill(
// CHECK-NOT: @plain_decode_batch
// CHECK-NOT: ttrt_attention_batch
module {
  func.func @plain(%tokens: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
    %emb = tt.weight "embed" : tensor<32x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<32x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x16xf32> {
      %wq = tt.weight "q" : tensor<16x16xf32>
      %wk = tt.weight "k" : tensor<8x16xf32>
      %wv = tt.weight "v" : tensor<8x16xf32>
      %wo = tt.weight "o" : tensor<16x16xf32>
      %a = tt.attention %h heads(4) kv_heads(2) rope<theta = 10000.0> q(%wq : tensor<16x16xf32>) k(%wk : tensor<8x16xf32>) v(%wv : tensor<8x16xf32>) o(%wo : tensor<16x16xf32>) : tensor<?x?x16xf32>
      tt.yield %a : tensor<?x?x16xf32>
    }
    %logits = tt.lm_head %x1 weight(%emb : tensor<32x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x32xf32>
    return %logits : tensor<?x?x32xf32>
  }
}

// -----

// ALiBi: each row through ttrt_attention_alibi's batched form, with the
// model's maximum bias.
// CHECK-LABEL: func.func @alibi_decode_batch(
// CHECK-SAME: %[[ACTX:.*]]: !llvm.ptr, %{{.*}}: !llvm.ptr, %[[AB:.*]]: i64, %[[APOS:.*]]: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: %[[AKS:.*]] = call @ttrt_kv_cache_slots(%[[ACTX]], %c0_i64, %c0_i32, %[[AB]])
// CHECK: %[[AVS:.*]] = call @ttrt_kv_cache_slots(%[[ACTX]], %c0_i64, %c1_i32, %[[AB]])
// CHECK: %[[BIAS:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: call @ttrt_attention_batch_alibi(%{{.*}}, %{{.*}}, %{{.*}}, %[[AKS]], %[[AVS]], %{{.*}}, %[[AB]], %[[APOS]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[BIAS]], %{{.*}})
// CHECK: func.func private @ttrt_attention_batch_alibi(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, i64, !llvm.ptr, i64, i64, i64, i64, f32, f32, f32, !llvm.ptr)
module attributes {tt.decode_batch} {
  func.func @alibi(%tokens: tensor<?x?xi32>) -> tensor<?x?x32xf32> {
    %emb = tt.weight "embed" : tensor<32x16xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<32x16xf32>) : tensor<?x?xi32> -> tensor<?x?x16xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x16xf32> {
      %wq = tt.weight "q" : tensor<16x16xf32>
      %wk = tt.weight "k" : tensor<8x16xf32>
      %wv = tt.weight "v" : tensor<8x16xf32>
      %wo = tt.weight "o" : tensor<16x16xf32>
      %a = tt.attention %h heads(4) kv_heads(2) alibi q(%wq : tensor<16x16xf32>) k(%wk : tensor<8x16xf32>) v(%wv : tensor<8x16xf32>) o(%wo : tensor<16x16xf32>) : tensor<?x?x16xf32>
      tt.yield %a : tensor<?x?x16xf32>
    }
    %logits = tt.lm_head %x1 weight(%emb : tensor<32x16xf32>) : tensor<?x?x16xf32> -> tensor<?x?x32xf32>
    return %logits : tensor<?x?x32xf32>
  }
}

// -----

// The attribute belongs on a module.
func.func @f() attributes {tt.decode_batch} {
  // expected-error @-1 {{'tt.decode_batch' is a unit attribute of a builtin.module}}
  return
}
