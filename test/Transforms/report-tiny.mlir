// RUN: tt-opt %s --tt-report -o /dev/null | FileCheck %s

module attributes {tt.hardware = #tt.hardware<device = "cpu", tensor_parallel = 2, kv_cache_dtype = bf16>} {
  func.func @tiny(%tokens: tensor<?x?xi32>) -> tensor<?x?x512xf32> attributes {tt.max_position_embeddings = 512 : i64} {
    %emb = tt.weight "tok_embeddings.weight" : tensor<512x64xf32>
    %x = tt.embedding %tokens table(%emb : tensor<512x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    %y = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
      %nw = tt.weight "layers.0.attention_norm.weight" : tensor<64xf32>
      %n = tt.norm rms pre %h eps(1.0e-05) weight(%nw : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "layers.0.attention.wq.weight" : tensor<64x64xf32>
      %wk = tt.weight "layers.0.attention.wk.weight" : tensor<32x64xf32>
      %wv = tt.weight "layers.0.attention.wv.weight" : tensor<32x64xf32>
      %wo = tt.weight "layers.0.attention.wo.weight" : tensor<64x64xf32>
      %a = tt.attention %n heads(8) kv_heads(4) rope<theta = 10000.0> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      %r = tt.add %h, %a : tensor<?x?x64xf32>
      %n2w = tt.weight "layers.0.ffn_norm.weight" : tensor<64xf32>
      %n2 = tt.norm rms pre %r eps(1.0e-05) weight(%n2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %w1 = tt.weight "layers.0.feed_forward.w1.weight" : tensor<172x64xf32>
      %w3 = tt.weight "layers.0.feed_forward.w3.weight" : tensor<172x64xf32>
      %w2 = tt.weight "layers.0.feed_forward.w2.weight" : tensor<64x172xf32>
      %m = tt.mlp silu %n2 up(%w3 : tensor<172x64xf32>) gate(%w1 : tensor<172x64xf32>) down(%w2 : tensor<64x172xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r, %m : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    %fw = tt.weight "norm.weight" : tensor<64xf32>
    %f = tt.norm rms final %y eps(1.0e-05) weight(%fw : tensor<64xf32>) : tensor<?x?x64xf32>
    %logits = tt.lm_head %f weight(%emb : tensor<512x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x512xf32>
    return %logits : tensor<?x?x512xf32>
  }
}

// CHECK: "total_params":78272
