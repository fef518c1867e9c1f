// RUN: tt-opt %s -verify-diagnostics --tt-tensor-parallel=tp=2

// A row split of a block-quantised weight must keep whole blocks on every
// device: 96 columns of q8_0 (block 32) over 2 devices leave 48.
func.func @blocks(%x: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %u = tt.weight "up" : tensor<96x64x!tt.quant<q8_0>>
  %d = tt.weight "down" : tensor<64x96x!tt.quant<q8_0>>
  // expected-error @+1 {{'tt.mlp' op cannot be split over tensor-parallel size 2: weight 'down' would keep 48 elements of its last dimension per device, not a multiple of the q8_0 block size 32}}
  %m = tt.mlp gelu %x up(%u : tensor<96x64x!tt.quant<q8_0>>) down(%d : tensor<64x96x!tt.quant<q8_0>>) : tensor<?x?x64xf32>
  return %m : tensor<?x?x64xf32>
}
