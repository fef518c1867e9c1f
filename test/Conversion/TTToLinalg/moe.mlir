// RUN: tt-opt %s --convert-tt-to-linalg | FileCheck %s
// RUN: tt-opt %s --tt-to-cpu-pipeline | FileCheck %s --check-prefix=LLVM

// Mixture of experts: routing in generated code, each expert behind an
// scf.if that skips it when no token chose it.

func.func @moe(%tokens: tensor<?x?xi32>) -> tensor<?x?x16xf32> {
  %emb = tt.weight "embed" : tensor<16x8xf32>
  %x = tt.embedding %tokens table(%emb : tensor<16x8xf32>) : tensor<?x?xi32> -> tensor<?x?x8xf32>
  %y = tt.layer 0 (%h = %x) : tensor<?x?x8xf32> {
    %r = tt.weight "router" : tensor<4x8xf32>
    %g = tt.weight "gate" : tensor<4x6x8xf16>
    %u = tt.weight "experts.{e}.up" : tensor<4x6x8xf32>
    %d = tt.weight "down" : tensor<4x8x6xf32>
    %m = tt.moe silu %h experts(4) top_k(2) softmax_renorm router(%r : tensor<4x8xf32>) gate(%g : tensor<4x6x8xf16>) up(%u : tensor<4x6x8xf32>) down(%d : tensor<4x8x6xf32>) : tensor<?x?x8xf32>
    %a = tt.add %h, %m : tensor<?x?x8xf32>
    tt.yield %a : tensor<?x?x8xf32>
  }
  %hw = tt.weight "head" : tensor<16x8xf32>
  %l = tt.lm_head %y weight(%hw : tensor<16x8xf32>) : tensor<?x?x8xf32> -> tensor<?x?x16xf32>
  return %l : tensor<?x?x16xf32>
}

// CHECK-LABEL: func.func @moe_decode(
// Router logits, then softmax: max, exp, sum, divide.
// CHECK: call @ttrt_matmul(%{{.*}}, %{{.*}}, %c4_i64, %c8_i64
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
// Rank of each expert among the 4 (a reduction over the third dimension),
// chosen below top_k = 2, renormalised.
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpf olt, %{{.*}}, %cst
// CHECK: arith.divf
// Expert 0: skipped unless some token chose it. Stacked gate rows start at
// e * 6 * ttrt_row_bytes(type, 8); up is expert 0's own tensor.
// CHECK: %[[USED:.*]] = tensor.extract %{{.*}}[%c0] : tensor<4xf32>
// CHECK: %[[ANY:.*]] = arith.cmpf ogt, %[[USED]]
// CHECK: scf.if %[[ANY]] -> (tensor<1x8xf32>)
// CHECK: llvm.mlir.addressof @__tt_weight_name_{{[0-9]+}}
// CHECK: call @ttrt_weight
// CHECK: call @ttrt_matmul
// CHECK: %[[RB:.*]] = func.call @ttrt_row_bytes(%{{.*}}, %c8_i64{{.*}})
// CHECK: %[[OFF:.*]] = arith.muli %[[RB]], %c0_i64
// CHECK: llvm.getelementptr %{{.*}}[%[[OFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: math.exp
// CHECK: scf.yield
// CHECK: } else {
// CHECK: scf.yield
// Expert 3: rows 18.. of the stacked weights.
// CHECK: tensor.extract %{{.*}}[%c3] : tensor<4xf32>
// CHECK: scf.if
// CHECK: arith.muli %{{.*}}, %c18_i64
// CHECK: arith.muli %{{.*}}, %c24_i64
// CHECK: llvm.mlir.global internal constant @moe_weight_names_data("embed\00router\00gate\00experts.0.up\00experts.1.up\00experts.2.up\00experts.3.up\00down\00head\00\00")
// CHECK-LABEL: func.func @moe_weight_names(

// LLVM: llvm.func @moe_decode(
// LLVM: llvm.cond_br
// LLVM: llvm.call @ttrt_row_bytes
