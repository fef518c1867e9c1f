// tt-fuse marks what the CPU lowering computes together; the ops stay.
//
// RUN: tt-opt %s --tt-fuse | FileCheck %s
// RUN: tt-opt %s --tt-fuse="qkv=false gate-up=false" | FileCheck %s --check-prefix=NOPROJ
// RUN: tt-opt %s --tt-fuse="norm=false" | FileCheck %s --check-prefix=NONORM
// RUN: tt-opt %s --tt-fuse="residual=false rope=false" | FileCheck %s --check-prefix=NORES
// The report is the same with and without fusion.
// RUN: tt-opt %s --tt-report -o /dev/null > %t.before.json
// RUN: tt-opt %s --tt-fuse --tt-report -o /dev/null > %t.after.json
// RUN: diff %t.before.json %t.after.json
// Fusing twice changes nothing; the printed IR parses back.
// RUN: tt-opt %s --tt-fuse | tt-opt --tt-fuse | FileCheck %s

module {
  func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
    %emb = tt.weight "emb" : tensor<96x64xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    // A pre-norm llama layer: everything fuses.
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
      %n1w = tt.weight "l0.attn_norm" : tensor<64xf32>
      %n1 = tt.norm rms pre %h eps(1.0e-05) weight(%n1w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "l0.q" : tensor<64x64xf32>
      %wk = tt.weight "l0.k" : tensor<32x64xf32>
      %wv = tt.weight "l0.v" : tensor<32x64xf32>
      %wo = tt.weight "l0.o" : tensor<64x64xf32>
      %a = tt.attention %n1 heads(4) kv_heads(2) rope<theta = 10000.0> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      %r1 = tt.add %h, %a : tensor<?x?x64xf32>
      %n2w = tt.weight "l0.ffn_norm" : tensor<64xf32>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wg = tt.weight "l0.gate" : tensor<128x64xf32>
      %wu = tt.weight "l0.up" : tensor<128x64xf32>
      %wd = tt.weight "l0.down" : tensor<64x128xf32>
      %m = tt.mlp silu %n2 up(%wu : tensor<128x64xf32>) gate(%wg : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r1, %m : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    // Parallel attention + MLP sharing one LayerNorm (Falcon, Phi): the norm
    // has two users and stays; the first add fuses into the attention; the
    // second adds the MLP to a value computed after the MLP, so it stays.
    %x2 = tt.layer 1 (%h = %x1) : tensor<?x?x64xf32> {
      %nw = tt.weight "l1.norm" : tensor<64xf32>
      %nb = tt.weight "l1.norm_b" : tensor<64xf32>
      %n = tt.norm layer pre %h eps(1.0e-05) weight(%nw : tensor<64xf32>) bias(%nb : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "l1.q" : tensor<64x64xf32>
      %wk = tt.weight "l1.k" : tensor<32x64xf32>
      %wv = tt.weight "l1.v" : tensor<32x64xf32>
      %wo = tt.weight "l1.o" : tensor<64x64xf32>
      %qn = tt.weight "l1.q_norm" : tensor<16xf32>
      %kn = tt.weight "l1.k_norm" : tensor<16xf32>
      %a = tt.attention %n heads(4) kv_heads(2) rope<theta = 10000.0> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) q_norm(%qn : tensor<16xf32>) k_norm(%kn : tensor<16xf32>) : tensor<?x?x64xf32>
      %wu = tt.weight "l1.up" : tensor<128x64xf32>
      %wd = tt.weight "l1.down" : tensor<64x128xf32>
      %m = tt.mlp gelu %n up(%wu : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) : tensor<?x?x64xf32>
      %s = tt.add %h, %a : tensor<?x?x64xf32>
      %r = tt.add %s, %m : tensor<?x?x64xf32>
      tt.yield %r : tensor<?x?x64xf32>
    }
    // Post-norms (Gemma 2): the adds take norms, not sublayers; an MLP
    // without a gate fuses its norm into the up projection alone.
    %x3 = tt.layer 2 (%h = %x2) : tensor<?x?x64xf32> {
      %wq = tt.weight "l2.q" : tensor<64x64xf32>
      %wk = tt.weight "l2.k" : tensor<32x64xf32>
      %wv = tt.weight "l2.v" : tensor<32x64xf32>
      %wo = tt.weight "l2.o" : tensor<64x64xf32>
      %a = tt.attention %h heads(4) kv_heads(2) q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      %pw = tt.weight "l2.post" : tensor<64xf32>
      %p = tt.norm rms post %a eps(1.0e-05) weight(%pw : tensor<64xf32>) : tensor<?x?x64xf32>
      %r1 = tt.add %h, %p : tensor<?x?x64xf32>
      %n2w = tt.weight "l2.ffn_norm" : tensor<64xf32>
      %n2 = tt.norm rms pre %r1 eps(1.0e-05) weight(%n2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %wu = tt.weight "l2.up" : tensor<128x64xf32>
      %wd = tt.weight "l2.down" : tensor<64x128xf32>
      %m = tt.mlp relu %n2 up(%wu : tensor<128x64xf32>) down(%wd : tensor<64x128xf32>) : tensor<?x?x64xf32>
      %p2w = tt.weight "l2.post2" : tensor<64xf32>
      %p2 = tt.norm rms post %m eps(1.0e-05) weight(%p2w : tensor<64xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r1, %p2 : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    %fw = tt.weight "norm" : tensor<64xf32>
    %f = tt.norm rms final %x3 eps(1.0e-05) weight(%fw : tensor<64xf32>) : tensor<?x?x64xf32>
    %logits = tt.lm_head %f weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
    return %logits : tensor<?x?x96xf32>
  }
}

// CHECK-LABEL: tt.layer 0
// CHECK: tt.norm rms pre {{.*}} {tt.fused} : tensor<?x?x64xf32>
// CHECK: tt.attention {{.*}} {tt.fuse = ["norm", "qkv", "rope", "residual"]}
// CHECK: tt.add {{.*}} {tt.fused}
// CHECK: tt.norm rms pre {{.*}} {tt.fused}
// CHECK: tt.mlp silu {{.*}} {tt.fuse = ["norm", "gate_up", "residual"]}
// CHECK: tt.add {{.*}} {tt.fused}
// CHECK-LABEL: tt.layer 1
// CHECK: tt.norm layer pre {{.*}} : tensor<?x?x64xf32>
// CHECK-NOT: tt.fused
// CHECK: tt.attention {{.*}} {tt.fuse = ["qkv", "rope", "residual"]}
// CHECK: tt.mlp gelu {{.*}} : tensor<?x?x64xf32>
// CHECK: tt.add {{.*}} {tt.fused}
// CHECK: tt.add %{{[0-9]+}}, %{{[0-9]+}} : tensor<?x?x64xf32>
// CHECK-LABEL: tt.layer 2
// CHECK: tt.attention {{.*}} {tt.fuse = ["qkv"]}
// CHECK: tt.norm rms post
// CHECK-NOT: tt.fused
// CHECK: tt.add
// CHECK: tt.norm rms pre {{.*}} {tt.fused}
// CHECK: tt.mlp relu {{.*}} {tt.fuse = ["norm"]}
// CHECK: tt.norm rms post
// CHECK-NOT: tt.fused
// CHECK: tt.add
// The final norm feeds the lm_head, which has no fused lowering.
// CHECK: tt.norm rms final
// CHECK-NOT: tt.fused
// CHECK: tt.lm_head

// Without the projection fusions the norms cannot fuse into one call
// either (an MLP without a gate still can: its up projection is one call).
// NOPROJ-LABEL: tt.layer 0
// NOPROJ: tt.norm rms pre {{.*}} : tensor<?x?x64xf32>
// NOPROJ: tt.attention {{.*}} {tt.fuse = ["rope", "residual"]}
// NOPROJ: tt.mlp silu {{.*}} {tt.fuse = ["residual"]}
// NOPROJ-LABEL: tt.layer 2
// NOPROJ: tt.attention
// NOPROJ-NOT: tt.fuse =
// NOPROJ: tt.mlp relu {{.*}} {tt.fuse = ["norm"]}

// NONORM-NOT: tt.fused} : tensor<?x?x64xf32>
// NONORM: tt.attention {{.*}} {tt.fuse = ["qkv", "rope", "residual"]}
// NONORM: tt.mlp silu {{.*}} {tt.fuse = ["gate_up", "residual"]}

// NORES: tt.attention {{.*}} {tt.fuse = ["norm", "qkv"]}
// NORES: tt.add %{{.*}}, %{{.*}} : tensor<?x?x64xf32>
// NORES: tt.mlp silu {{.*}} {tt.fuse = ["norm", "gate_up"]}
// NORES-NOT: tt.add {{.*}}tt.fused
