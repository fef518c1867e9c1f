// The ttx dialect comes from the plugin: without it tt-opt rejects the op,
// with it the op parses, verifies and prints back the same.
// RUN: not tt-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// RUN: tt-opt %s --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext | FileCheck %s
// RUN: tt-opt %s --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext \
// RUN:   | tt-opt --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext \
// RUN:   | FileCheck %s
// Generic form: the interface and trait are attached to the op, not the syntax.
// RUN: tt-opt %s --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext \
// RUN:   --mlir-print-op-generic \
// RUN:   | tt-opt --load-dialect-plugin=%tt_libs/libTTExamplePlugin%shlibext \
// RUN:   | FileCheck %s

// NOPLUGIN: Dialect `ttx' not found for custom op 'ttx.short_conv'

// CHECK-LABEL: func.func @conv
// CHECK: %[[W:.*]] = tt.weight "conv.weight" : tensor<64x4xf32>
// CHECK: %[[N:.*]] = tt.norm rms pre %{{.*}} eps(1.0e-05) weight(%{{.*}} : tensor<64xf32>) : tensor<?x?x64xf32>
// CHECK: ttx.short_conv %[[N]] kernel(4) weight(%[[W]] : tensor<64x4xf32>) : tensor<?x?x64xf32>
func.func @conv(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %nw = tt.weight "norm.weight" : tensor<64xf32>
  %w = tt.weight "conv.weight" : tensor<64x4xf32>
  // A pre-norm may feed ttx.short_conv: it carries tt's Sublayer trait.
  %n = tt.norm rms pre %x eps(1.0e-05) weight(%nw : tensor<64xf32>) : tensor<?x?x64xf32>
  %y = ttx.short_conv %n kernel(4) weight(%w : tensor<64x4xf32>) : tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// CHECK-LABEL: func.func @conv_bias
// CHECK: ttx.short_conv %{{.*}} kernel(3) weight(%{{.*}} : tensor<32x3xbf16>) bias(%{{.*}} : tensor<32xbf16>) {note = "kept"} : tensor<2x8x32xf16>
func.func @conv_bias(%x: tensor<2x8x32xf16>) -> tensor<2x8x32xf16> {
  %w = tt.weight "conv.weight" : tensor<32x3xbf16>
  %b = tt.weight "conv.bias" : tensor<32xbf16>
  %y = ttx.short_conv %x kernel(3) weight(%w : tensor<32x3xbf16>) bias(%b : tensor<32xbf16>) {note = "kept"} : tensor<2x8x32xf16>
  return %y : tensor<2x8x32xf16>
}

// A post-norm may follow it too.
// CHECK-LABEL: func.func @post_norm
// CHECK: %[[C:.*]] = ttx.short_conv
// CHECK: tt.norm rms post %[[C]]
func.func @post_norm(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %w = tt.weight "conv.weight" : tensor<16x2xf32>
  %pw = tt.weight "post.weight" : tensor<16xf32>
  %y = ttx.short_conv %x kernel(2) weight(%w : tensor<16x2xf32>) : tensor<?x16xf32>
  %p = tt.norm rms post %y eps(1.0e-06) weight(%pw : tensor<16xf32>) : tensor<?x16xf32>
  return %p : tensor<?x16xf32>
}
