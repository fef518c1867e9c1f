// tt-kv-cache records the cache type where the report (tt.hardware) and the
// lowering (tt.kv_cache_dtype on each attention) read it.
//
// RUN: tt-opt %s --tt-kv-cache=dtype=i8 | FileCheck %s --check-prefix=I8
// RUN: tt-opt %s --tt-kv-cache=dtype=f8E4M3FN | FileCheck %s --check-prefix=FP8
// RUN: tt-opt %s --tt-kv-cache=dtype=f32 | FileCheck %s --check-prefix=F32
// The report's KV bytes follow: 2 layers x 2 (K, V) x 2 heads x 16 x bytes.
// RUN: tt-opt %s --tt-kv-cache=dtype=f32 --tt-report -o /dev/null | FileCheck %s --check-prefix=REPF32
// RUN: tt-opt %s --tt-kv-cache=dtype=i8 --tt-report -o /dev/null | FileCheck %s --check-prefix=REPI8
// Errors.
// RUN: not tt-opt %s --tt-kv-cache=dtype=f64 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not tt-opt %s --tt-kv-cache 2>&1 | FileCheck %s --check-prefix=NONE

module {
  func.func @m(%tokens: tensor<?x?xi32>) -> tensor<?x?x96xf32> {
    %emb = tt.weight "emb" : tensor<96x64xf32>
    %x0 = tt.embedding %tokens table(%emb : tensor<96x64xf32>) : tensor<?x?xi32> -> tensor<?x?x64xf32>
    %x1 = tt.layer 0 (%h = %x0) : tensor<?x?x64xf32> {
      %wq = tt.weight "l0.q" : tensor<64x64xf32>
      %wk = tt.weight "l0.k" : tensor<32x64xf32>
      %wv = tt.weight "l0.v" : tensor<32x64xf32>
      %wo = tt.weight "l0.o" : tensor<64x64xf32>
      %a = tt.attention %h heads(4) kv_heads(2) q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      %r = tt.add %h, %a : tensor<?x?x64xf32>
      tt.yield %r : tensor<?x?x64xf32>
    }
    %x2 = tt.layer 1 (%h = %x1) : tensor<?x?x64xf32> {
      %wq = tt.weight "l1.q" : tensor<64x64xf32>
      %wk = tt.weight "l1.k" : tensor<32x64xf32>
      %wv = tt.weight "l1.v" : tensor<32x64xf32>
      %wo = tt.weight "l1.o" : tensor<64x64xf32>
      %a = tt.attention %h heads(4) kv_heads(2) window(8) q(%wq : tensor<64x64xf32>) k(%wk : tensor<32x64xf32>) v(%wv : tensor<32x64xf32>) o(%wo : tensor<64x64xf32>) : tensor<?x?x64xf32>
      %r = tt.add %h, %a : tensor<?x?x64xf32>
      tt.yield %r : tensor<?x?x64xf32>
    }
    %logits = tt.lm_head %x2 weight(%emb : tensor<96x64xf32>) : tensor<?x?x64xf32> -> tensor<?x?x96xf32>
    return %logits : tensor<?x?x96xf32>
  }
}

// I8: module attributes {tt.hardware = #tt.hardware<kv_cache_dtype = i8>}
// I8: tt.attention {{.*}} {tt.kv_cache_dtype = i8}
// I8: tt.attention {{.*}} window(8) {{.*}} {tt.kv_cache_dtype = i8}
// FP8: tt.attention {{.*}} {tt.kv_cache_dtype = f8E4M3FN}
// F32: tt.attention {{.*}} {tt.kv_cache_dtype = f32}

// REPF32: "kv_cache_bytes_per_token":512
// REPF32-SAME: "kv_cache_dtype":"f32"
// REPI8: "kv_cache_bytes_per_token":128
// REPI8-SAME: "kv_cache_dtype":"i8"

// BAD: error: tt-kv-cache: unknown dtype 'f64' (expected f32, f16, bf16, i8, f8E4M3FN or f8E5M2)
// NONE: error: tt-kv-cache: no dtype= given and the module has no tt.hardware kv_cache_dtype to take it from
