module {
  func.func @llama_2_7b(%tokens: tensor<?x?xi32>) -> tensor<?x?x32000xf32> attributes {tt.max_position_embeddings = 4096 : i64} {
    %emb = tt.weight "model.embed_tokens.weight" : tensor<32000x4096xbf16>
    %x0 = tt.embedding %tokens table(%emb : tensor<32000x4096xbf16>) : tensor<?x?xi32> -> tensor<?x?x4096xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.0.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.0.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.0.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.0.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.0.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.0.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.0.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.0.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.0.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x2 = tt.layer 1 (%h = %x1) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.1.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.1.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.1.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.1.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.1.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.1.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.1.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.1.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.1.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x3 = tt.layer 2 (%h = %x2) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.2.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.2.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.2.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.2.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.2.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.2.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.2.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.2.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.2.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x4 = tt.layer 3 (%h = %x3) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.3.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.3.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.3.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.3.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.3.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.3.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.3.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.3.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.3.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x5 = tt.layer 4 (%h = %x4) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.4.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.4.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.4.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.4.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.4.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.4.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.4.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.4.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.4.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x6 = tt.layer 5 (%h = %x5) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.5.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.5.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.5.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.5.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.5.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.5.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.5.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.5.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.5.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x7 = tt.layer 6 (%h = %x6) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.6.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.6.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.6.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.6.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.6.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.6.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.6.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.6.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.6.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x8 = tt.layer 7 (%h = %x7) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.7.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.7.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.7.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.7.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.7.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.7.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.7.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.7.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.7.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x9 = tt.layer 8 (%h = %x8) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.8.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.8.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.8.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.8.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.8.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.8.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.8.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.8.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.8.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x10 = tt.layer 9 (%h = %x9) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.9.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.9.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.9.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.9.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.9.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.9.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.9.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.9.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.9.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x11 = tt.layer 10 (%h = %x10) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.10.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.10.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.10.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.10.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.10.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.10.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.10.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.10.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.10.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x12 = tt.layer 11 (%h = %x11) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.11.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.11.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.11.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.11.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.11.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.11.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.11.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.11.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.11.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x13 = tt.layer 12 (%h = %x12) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.12.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.12.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.12.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.12.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.12.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.12.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.12.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.12.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.12.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x14 = tt.layer 13 (%h = %x13) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.13.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.13.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.13.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.13.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.13.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.13.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.13.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.13.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.13.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x15 = tt.layer 14 (%h = %x14) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.14.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.14.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.14.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.14.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.14.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.14.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.14.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.14.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.14.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x16 = tt.layer 15 (%h = %x15) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.15.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.15.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.15.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.15.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.15.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.15.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.15.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.15.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.15.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x17 = tt.layer 16 (%h = %x16) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.16.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.16.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.16.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.16.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.16.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.16.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.16.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.16.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.16.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x18 = tt.layer 17 (%h = %x17) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.17.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.17.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.17.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.17.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.17.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.17.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.17.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.17.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.17.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x19 = tt.layer 18 (%h = %x18) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.18.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.18.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.18.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.18.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.18.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.18.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.18.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.18.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.18.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x20 = tt.layer 19 (%h = %x19) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.19.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.19.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.19.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.19.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.19.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.19.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.19.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.19.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.19.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x21 = tt.layer 20 (%h = %x20) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.20.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.20.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.20.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.20.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.20.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.20.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.20.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.20.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.20.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x22 = tt.layer 21 (%h = %x21) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.21.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.21.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.21.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.21.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.21.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.21.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.21.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.21.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.21.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x23 = tt.layer 22 (%h = %x22) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.22.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.22.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.22.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.22.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.22.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.22.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.22.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.22.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.22.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x24 = tt.layer 23 (%h = %x23) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.23.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.23.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.23.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.23.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.23.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.23.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.23.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.23.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.23.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x25 = tt.layer 24 (%h = %x24) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.24.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.24.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.24.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.24.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.24.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.24.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.24.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.24.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.24.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x26 = tt.layer 25 (%h = %x25) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.25.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.25.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.25.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.25.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.25.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.25.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.25.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.25.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.25.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x27 = tt.layer 26 (%h = %x26) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.26.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.26.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.26.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.26.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.26.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.26.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.26.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.26.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.26.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x28 = tt.layer 27 (%h = %x27) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.27.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.27.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.27.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.27.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.27.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.27.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.27.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.27.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.27.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x29 = tt.layer 28 (%h = %x28) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.28.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.28.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.28.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.28.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.28.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.28.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.28.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.28.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.28.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x30 = tt.layer 29 (%h = %x29) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.29.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.29.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.29.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.29.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.29.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.29.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.29.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.29.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.29.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x31 = tt.layer 30 (%h = %x30) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.30.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.30.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.30.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.30.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.30.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.30.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.30.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.30.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.30.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %x32 = tt.layer 31 (%h = %x31) : tensor<?x?x4096xf32> {
      %n1w = tt.weight "model.layers.31.input_layernorm.weight" : tensor<4096xbf16>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wq = tt.weight "model.layers.31.self_attn.q_proj.weight" : tensor<4096x4096xbf16>
      %wk = tt.weight "model.layers.31.self_attn.k_proj.weight" : tensor<4096x4096xbf16>
      %wv = tt.weight "model.layers.31.self_attn.v_proj.weight" : tensor<4096x4096xbf16>
      %wo = tt.weight "model.layers.31.self_attn.o_proj.weight" : tensor<4096x4096xbf16>
      %a = tt.attention %n1 heads(32) kv_heads(32) rope<theta = 10000.0> q(%wq : tensor<4096x4096xbf16>) k(%wk : tensor<4096x4096xbf16>) v(%wv : tensor<4096x4096xbf16>) o(%wo : tensor<4096x4096xbf16>) : tensor<?x?x4096xf32>
      %r1 = tt.add %h, %a : tensor<?x?x4096xf32>
      %n2w = tt.weight "model.layers.31.post_attention_layernorm.weight" : tensor<4096xbf16>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<4096xbf16>) : tensor<?x?x4096xf32>
      %wg = tt.weight "model.layers.31.mlp.gate_proj.weight" : tensor<11008x4096xbf16>
      %wu = tt.weight "model.layers.31.mlp.up_proj.weight" : tensor<11008x4096xbf16>
      %wd = tt.weight "model.layers.31.mlp.down_proj.weight" : tensor<4096x11008xbf16>
      %m = tt.mlp silu %n2 up(%wu : tensor<11008x4096xbf16>) gate(%wg : tensor<11008x4096xbf16>) down(%wd : tensor<4096x11008xbf16>) : tensor<?x?x4096xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x4096xf32>
      tt.yield %r2 : tensor<?x?x4096xf32>
    }
    %nfw = tt.weight "model.norm.weight" : tensor<4096xbf16>
    %nf = tt.norm rms final %x32 eps(1.0e-05) weight(%nfw : tensor<4096xbf16>) : tensor<?x?x4096xf32>
    %head = tt.weight "lm_head.weight" : tensor<32000x4096xbf16>
    %logits = tt.lm_head %nf weight(%head : tensor<32000x4096xbf16>) : tensor<?x?x4096xf32> -> tensor<?x?x32000xf32>
    return %logits : tensor<?x?x32000xf32>
  }
}
