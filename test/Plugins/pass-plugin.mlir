// The pass plugin's ttx-annotate-costs finds tt's layers and the dialect
// plugin's ttx.short_conv alike, through tt::CostOpInterface.
// RUN: tt-opt %s --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext \
// RUN:   --load-pass-plugin=%tt_libs/libTTExamplePassPlugin%shlibext \
// RUN:   --pass-pipeline='builtin.module(ttx-annotate-costs)' | FileCheck %s
// The pass is anchored on any op, so it also runs on one function.
// RUN: tt-opt %s --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext \
// RUN:   --load-pass-plugin=%tt_libs/libTTExamplePassPlugin%shlibext \
// RUN:   --pass-pipeline='builtin.module(func.func(ttx-annotate-costs))' | FileCheck %s
// The annotated IR parses again.
// RUN: tt-opt %s --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext \
// RUN:   --load-pass-plugin=%tt_libs/libTTExamplePassPlugin%shlibext \
// RUN:   --pass-pipeline='builtin.module(ttx-annotate-costs)' \
// RUN:   | tt-opt --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext \
// RUN:   | FileCheck %s

// ttx.params is getParameterCount(); ttx.flops is getFlopsPerToken at
// decode of one token with a context of 1 (attention attends 1 position).

// CHECK-LABEL: func.func @model
// CHECK:      tt.weight "embed.weight"
// CHECK-NOT:  ttx.
// CHECK-SAME: : tensor<256x64xf32>
// CHECK:      tt.embedding
// CHECK-SAME: {ttx.flops = 0.000000e+00 : f64, ttx.params = 16384 : i64}
// CHECK:      tt.layer 0
// CHECK-NOT:  ttx.
// CHECK-SAME: {
// RMSNorm: 64 scale elements, no counted FLOPs.
// CHECK:      tt.norm rms pre
// CHECK-SAME: {ttx.flops = 0.000000e+00 : f64, ttx.params = 64 : i64}
// GQA, heads 8, kv_heads 4, head_dim 8: params 64*64 + 2*32*64 + 64*64 =
// 12288; FLOPs 2 * 12288 + 4 * 8 heads * 8 head_dim * 1 position = 24832.
// CHECK:      tt.attention
// CHECK-SAME: {ttx.flops = 2.483200e+04 : f64, ttx.params = 12288 : i64}
// CHECK:      tt.add
// CHECK-NOT:  ttx.
// CHECK-SAME: : tensor<?x?x64xf32>
// CHECK:      tt.norm rms pre
// CHECK-SAME: {ttx.flops = 0.000000e+00 : f64, ttx.params = 64 : i64}
// Short conv, H 64, K 4, with bias: params 64*4 + 64 = 320; FLOPs 2*64*4 = 512.
// CHECK:      ttx.short_conv %{{.*}} kernel(4) weight(%{{.*}} : tensor<64x4xf32>) bias(%{{.*}} : tensor<64xf32>)
// CHECK-SAME: {ttx.flops = 5.120000e+02 : f64, ttx.params = 320 : i64} : tensor<?x?x64xf32>
// CHECK:      tt.add
// CHECK-NOT:  ttx.
// CHECK-SAME: : tensor<?x?x64xf32>
// CHECK:      tt.yield
// CHECK:      tt.norm rms final
// CHECK-SAME: {ttx.flops = 0.000000e+00 : f64, ttx.params = 64 : i64}
// Tied lm_head: its own count is the whole [256, 64] table (the report
// counts the shared tensor once; the op does not know about the sharing).
// CHECK:      tt.lm_head
// CHECK-SAME: {ttx.flops = 3.276800e+04 : f64, ttx.params = 16384 : i64}
// CHECK:      return

module {
  func.func @model(%tokens: tensor<?x?xi32>) -> tensor<?x?x256xf32> {
    %emb = tt.weight "embed.weight" : tensor<256x64xf32>
    %x = tt.embedding %tokens table(%emb : tensor<256x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    %y = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
      %nw = tt.weight "layers.0.attn_norm.weight" : tensor<64xf32>
      %n = tt.norm rms pre %h eps(1.0e-05) weight(%nw : tensor<64xf32>) : tensor<?x?x64xf32>
      %wq = tt.weight "layers.0.wq.weight" : tensor<64x64xf32>
      %wk = tt.weight "layers.0.wk.weight" : tensor<32x64xf32>
      %wv = tt.weight "layers.0.wv.weight" : tensor<32x64xf32>
      %wo = tt.weight "layers.0.wo.weight" : tensor<64x64xf32>
      %a = tt.attention %n heads(8) kv_heads(4) rope<theta = 10000.0> q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      %r = tt.add %h, %a : tensor<?x?x64xf32>
      %cnw = tt.weight "layers.0.conv_norm.weight" : tensor<64xf32>
      %cn = tt.norm rms pre %r eps(1.0e-05) weight(%cnw : tensor<64xf32>) : tensor<?x?x64xf32>
      %cw = tt.weight "layers.0.conv.weight" : tensor<64x4xf32>
      %cb = tt.weight "layers.0.conv.bias" : tensor<64xf32>
      %c = ttx.short_conv %cn kernel(4) weight(%cw : tensor<64x4xf32>) bias(%cb : tensor<64xf32>) : tensor<?x?x64xf32>
      %r2 = tt.add %r, %c : tensor<?x?x64xf32>
      tt.yield %r2 : tensor<?x?x64xf32>
    }
    %fw = tt.weight "norm.weight" : tensor<64xf32>
    %f = tt.norm rms final %y eps(1.0e-05) weight(%fw : tensor<64xf32>) : tensor<?x?x64xf32>
    %logits = tt.lm_head %f weight(%emb : tensor<256x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x256xf32>
    return %logits : tensor<?x?x256xf32>
  }
}
