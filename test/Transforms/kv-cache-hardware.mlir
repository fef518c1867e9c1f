// An existing tt.hardware keeps its other parameters.
// RUN: tt-opt %s --tt-kv-cache=dtype=bf16 | FileCheck %s --check-prefix=KEEP


module attributes {tt.hardware = #tt.hardware<device = "h100", tensor_parallel = 2, kv_cache_dtype = f16>} {
  func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
    %emb = tt.weight "emb" : tensor<96x64xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
      %wq = tt.weight "l0.q" : tensor<64x64xf32>
      %wk = tt.weight "l0.k" : tensor<32x64xf32>
      %wv = tt.weight "l0.v" : tensor<32x64xf32>
      %wo = tt.weight "l0.o" : tensor<64x64xf32>
      %a = tt.attention %h heads(4) kv_heads(2) q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      tt.yield %a : tensor<?x?x64xf32>
    }
    %logits = tt.lm_head %x1 weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
    return %logits : tensor<?x?x96xf32>
  }
}

// KEEP: #tt.hardware<device = "h100", tensor_parallel = 2, kv_cache_dtype = bf16>
// KEEP: tt.attention {{.*}} {tt.kv_cache_dtype = bf16}
