// Bad tt-quantize options are errors that name the problem.
// RUN: not tt-opt %s --tt-quantize 2>&1 | FileCheck %s --check-prefix=NOFMT
// NOFMT: error: tt-quantize needs format=FORMAT (int8, int4, q8_0, q4_0, mxint8, mxfp4, fp8)
// RUN: not tt-opt %s --tt-quantize="format=q3_k" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: tt-quantize: unknown format 'q3_k' (expected int8, int4, q8_0, q4_0, mxint8, mxfp4 or fp8)
// RUN: not tt-opt %s --tt-quantize="format=int4 group-size=48" 2>&1 | FileCheck %s --check-prefix=GROUP
// GROUP: error: tt-quantize: group-size must be a power of two from 32 to 4096, got 48
// RUN: not tt-opt %s --tt-quantize="format=int8 group-size=8192" 2>&1 | FileCheck %s --check-prefix=GROUP2
// GROUP2: error: tt-quantize: group-size must be a power of two from 32 to 4096, got 8192
// RUN: not tt-opt %s --tt-quantize="format=q8_0 group-size=64" 2>&1 | FileCheck %s --check-prefix=FIXED
// FIXED: error: tt-quantize: format q8_0 has fixed blocks of 32; group-size and symmetric apply to int8 and int4 only
// RUN: not tt-opt %s --tt-quantize="format=mxfp4 symmetric=false" 2>&1 | FileCheck %s --check-prefix=FIXED2
// FIXED2: error: tt-quantize: format mxfp4 has fixed blocks of 32; group-size and symmetric apply to int8 and int4 only
// RUN: tt-opt %s --tt-quantize="format=q8_0 exclude=lm_haed" 2>&1 | FileCheck %s --check-prefix=TYPO
// TYPO: warning: tt-quantize: exclude=lm_haed matches no layer kind and no quantisable weight's name

// The types' own checks.
// RUN: not tt-opt --split-input-file %S/Inputs/quant-type-errors.mlir 2>&1 | FileCheck %s --check-prefix=TYPE
// TYPE: error: !tt.quant<int4> needs a group size that is a power of two from 32 to 4096, got 0
// TYPE: error: !tt.quant<int8> needs a group size that is a power of two from 32 to 4096, got 100
// TYPE: error: !tt.quant<q8_0> takes no group size or asymmetry (only int8 and int4 do)
// TYPE: error: unknown quantisation format 'int2'

func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x64xf32> {
  %emb = tt.weight "token_embd.weight" : tensor<96x64xf32>
  %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
  return %x0 : tensor<?x?x64xf32>
}
