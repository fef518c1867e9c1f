// The report counts a plugin layer through tt::CostOpInterface alone.
// RUN: tt-opt %s --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext --tt-report -o /dev/null | FileCheck %s

// A one-layer model whose only sublayer is the plugin's short convolution:
// embedding [256, 64], pre-norm, ttx.short_conv (K = 4, with bias), residual
// add, final norm, untied lm_head [256, 64].
//
// Parameters:
//   embedding        256 * 64 = 16384
//   pre-norm               64 =    64
//   short_conv  64 * 4 + 64   =   320   (weight [64, 4] + bias [64])
//   final norm             64 =    64
//   lm_head          256 * 64 = 16384
//   total                       33216
// FLOPs per token (prefill and decode alike; norms are not counted):
//   short_conv  2 * 64 * 4    =   512
//   lm_head   2 * 256 * 64    = 32768
//   total                       33280
// Weight bytes (f32): 33216 * 4 = 132864.

module {
  func.func @conv_model(%tokens: tensor<?x?xi32>) -> tensor<?x?x256xf32> {
    %emb = tt.weight "embed_tokens.weight" : tensor<256x64xf32>
    %x = tt.embedding %tokens table(%emb : tensor<256x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    %y = tt.layer 0 (%h = %x) : tensor<?x?x64xf32> {
      %nw = tt.weight "layers.0.operator_norm.weight" : tensor<64xf32>
      %n = tt.norm rms pre %h eps(1.0e-05) weight(%nw : tensor<64xf32>) : tensor<?x?x64xf32>
      %cw = tt.weight "layers.0.conv.conv.weight" : tensor<64x4xf32>
      %cb = tt.weight "layers.0.conv.conv.bias" : tensor<64xf32>
      %c = ttx.short_conv %n kernel(4) weight(%cw : tensor<64x4xf32>) bias(%cb : tensor<64xf32>) : tensor<?x?x64xf32>
      %r = tt.add %h, %c : tensor<?x?x64xf32>
      tt.yield %r : tensor<?x?x64xf32>
    }
    %fw = tt.weight "norm.weight" : tensor<64xf32>
    %f = tt.norm rms final %y eps(1.0e-05) weight(%fw : tensor<64xf32>) : tensor<?x?x64xf32>
    %hw = tt.weight "lm_head.weight" : tensor<256x64xf32>
    %logits = tt.lm_head %f weight(%hw : tensor<256x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x256xf32>
    return %logits : tensor<?x?x256xf32>
  }
}

// Keys are printed sorted, all on one line.
// CHECK:      "active_params":33216
// CHECK-SAME: "flops_per_token":{"decode":33280,"prefill":33280}
// CHECK-SAME: "kv_cache_bytes_per_token":0
// CHECK-SAME: "layer_types":[
// CHECK-SAME: {"class":"Embedding","count":1,"name":"embedding","parameter_count":16384,
// CHECK-SAME: {"class":"RMSNorm","count":1,"name":"norm","parameter_count":64,{{.*}}"placement":"pre"}
// CHECK-SAME: {"class":"ShortConv","count":1,"name":"short_conv","parameter_count":320,"specs":{"bias":true,"causal":true,"hidden_size":64,"kernel_size":4,"layer_idx":0},"supported":true}
// CHECK-SAME: {"class":"RMSNorm","count":1,"name":"norm","parameter_count":64,{{.*}}"placement":"final"}
// CHECK-SAME: {"class":"LMHead","count":1,"name":"lm_head","parameter_count":16384,
// CHECK-SAME: "num_layers":1
// CHECK-SAME: "supported":true,"total_params":33216,"total_params_formatted":"33.2K","unsupported_layers":[]
// CHECK-SAME: "weight_bytes":132864
