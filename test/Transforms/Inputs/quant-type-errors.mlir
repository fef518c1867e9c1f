func.func private @a(tensor<64x!tt.quant<int4>>)
// -----
func.func private @b(tensor<64x!tt.quant<int8, group = 100>>)
// -----
func.func private @c(tensor<64x!tt.quant<q8_0, group = 32>>)
// -----
func.func private @d(tensor<64x!tt.quant<int2, group = 32>>)
