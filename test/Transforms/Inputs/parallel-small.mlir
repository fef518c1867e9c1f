// A small model for the parallelism passes: vocab 256, hidden 64, 3 layers,
// 4 heads / 2 KV heads of 16 with Q/K/V/O biases; layers 0 and 2 have a gated
// MLP (intermediate 128, biases), layer 1 a MoE (4 experts of 32, top 2, one
// shared expert of 32). Untied lm_head. f32 throughout.
module {
  func.func @small(%tokens: tensor<?x?xi32>) -> tensor<?x?x256xf32> attributes {tt.max_position_embeddings = 128 : i64} {
    %emb = tt.weight "embed.weight" : tensor<256x64xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<256x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
      %n1w = tt.weight "layers.0.attn_norm.weight" : tensor<64xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "layers.0.q.weight" : tensor<64x64xf32>
      %wk = tt.weight "layers.0.k.weight" : tensor<32x64xf32>
      %wv = tt.weight "layers.0.v.weight" : tensor<32x64xf32>
      %wo = tt.weight "layers.0.o.weight" : tensor<64x64xf32>
      %bq = tt.weight "layers.0.q.bias" : tensor<64xf32>
      %bk = tt.weight "layers.0.k.bias" : tensor<32xf32>
      %bv = tt.weight "layers.0.v.bias" : tensor<32xf32>
      %bo = tt.weight "layers.0.o.bias" : tensor<64xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) rope<theta = 10000.0> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) q_bias(%bq : tensor<64xf32>) k_bias(%bk : tensor<32xf32>) v_bias(%bv : tensor<32xf32>) o_bias(%bo : tensor<64xf32>) : tensor<?x?x64xf32>
      %r1 = tt.add %h, %a : tensor<?x?x64xf32>
      %n2w = tt.weight "layers.0.ffn_norm.weight" : tensor<64xf32>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wg = tt.weight "layers.0.gate.weight" : tensor<128x64xf32>
      %wu = tt.weight "layers.0.up.weight" : tensor<128x64xf32>
      %wd = tt.weight "layers.0.down.weight" : tensor<64x128xf32>
      %bg = tt.weight "layers.0.gate.bias" : tensor<128xf32>
      %bu = tt.weight "layers.0.up.bias" : tensor<128xf32>
      %bd = tt.weight "layers.0.down.bias" : tensor<64xf32>
      %m = tt.mlp silu %n2 up(%wu : tensor<128x64xf32>) gate(%wg : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) up_bias(%bu : tensor<128xf32>) gate_bias(%bg : tensor<128xf32>) down_bias(%bd : tensor<64xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    %x2 = tt.layer 1 (%h = %x1) : tensor<?x?x64xf32> {
      %n1w = tt.weight "layers.1.attn_norm.weight" : tensor<64xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "layers.1.q.weight" : tensor<64x64xf32>
      %wk = tt.weight "layers.1.k.weight" : tensor<32x64xf32>
      %wv = tt.weight "layers.1.v.weight" : tensor<32x64xf32>
      %wo = tt.weight "layers.1.o.weight" : tensor<64x64xf32>
      %bq = tt.weight "layers.1.q.bias" : tensor<64xf32>
      %bk = tt.weight "layers.1.k.bias" : tensor<32xf32>
      %bv = tt.weight "layers.1.v.bias" : tensor<32xf32>
      %bo = tt.weight "layers.1.o.bias" : tensor<64xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) rope<theta = 10000.0> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) q_bias(%bq : tensor<64xf32>) k_bias(%bk : tensor<32xf32>) v_bias(%bv : tensor<32xf32>) o_bias(%bo : tensor<64xf32>) : tensor<?x?x64xf32>
      %r1 = tt.add %h, %a : tensor<?x?x64xf32>
      %n2w = tt.weight "layers.1.ffn_norm.weight" : tensor<64xf32>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wr = tt.weight "layers.1.router.weight" : tensor<4x64xf32>
      %eg = tt.weight "layers.1.experts.{e}.gate.weight" : tensor<4x32x64xf32>
      %eu = tt.weight "layers.1.experts.{e}.up.weight" : tensor<4x32x64xf32>
      %ed = tt.weight "layers.1.experts.{e}.down.weight" : tensor<4x64x32xf32>
      %sg = tt.weight "layers.1.shared.gate.weight" : tensor<32x64xf32>
      %su = tt.weight "layers.1.shared.up.weight" : tensor<32x64xf32>
      %sd = tt.weight "layers.1.shared.down.weight" : tensor<64x32xf32>
      %m = tt.moe silu %n2 experts(4) top_k(2) shared_experts(1) softmax_renorm router(%wr : tensor<4x64xf32>) gate(%eg : tensor<4x32x64xf32>) up(%eu : tensor<4x32x64xf32>) down(%ed : tensor<4x64x32xf32>) shared_gate(%sg : tensor<32x64xf32>) shared_up(%su : tensor<32x64xf32>) shared_down(%sd : tensor<64x32xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    %x3 = tt.layer 2 (%h = %x2) : tensor<?x?x64xf32> {
      %n1w = tt.weight "layers.2.attn_norm.weight" : tensor<64xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "layers.2.q.weight" : tensor<64x64xf32>
      %wk = tt.weight "layers.2.k.weight" : tensor<32x64xf32>
      %wv = tt.weight "layers.2.v.weight" : tensor<32x64xf32>
      %wo = tt.weight "layers.2.o.weight" : tensor<64x64xf32>
      %bq = tt.weight "layers.2.q.bias" : tensor<64xf32>
      %bk = tt.weight "layers.2.k.bias" : tensor<32xf32>
      %bv = tt.weight "layers.2.v.bias" : tensor<32xf32>
      %bo = tt.weight "layers.2.o.bias" : tensor<64xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) rope<theta = 10000.0> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) q_bias(%bq : tensor<64xf32>) k_bias(%bk : tensor<32xf32>) v_bias(%bv : tensor<32xf32>) o_bias(%bo : tensor<64xf32>) : tensor<?x?x64xf32>
      %r1 = tt.add %h, %a : tensor<?x?x64xf32>
      %n2w = tt.weight "layers.2.ffn_norm.weight" : tensor<64xf32>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wg = tt.weight "layers.2.gate.weight" : tensor<128x64xf32>
      %wu = tt.weight "layers.2.up.weight" : tensor<128x64xf32>
      %wd = tt.weight "layers.2.down.weight" : tensor<64x128xf32>
      %bg = tt.weight "layers.2.gate.bias" : tensor<128xf32>
      %bu = tt.weight "layers.2.up.bias" : tensor<128xf32>
      %bd = tt.weight "layers.2.down.bias" : tensor<64xf32>
      %m = tt.mlp silu %n2 up(%wu : tensor<128x64xf32>) gate(%wg : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) up_bias(%bu : tensor<128xf32>) gate_bias(%bg : tensor<128xf32>) down_bias(%bd : tensor<64xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    %nfw = tt.weight "final_norm.weight" : tensor<64xf32>
    %nf = tt.norm rms final %x3 eps(1.0e-05) weight(%nfw : tensor<64xf32>) : tensor<?x?x64xf32>
    %head = tt.weight "lm_head.weight" : tensor<256x64xf32>
    %logits = tt.lm_head %nf weight(%head : tensor<256x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x256xf32>
    return %logits : tensor<?x?x256xf32>
  }
}
